#!/usr/bin/env python3
"""nfc_frame.py — card placed on the chip-accurate pn532-emu -> the welcome
(or goodbye) frame presented by the real presentie-kiosk, through its real
libnfc reader thread, the rules, the fsync'ed store commit and the renderer.
Times: the emulator's `card_us` (the control line handled) and the kiosk's
`bench nfc_frame_us=` (after SDL_RenderPresent of the frame that follows the
card event), both CLOCK_MONOTONIC microseconds. Prints one Markdown row.
  nfc_frame.py BUILD OUT TAPS wait|list|autopoll   (DISPLAY must be set)
Must not: print a UID; wait without a bound."""
import os
import random
import select
import subprocess
import sys
import time

ANSWER_S = 3.0      # an emulator answer / a frame must come within this
READY_S = 15.0      # kiosk start to "nfc reader ready"
GONE_S = 0.5        # after `remove`: presence check (100 ms) + timeout


def main():
    build, out = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    taps, mode = int(sys.argv[3]), sys.argv[4]
    os.makedirs(out, exist_ok=True)
    # the kiosk finds its assets from the repository root (kiosk_bench.sh)
    os.chdir(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
    link = os.path.join(out, "pn532-frame")
    db = os.path.join(out, "frame.db")
    fifo = os.path.join(out, "frame.fifo")
    errlog = os.path.join(out, "frame.err")
    for p in (link, db, fifo):
        if os.path.lexists(p):
            os.unlink(p)
    kiosk_bin = os.path.join(build, "presentie-kiosk")
    base = [kiosk_bin, "--db", db, "--windowed", "800x480",
            "--set", "renderer=software", "--set", "repeat_seconds=0",
            "--set", "checkout_all=yes"]
    env = dict(os.environ, SDL_AUDIODRIVER="dummy", PRESENTIE_BENCH="1")
    env.pop("LIBNFC_LOG_LEVEL", None)
    quit_feed = os.path.join(out, "quit.feed")
    with open(quit_feed, "w") as f:
        f.write("quit\n")
    subprocess.run(base + ["--demo", "--feed", quit_feed], env=env, timeout=60,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)

    emu = subprocess.Popen([os.path.join(build, "pn532-emu"), "--link", link,
                            "--chip-timing"], stdin=subprocess.PIPE,
                           stdout=subprocess.PIPE, text=True, bufsize=1)
    kiosk = None
    try:
        def line(timeout=ANSWER_S):
            r, _, _ = select.select([emu.stdout], [], [], timeout)
            if not r:
                raise RuntimeError("emulator did not answer")
            return emu.stdout.readline().strip()

        def ctl(cmd):
            emu.stdin.write(cmd + "\n")
            emu.stdin.flush()
            ans = line()
            if not ans.startswith("ok"):
                raise RuntimeError("emulator refused " + cmd.split()[0])
            return ans

        line()                                  # the pty path
        os.mkfifo(fifo)
        feed_fd = os.open(fifo, os.O_RDWR)      # no EOF for the kiosk
        err = open(errlog, "w")
        kiosk = subprocess.Popen(base + ["--set", "nfc=pn532_uart:" + link,
                                         "--set", "nfc_poll=" + mode,
                                         "--feed", fifo], env=env,
                                 stdout=subprocess.DEVNULL, stderr=err)

        def err_lines():
            with open(errlog) as f:
                return f.read().splitlines()

        end = time.monotonic() + READY_S
        while not any("nfc reader ready" in x for x in err_lines()):
            if time.monotonic() > end or kiosk.poll() is not None:
                raise RuntimeError("kiosk reader not ready")
            time.sleep(0.05)
        time.sleep(1.0)                         # first frames, reader polling
        random.seed(42)
        lat, chip, kio = [], [], []
        for i in range(taps):
            time.sleep(random.uniform(0, 0.3 if mode == "autopoll" else 0.06))
            seen = sum(1 for x in err_lines() if x.startswith("bench nfc_frame_us="))
            ctl("card 040000000000%02d" % (i % 7 + 1))
            timing = ctl("timing")
            card_us = int(timing.split("card_us=")[1].split()[0])
            end = time.monotonic() + ANSWER_S
            frame_us = None
            while frame_us is None:
                frames = [x for x in err_lines() if x.startswith("bench nfc_frame_us=")]
                if len(frames) > seen:
                    frame_us = int(frames[seen].split("=")[1].split()[0])
                elif time.monotonic() > end:
                    raise RuntimeError("tap %d: no frame" % i)
                else:
                    time.sleep(0.002)
            found_us = int(ctl("timing").split("found_us=")[1].split()[0])
            lat.append((frame_us - card_us) / 1000.0)
            if card_us <= found_us <= frame_us:
                chip.append((found_us - card_us) / 1000.0)
                kio.append((frame_us - found_us) / 1000.0)
            ctl("remove")
            time.sleep(GONE_S)
        os.write(feed_fd, b"quit\n")
        kiosk.wait(timeout=10)
        kiosk = None
        for v in (lat, chip, kio):
            v.sort()

        def pct(p, v=lat):
            return v[min(len(v) - 1, int(p * (len(v) - 1) + 0.5))] if v else -1

        label = ("InAutoPoll (period 1 = 150 ms)" if mode == "autopoll"
                 else "InListPassiveTarget rounds, 10 ms apart"
                 if mode == "list" else
                 "wait: one InListPassiveTarget, MxRty 0xFF (default)")
        print("| %s | %d | %.1f | %.1f | %.1f | %.1f | %.1f (p95 %.1f) | "
              "%.1f (p95 %.1f) |" %
              (label, len(lat), pct(0.5), pct(0.95), lat[-1], lat[0],
               pct(0.5, chip), pct(0.95, chip), pct(0.5, kio), pct(0.95, kio)))
    finally:
        if kiosk is not None:
            kiosk.kill()
            kiosk.wait()
        emu.stdin.close()
        emu.wait(timeout=5)


if __name__ == "__main__":
    try:
        main()
    except (RuntimeError, subprocess.SubprocessError, OSError) as e:
        print("nfc_frame.py: %s" % e, file=sys.stderr)
        sys.exit(1)
