#!/usr/bin/env bash
# nfc_bench.sh — card placed on the emulated PN532 -> UID event in the UI
# queue, through the real reader thread and the real libnfc 1.8.0
# (pn532_uart over a pty). Prints a Markdown section for docs/BENCHMARKS.md.
# Env: BUILD (build folder), OUT (scratch folder), NFC_BENCH_TAPS (default 200),
# NFC_BENCH_IDLE_S (no-card measurement, default 10).
set -eu
: "${BUILD:?}" "${OUT:?}"
mkdir -p "$OUT"
taps=${NFC_BENCH_TAPS:-200}
bin=$BUILD/bench/nfc_bench

idle_s=${NFC_BENCH_IDLE_S:-10}

cat <<MD
## NFC: card on the reader -> UID event

Real reader thread (\`kiosk/reader_nfc.c\`), real libnfc over
\`pn532_uart:\` to \`pn532-emu\` and the real \`reader_post_uid()\`
(\`kiosk/reader.c\`); time from the test placing the card to the card
event in the UI thread's SDL queue (watched without sleeping).
*chip-accurate*: the emulator takes the time a real PN532 would (HSU wire
time of every frame at 115200 baud, activation tries, a card answering 5 ms
after it is placed, ISO 14443-3 anticollision/select and RATS, InAutoPoll's
150 ms slots; table and sources in docs/NFC.md "Emulator timing");
*instant*: it answers at once, i.e. the software path alone. *emulator*:
card placed to the emulator writing the answer with the target on the pty;
*answer -> event*: the rest, libnfc (pty, HSU frame checks, target decoding)
and ours; *ours* (UID to MAC, HMAC-SHA256, and \`SDL_PushEvent\`) is measured
on its own, 200 posts of \`reader_post_uid()\` from a thread, and *libnfc
p50* = answer -> event p50 - ours p50. *SDL wake*: from such a post to a UI
thread blocked in \`SDL_WaitEventTimeout\` returning (1 ms sleeps with only
SDL's event subsystem; at once with a video driver); not in p50/p95.
Budget (issue 13): card placed -> welcome frame p95 <= 50 ms with the
chip-accurate emulator. Times in ms.

| poll | emulator | taps | p50 | p95 | max | emulator p50 | answer -> event p50 | libnfc p50 | ours p50 | SDL wake p50 | libnfc share of p50 |
|---|---|---|---|---|---|---|---|---|---|---|---|
MD
OUT=$OUT "$bin" $((taps / 4)) --chip-timing --autopoll
OUT=$OUT "$bin" "$taps" --chip-timing --list
OUT=$OUT "$bin" "$taps" --list
OUT=$OUT "$bin" "$taps" --chip-timing
OUT=$OUT "$bin" "$taps"

cat <<MD

No card on the reader for ${idle_s} s (chip-accurate emulator): the reader
thread's CPU (utime+stime from \`/proc/self/task/TID/stat\`, and the
scheduler's own ns count from \`schedstat\`), its wakeups (voluntary +
involuntary context switches) and the watchdog thread's, and the commands
the chip received per second. Budget (issue 13): reader thread <= 1 % of a
core with no card.

| poll | emulator | s | reader CPU % (stat) | reader CPU % (schedstat) | reader wakeups/s | watchdog wakeups/s | chip commands/s |
|---|---|---|---|---|---|---|---|
MD
OUT=$OUT "$bin" --chip-timing --idle "$idle_s"
OUT=$OUT "$bin" --chip-timing --list --idle "$idle_s"
OUT=$OUT "$bin" --chip-timing --autopoll --idle "$idle_s"
OUT=$OUT "$bin" --chip-timing --quiet 1 --idle "$idle_s"

cat <<MD

Card placed -> the welcome (or goodbye) frame presented by the real
\`presentie-kiosk\` (release build, Xvfb, software renderer, demo data,
\`--set nfc=pn532_uart:LINK\`, chip-accurate emulator, a check-in or
check-out committed with synchronous=FULL each tap): the emulator's
\`card_us\` to the kiosk's \`bench nfc_frame_us\` (after
\`SDL_RenderPresent\` of the frame that follows the card event, under
\`PRESENTIE_BENCH=1\`), both CLOCK_MONOTONIC (\`tests/bench/nfc_frame.py\`).
*chip*: card placed -> the answer with the card on the wire; *kiosk*: that
answer -> frame presented (libnfc, MAC, rules, store commit with fsync,
render). Budget (issue 13): p95 <= 50 ms. Times in ms.

| poll | taps | p50 | p95 | max | min | chip p50 | kiosk p50 |
|---|---|---|---|---|---|---|---|
MD
if command -v Xvfb >/dev/null && command -v python3 >/dev/null; then
	n=90
	while [ -e "/tmp/.X11-unix/X$n" ] || [ -e "/tmp/.X$n-lock" ]; do n=$((n + 1)); done
	setsid Xvfb ":$n" -screen 0 800x480x24 -nolisten tcp >"$OUT/xvfb.log" 2>&1 &
	xpid=$!
	trap 'kill "$xpid" 2>/dev/null' EXIT
	for _ in $(seq 100); do [ -e "/tmp/.X11-unix/X$n" ] && break; sleep 0.1; done
	here=$(dirname "$0")
	DISPLAY=":$n" python3 "$here/nfc_frame.py" "$BUILD" "$OUT/frame" \
		$((taps / 2)) wait
	DISPLAY=":$n" python3 "$here/nfc_frame.py" "$BUILD" "$OUT/frame" \
		$((taps / 2)) list
	DISPLAY=":$n" python3 "$here/nfc_frame.py" "$BUILD" "$OUT/frame" \
		$((taps / 8)) autopoll
	kill "$xpid" 2>/dev/null
	wait "$xpid" 2>/dev/null || true
	trap - EXIT
else
	echo "| (Xvfb or python3 missing: not measured) | | | | | | | |"
fi

cat <<'MD'

The default poll (`nfc_poll = wait`) hands the chip one InListPassiveTarget
with MxRtyPassiveActivation 0xFF and no host timeout: the chip repeats its
activation tries until a card answers while the reader thread sleeps in
libnfc's read (no wakeups, no frames with no card; a re-arm every 30 s).
`nfc_poll = list` is a round of single-shot
InListPassiveTarget (one `nfc_initiator_select_passive_target`, three
activation tries) every 10 ms (`nfc_poll_gap_ms`): a card is seen at the
first try after it answers, so the wait is at most one round (~10 ms + the
tries and frames) instead of up to one InAutoPoll slot (150 ms, issue 13's
p95 153 ms). The price is host wakeups: ~3 per round (the sleep, the ACK, the
answer), where InAutoPoll lets the host sleep in the chip. A real reader
needs host polling for this unless the PN532's IRQ line is wired (HSU has
none; I2C/SPI boards route it); `nfc_poll = autopoll` keeps the old mode for
kiosks that value idle wakeups over the first tap, and `nfc_poll_idle_s`
(third idle row, here 1 s) falls back to it after that long without a card
(docs/NFC.md "Poll settings").
MD
