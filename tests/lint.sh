#!/usr/bin/env bash
# lint.sh — static checks run by `make lint`: cppcheck, clang-tidy, the
# banned-function gate and shellcheck, over whatever C and shell files exist
# in kiosk/, sync/, tests/ (and .ci/run). Exits non-zero on any finding.
# Must not: build, change files, or run past LINT_BUDGET_S (every tool runs
# under `timeout` with what is left; clang-tidy runs two files at a time).
# Usage: tests/lint.sh [cppcheck|tidy|banned|shell|rooms]...   (default: all five)
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT" || exit 2

LINT_BUDGET_S=${LINT_BUDGET_S:-170}   # the whole run, all tools: < 3 min on 2 cores
JOBS=${LINT_JOBS:-2}
DEADLINE=$(( $(date +%s) + LINT_BUDGET_S ))
# Seconds left before the deadline (at least 1), for `timeout`.
left() { local l=$(( DEADLINE - $(date +%s) )); [ "$l" -gt 0 ] || l=1; echo "$l"; }
failed=()

# C files of the project, build output excluded, NUL-separated into an array.
mapfile -d '' C_FILES < <(find kiosk sync tests -name '*.c' -not -path '*/build/*' \
	-print0 2>/dev/null | sort -z)

# Compiler flags exactly as the Makefile has them (CSTD, INCS, PKGS).
# shellcheck disable=SC2016  # $($*) is make syntax, not shell: no expansion wanted
mkvar() { make -s --no-print-directory --eval 'print-%: ; @echo $($*)' "print-$1"; }
read -r -a CSTD <<<"$(mkvar CSTD)"
read -r -a INCS <<<"$(mkvar INCS)"
read -r -a PKGS <<<"$(mkvar PKGS)"
read -r -a PKG_CFLAGS <<<"$(pkg-config --cflags "${PKGS[@]}" cmocka 2>/dev/null)"

run_cppcheck() {
	[ ${#C_FILES[@]} -gt 0 ] || return 0
	local DEFS=() f
	for f in "${CSTD[@]}"; do [[ $f == -D* ]] && DEFS+=("$f"); done
	# Defining the macros pins cppcheck to the one configuration we build.
	# System headers are not given: cppcheck reads them poorly and slowly;
	# missingIncludeSystem is the one suppression that follows from that.
	timeout "$(left)" cppcheck --enable=warning,performance,portability \
		--error-exitcode=1 --std=c11 --inline-suppr --quiet -j "$JOBS" \
		"${DEFS[@]}" "${INCS[@]}" \
		--suppress=missingIncludeSystem \
		--template='{file}:{line}: {severity}: {message} [{id}]' \
		"${C_FILES[@]}"
}

# clang-tidy: the static analyzer and bugprone checks, minus the noisy ones:
#  easily-swappable-parameters: flags every (int64_t start, int64_t end);
#  reserved-identifier: _DEFAULT_SOURCE/_GNU_SOURCE style names are intended;
#  DeprecatedOrUnsafeBufferHandling: wants memset_s/memcpy_s (Annex K, not in glibc);
#  implicit-widening-of-multiplication-result: fires on every named constant such
#    as (30 * 60) assigned to an int64_t; such products are folded at compile time
#    and gcc's -Woverflow already rejects one that overflows;
#  optin.performance.Padding: asks to reorder struct fields by size; our
#    structs are ordered for reading, and none is kept in bulk.
# Added: cert-err34-c (atoi-like conversions unchecked), cert-str34-c (char
# sign extension), cert-flp30-c (float loop counters).
TIDY_CHECKS='-*,clang-analyzer-*,bugprone-*,-bugprone-easily-swappable-parameters'
TIDY_CHECKS+=',-bugprone-reserved-identifier,-bugprone-implicit-widening-of-multiplication-result'
TIDY_CHECKS+=',-clang-analyzer-security.insecureAPI.DeprecatedOrUnsafeBufferHandling'
TIDY_CHECKS+=',-clang-analyzer-optin.performance.Padding'
TIDY_CHECKS+=',cert-err34-c,cert-str34-c,cert-flp30-c'
run_tidy() {
	[ ${#C_FILES[@]} -gt 0 ] || return 0
	# The flags go into a compile_flags.txt (one argument a line) in a
	# scratch folder. One file per clang-tidy process: with several files in
	# one process, clang-tidy 14's analyzer reports false "uninitialized
	# va_list" (valist.Uninitialized) in every file after the first.
	local db rc
	db=$(mktemp -d) || return 1
	printf '%s\n' "${CSTD[@]}" "${INCS[@]/#-I/-I$ROOT/}" "${PKG_CFLAGS[@]}" \
		'-DPRESENTIE_DATADIR="/usr/local/share/presentie"' >"$db/compile_flags.txt"
	printf '%s\0' "${C_FILES[@]}" |
		timeout "$(left)" xargs -0 -n 1 -P "$JOBS" clang-tidy --quiet -p "$db" \
			--checks="$TIDY_CHECKS" --warnings-as-errors='*' \
			--header-filter='(kiosk|sync|tests)/' 2>&1 |
		grep -v -E '^[0-9]+ warnings? (and [0-9]+ errors? )?generated\.$'
	rc=${PIPESTATUS[1]}
	rm -rf "$db"
	return "$rc"
}

# The banned-function gate (curl checksrc style): comments and string
# literals are blanked first, so prose and messages do not trip it.
BANNED='strcpy|strcat|sprintf|vsprintf|gets|atoi|atol|atoll|atof|strtok|system|popen|tmpnam|mktemp|localtime|gmtime|ctime|asctime'
run_banned() {
	local dirs=() d
	for d in kiosk sync tests/pn532emu; do [ -d "$d" ] && dirs+=("$d"); done
	[ ${#dirs[@]} -gt 0 ] || return 0
	local files
	mapfile -d '' files < <(find "${dirs[@]}" \( -name '*.c' -o -name '*.h' \) \
		-not -path '*/build/*' -print0 | sort -z)
	[ ${#files[@]} -gt 0 ] || return 0
	perl -e '
		my $bad = 0;
		for my $f (@ARGV) {
			open(my $fh, "<", $f) or die "$f: $!";
			local $/; my $s = <$fh>; close $fh;
			# blank comments and literals, keeping newlines for line numbers
			$s =~ s{(/\*.*?\*/|//[^\n]*|"(?:\\.|[^"\\\n])*"|'"'"'(?:\\.|[^'"'"'\\\n])*'"'"')}
			       { (my $m = $1) =~ s/[^\n]/ /g; $m }gse;
			my $n = 0;
			for my $line (split /\n/, $s, -1) {
				$n++;
				while ($line =~ /(?<![\w.>])('"$BANNED"')\s*\(/g) {
					print "$f:$n: banned function $1()\n"; $bad = 1;
				}
			}
		}
		exit $bad;' "${files[@]}"
}

run_shell() {
	local files
	mapfile -d '' files < <(find . -name '*.sh' -not -path './build/*' \
		-not -path './.git/*' -print0 | sort -z)
	[ -f .ci/run ] && files+=(.ci/run)
	[ ${#files[@]} -gt 0 ] || return 0
	timeout "$(left)" shellcheck -x -P SCRIPTDIR "${files[@]}"
}

# The hub's rooms include only from the rooms below them (tests/hub_rooms.sh).
run_rooms() {
	local out rc
	out=$(bash tests/hub_rooms.sh); rc=$?
	[ "$rc" -eq 0 ] || grep -v '^ok' <<<"$out"
	return "$rc"
}

[ $# -eq 0 ] && set -- cppcheck tidy banned shell rooms
for step in "$@"; do
	t0=$(date +%s)
	case $step in
	cppcheck) run_cppcheck ;; tidy) run_tidy ;; banned) run_banned ;; shell) run_shell ;;
	rooms) run_rooms ;;
	*) echo "lint.sh: unknown step '$step'" >&2; exit 2 ;;
	esac
	rc=$?
	if [ "$rc" -eq 0 ]; then
		echo "lint: $step ok ($(( $(date +%s) - t0 )) s)"
	else
		[ "$rc" -eq 124 ] && echo "lint: $step ran out of the ${LINT_BUDGET_S} s budget" >&2
		echo "lint: $step FAILED" >&2
		failed+=("$step")
	fi
done
if [ ${#failed[@]} -gt 0 ]; then
	echo "lint: failed: ${failed[*]}" >&2
	exit 1
fi
echo "lint: all clean"
