#!/usr/bin/env bash
# hub_rooms.sh — the dependency rule of the hub's rooms (docs/ARCHITECTURE.md):
# a file in sync/hub/ROOM may include hub headers only from the rooms listed
# for ROOM below, so dependencies point one way (endpoints -> services -> db)
# and no circle can form between rooms. Prints one "ok - ..." or
# "not ok - ..." line per room and exits non-zero on any violation.
# Used by tests/integration/hub_rooms.sh (make test) and tests/lint.sh.
# Must not: build or change anything.
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT/sync/hub" || exit 2

# room: the rooms it may include from (itself always).
declare -A MAY=(
	[base]=""                                  # time, zones, calendar, JSON checks
	[db]=""                                    # connection, backends, schema
	[svc]="db base"                            # the hub's services: auth, login, ingest, ...
	[reports]="svc db base"                    # exports, presentielijst
	[http]="svc db base"                       # server, router, who is calling
	[api]="http reports svc db base"           # the device protocol
	[dash]="http reports svc db base"          # the dashboard's JSON API and web files
	[cli]="api dash http reports svc db base"  # main, subcommands, the URL table
)
bad=0
for dir in */; do
	room=${dir%/}
	if [ -z "${MAY[$room]+set}" ]; then
		echo "not ok - hub room $room is not in tests/hub_rooms.sh (give it its rule)"
		bad=1; continue
	fi
	viol=$(grep -Ho '#include "hub/[a-z_]*/' "$room"/*.[ch] 2>/dev/null |
		while IFS=: read -r file inc; do
			to=${inc#\#include \"hub/}; to=${to%/}
			case " $room ${MAY[$room]} " in *" $to "*) ;; *) echo "$file -> $to";; esac
		done)
	if [ -n "$viol" ]; then
		echo "not ok - hub room $room includes only from: $room ${MAY[$room]}"
		while IFS= read -r line; do echo "#   $line"; done <<<"$viol"
		bad=1
	else
		echo "ok - hub room $room includes only from: $room ${MAY[$room]}"
	fi
done
# Flat files next to the rooms would have no rule.
loose=$(find . -maxdepth 1 -name '*.[ch]' | head -n 5)
if [ -n "$loose" ]; then
	echo "not ok - sync/hub/ has files outside a room: $loose"; bad=1
else
	echo "ok - every hub source file is in a room"
fi
exit "$bad"
