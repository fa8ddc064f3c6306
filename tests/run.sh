#!/usr/bin/env bash
# run.sh — run every test and print one closing line CI can read:
#   "N passed, N failed"
# Usage: tests/run.sh BUILD_DIR [PATTERN]
# Unit tests are the cmocka programs in BUILD_DIR/tests; integration tests are
# tests/integration/*.sh (each prints "ok - ..." / "not ok - ..." lines).
set -u
BUILD=${1:-build/asan}
PATTERN=${2:-}
BUILD=$(cd "$BUILD" && pwd)
ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUTROOT=$BUILD/test-out
mkdir -p "$OUTROOT"
passed=0 failed=0 failures=()
start=$(date +%s)

for t in "$BUILD"/tests/test_*; do
	[ -x "$t" ] || continue
	name=$(basename "$t")
	[ -n "$PATTERN" ] && [[ $name != *$PATTERN* ]] && continue
	log=$OUTROOT/$name.log
	echo "== $name"
	(cd "$ROOT" && CMOCKA_MESSAGE_OUTPUT=stdout OUT=$OUTROOT/$name timeout 300 "$t") >"$log" 2>&1
	rc=$?
	p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test(s)\./\1/p' "$log" | tail -n1)
	f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test(s), listed below:/\1/p' "$log" | tail -n1)
	p=${p:-0}; f=${f:-0}
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi   # crashed or timed out
	grep -E '^\[  (FAILED|  ERROR) \]|runtime error|AddressSanitizer' "$log" | head -n 20
	passed=$((passed + p)); failed=$((failed + f))
	[ "$f" -gt 0 ] && failures+=("$name (see $log)")
done

# Integration tests run TEST_JOBS at a time (default: the number of cores,
# at most TEST_JOBS_MAX): most of their time is spent waiting on servers,
# timeouts and the browser, not on a core. A script whose header holds the
# line "# run.sh: alone" measures time or CPU and runs after the others,
# with the machine to itself. Each test's report is printed whole when it
# ends, so parallel output never interleaves.
TEST_JOBS_MAX=4
jobs=${TEST_JOBS:-$(nproc 2>/dev/null || echo 1)}
[ "$jobs" -ge 1 ] 2>/dev/null || jobs=1
[ "$jobs" -le "$TEST_JOBS_MAX" ] || jobs=$TEST_JOBS_MAX
# free_port (tests/lib.sh) claims each port it hands out here, so two tests
# running at once never get the same one.
export PRESENTIE_PORT_CLAIMS=$OUTROOT/.ports
rm -rf "$PRESENTIE_PORT_CLAIMS"; mkdir -p "$PRESENTIE_PORT_CLAIMS"

# integ NAME SCRIPT: run one script; its report goes to OUTROOT/NAME/report
# (the lines run.sh prints) and OUTROOT/NAME/counts ("passed failed").
integ() {
	local name=$1 s=$2 out=$OUTROOT/$1 log t0 rc p f
	rm -rf "$out"; mkdir -p "$out"
	log=$out/run.log
	t0=$(date +%s)
	(cd "$ROOT" && BUILD=$BUILD OUT=$out timeout 600 bash "$s") >"$log" 2>&1
	rc=$?
	p=$(grep -c '^ok - ' "$log")
	f=$(grep -c '^not ok - ' "$log")
	{
		echo "== $name"
		grep '^not ok - ' "$log"
		if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
			f=1; echo "not ok - $name exited $rc (see $log)"; tail -n 15 "$log"
		fi
		echo "   $p passed, $f failed in $(( $(date +%s) - t0 )) s"
	} >"$out/report.tmp"
	echo "$p $f" >"$out/counts"
	mv "$out/report.tmp" "$out/report"
}

# collect NAME: print a finished test's report and add up its counts.
collect() {
	local p f
	cat "$OUTROOT/$1/report"
	read -r p f <"$OUTROOT/$1/counts"
	passed=$((passed + p)); failed=$((failed + f))
	[ "$f" -gt 0 ] && failures+=("$1 (see $OUTROOT/$1/run.log)")
}

together=() alone=()
for s in "$ROOT"/tests/integration/*.sh; do
	[ -f "$s" ] || continue
	name=$(basename "$s" .sh)
	[ -n "$PATTERN" ] && [[ $name != *$PATTERN* ]] && continue
	if head -n 20 "$s" | grep -q '^# run.sh: alone'; then alone+=("$name"); else together+=("$name"); fi
done
# the longest first (the browser's two databases take minutes), so that the
# last minutes are not one long test running alone
ordered=()
for name in "${together[@]+"${together[@]}"}"; do [ "$name" = dash_browser ] && ordered+=("$name"); done
for name in "${together[@]+"${together[@]}"}"; do [ "$name" != dash_browser ] && ordered+=("$name"); done

# reap: print the report of every started test that has ended.
pending=()
reap() {
	local left=() name
	for name in "${pending[@]+"${pending[@]}"}"; do
		if [ -f "$OUTROOT/$name/report" ]; then collect "$name"; else left+=("$name"); fi
	done
	pending=("${left[@]+"${left[@]}"}")
}
for name in "${ordered[@]+"${ordered[@]}"}"; do
	while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n 2>/dev/null || true; reap; done
	integ "$name" "$ROOT/tests/integration/$name.sh" &
	pending+=("$name")
done
wait
reap
for name in "${pending[@]+"${pending[@]}"}"; do
	echo "not ok - $name: ended without a report"; failed=$((failed + 1)); failures+=("$name")
done
for name in "${alone[@]+"${alone[@]}"}"; do
	integ "$name" "$ROOT/tests/integration/$name.sh"
	collect "$name"
done

echo
for x in "${failures[@]+"${failures[@]}"}"; do echo "FAILED: $x"; done
echo "took $(( $(date +%s) - start )) s; output in $OUTROOT"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
