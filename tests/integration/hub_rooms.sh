#!/usr/bin/env bash
# hub_rooms.sh — make test's check of the hub's layout: each room includes
# only from the rooms below it (tests/hub_rooms.sh), and no two source files
# depend on each other in a circle (tests/hub_circles.py, from the symbols
# of the objects in $BUILD).
set -u
here=$(dirname "$0")
rc=0
bash "$here/../hub_rooms.sh" || rc=1
python3 "$here/../hub_circles.py" "${BUILD:-build/asan}" || rc=1
exit "$rc"
