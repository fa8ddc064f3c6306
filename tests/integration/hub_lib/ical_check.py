"""ical_check.py FILE CHECK [ARGS...] — parse an iCalendar feed with the
icalendar library (a real RFC 5545 parser, python3-icalendar) and print
what a test compares: 'events' (UID|local start|local end|STATUS|SUMMARY|
LOCATION, one a line, sorted, in the zone ARG), 'uids-unique', 'raw-ok'
(every physical line <= 75 octets and CRLF-ended)."""
import sys
import zoneinfo

import icalendar

path, check = sys.argv[1], sys.argv[2]
raw = open(path, "rb").read()
if check == "raw-ok":
    lines = raw.split(b"\r\n")
    ok = lines[-1] == b"" and all(len(x) <= 75 and b"\n" not in x for x in lines)
    print("ok" if ok else "bad")
    sys.exit(0)
cal = icalendar.Calendar.from_ical(raw)
evs = [c for c in cal.walk() if c.name == "VEVENT"]
if check == "uids-unique":
    uids = [str(e["UID"]) for e in evs]
    stamps = all("DTSTAMP" in e for e in evs)
    print("ok" if len(set(uids)) == len(uids) and stamps else "bad")
elif check == "events":
    tz = zoneinfo.ZoneInfo(sys.argv[3])
    out = []
    for e in evs:
        s, t = e.decoded("DTSTART"), e.decoded("DTEND")
        out.append("|".join([str(e["UID"]), s.astimezone(tz).strftime("%Y-%m-%d %H:%M"),
                             t.astimezone(tz).strftime("%H:%M"), str(e.get("STATUS", "")),
                             str(e["SUMMARY"]), str(e.get("LOCATION", ""))]))
    print("\n".join(sorted(out)))
