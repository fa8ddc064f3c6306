#!/usr/bin/env bash
# hub_rooms.sh — make test's check of the hub's dependency rule
# (tests/hub_rooms.sh): each room includes only from the rooms below it.
set -u
bash "$(dirname "$0")/../hub_rooms.sh"
