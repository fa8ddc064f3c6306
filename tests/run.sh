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

for s in "$ROOT"/tests/integration/*.sh; do
	[ -f "$s" ] || continue
	name=$(basename "$s" .sh)
	[ -n "$PATTERN" ] && [[ $name != *$PATTERN* ]] && continue
	out=$OUTROOT/$name
	rm -rf "$out"; mkdir -p "$out"
	log=$out/run.log
	echo "== $name"
	t0=$(date +%s)
	(cd "$ROOT" && BUILD=$BUILD OUT=$out timeout 600 bash "$s") >"$log" 2>&1
	rc=$?
	p=$(grep -c '^ok - ' "$log")
	f=$(grep -c '^not ok - ' "$log")
	grep '^not ok - ' "$log"
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1; echo "not ok - $name exited $rc (see $log)"; tail -n 15 "$log"
	fi
	echo "   $p passed, $f failed in $(( $(date +%s) - t0 )) s"
	passed=$((passed + p)); failed=$((failed + f))
	[ "$f" -gt 0 ] && failures+=("$name (see $log)")
done

echo
for x in "${failures[@]+"${failures[@]}"}"; do echo "FAILED: $x"; done
echo "took $(( $(date +%s) - start )) s; output in $OUTROOT"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
