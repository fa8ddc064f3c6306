# wakeups_lib.bash — count a process's wakeups: the context switches
# (voluntary + nonvoluntary, /proc/PID/task/TID/status) of every thread, by
# thread name (/proc/PID/task/TID/comm). Sourced by kiosk_wakeups.sh and
# tests/bench/kiosk_bench.sh (named .bash so tests/run.sh does not run it).

# wk_snap PID: one line per thread, "TID NAME SWITCHES" (a space in a name
# becomes _); threads that end while it reads are left out.
wk_snap() {
	local t c s
	for t in /proc/"$1"/task/*; do
		c=$(tr ' ' _ <"$t/comm" 2>/dev/null) || continue
		s=$(awk '/^(non)?voluntary_ctxt_switches:/ {n += $2} END {print n + 0}' \
			"$t/status" 2>/dev/null) || continue
		printf '%s %s %s\n' "${t##*/}" "$c" "$s"
	done
}

# wk_diff BEFORE AFTER: "NAME WAKEUPS" per thread alive at AFTER (a thread
# started in between counts from 0), most first, then "total N".
wk_diff() {
	awk 'NR == FNR {b[$1] = $3; next}
		{print $2, $3 - ($1 in b ? b[$1] : 0)}' "$1" "$2" | sort -k2,2nr -s
	awk 'NR == FNR {b[$1] = $3; next}
		{t += $3 - ($1 in b ? b[$1] : 0)} END {print "total", t + 0}' "$1" "$2"
}

# wk_measure PID SECONDS OUTFILE: wk_diff over SECONDS into OUTFILE.
wk_measure() {
	wk_snap "$1" >"$3.before"
	sleep "$2"
	wk_snap "$1" >"$3.after"
	wk_diff "$3.before" "$3.after" >"$3"
}

# wk_total FILE: the total of a wk_measure/wk_diff output
wk_total() { awk '$1 == "total" {print $2}' "$1"; }
# wk_line FILE: "name=N name=N ..." (total left out), for a report
wk_line() { awk '$1 != "total" {printf "%s%s=%s", sep, $1, $2; sep = " "}' "$1"; }
