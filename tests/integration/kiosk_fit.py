#!/usr/bin/env python3
# kiosk_fit.py — helpers for kiosk_home_fit.sh (stdlib only; named .py so
# tests/run.sh does not run it as a test).
#   busiest DB            move the demo's busiest day (the sessions seeded
#                         on the running workshop's local day) into today,
#                         clamped to today's bounds, so the check does not
#                         depend on the hour the test runs
#   stress DB             add to today: a session with a long Dutch title
#                         and room, three more roles (one a single long
#                         word) and volunteers with long first names
#   expect DB LANG ASSETS today's roles (translated as the kiosk does), the
#                         first names holding each, and today's sessions
#                         still to come, as JSON
#   check OUT OFFSET EXPECT.json
#                         read the kiosk's text trace (PRESENTIE_TRACE_TEXT)
#                         from byte OFFSET of OUT: the home frames of every
#                         page must together show every role with its names
#                         (each name's box under the nearest role label's box
#                         at or above it), every title and room, fully
#                         (not cut, inside its box, on screen); prints why not
import json
import re
import sqlite3
import sys
import time
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

# kiosk/ui/rows.c ui_role_name: role key -> msgid
ROLE_MSGID = {"catering": "Catering", "rolmodel": "Role model", "coach": "Coach",
              "gastvrouw": "Host", "gastheer": "Host", "host": "Host",
              "begeleider": "Supervisor", "vrijwilliger": "Volunteer"}
UI_HOME = 0


def today_bounds(db):
    tz = db.execute("SELECT value FROM meta WHERE key='location_tz'").fetchone()
    zone = ZoneInfo(tz[0] if tz else "Europe/Amsterdam")
    now = datetime.now(zone)
    d0 = datetime(now.year, now.month, now.day, tzinfo=zone)
    nxt = (d0 + timedelta(days=1, hours=3)).date()
    d1 = datetime(nxt.year, nxt.month, nxt.day, tzinfo=zone)
    return int(d0.timestamp()), int(d1.timestamp()), int(now.timestamp())


def busiest(path):
    db = sqlite3.connect(path)
    d0, d1, _ = today_bounds(db)
    # the seeded demo day: sessions within 12 h of the running workshop's start
    ws = db.execute("SELECT start_utc FROM sessions WHERE id='ws-04'").fetchone()[0]
    rows = db.execute("SELECT id, start_utc, end_utc FROM sessions WHERE "
                      "abs(start_utc - ?) < 12 * 3600", (ws,)).fetchall()
    for sid, s, e in rows:
        dur = min(e - s, d1 - d0)
        s2 = min(max(s, d0), d1 - dur)
        db.execute("UPDATE sessions SET start_utc=?, end_utc=? WHERE id=?",
                   (s2, s2 + dur, sid))
    db.commit()
    print(len(rows))


def stress(path):
    db = sqlite3.connect(path)
    d0, d1, now = today_bounds(db)
    loc = db.execute("SELECT value FROM meta WHERE key='location_id'").fetchone()[0]
    start = max(d0, min(now - 600, d1 - 7200))
    db.execute("INSERT INTO sessions (id, programme_id, title, location_id, room,"
               " start_utc, end_utc, kind) VALUES ('fit-1', NULL, ?, ?, ?, ?, ?, 2)",
               ("Taalcafé: Nederlandse spreekvaardigheid voor nieuwkomers en "
                "statushouders", loc, "Gemeenschapsruimte eerste verdieping achter",
                start, start + 7200))
    people = [("fit-p1", "Anne-Marijke"), ("fit-p2", "Jan-Willem"),
              ("fit-p3", "Wilhelmina"), ("fit-p4", "Bartholomeus"),
              ("fit-p5", "Maximiliaan"), ("fit-p6", "Geertruida"),
              ("fit-p7", "Hendrikje")]
    for pid, first in people:
        db.execute("INSERT INTO people (id, display_name, first_name) VALUES (?, ?, ?)",
                   (pid, first + " V.", first))
    # a role the kiosk has no name for is shown by its key: one long word
    for key, label in (("begeleider", "Begeleider"), ("vrijwilliger", "Vrijwilliger"),
                       ("vrijwilligerscoordinatorenteam", "Coördinatie")):
        db.execute("INSERT OR IGNORE INTO roles (key, label) VALUES (?, ?)", (key, label))
    for pid, role in (("fit-p1", "begeleider"), ("fit-p2", "begeleider"),
                      ("fit-p3", "vrijwilliger"), ("fit-p4", "vrijwilliger"),
                      ("fit-p5", "catering"), ("fit-p6", "rolmodel"),
                      ("fit-p7", "vrijwilligerscoordinatorenteam")):
        db.execute("INSERT INTO role_assignments (session_id, person_id, role) "
                   "VALUES ('fit-1', ?, ?)", (pid, role))
    db.commit()


def po_strings(path):
    out, msgid = {}, None
    with open(path, encoding="utf-8") as f:
        for line in f:
            m = re.match(r'msgid "(.*)"$', line)
            if m:
                msgid = m.group(1)
                continue
            m = re.match(r'msgstr "(.*)"$', line)
            if m and msgid is not None and m.group(1):
                out[msgid] = m.group(1)
    return out


def expect(path, lang, assets):
    db = sqlite3.connect(path)
    tr = po_strings(f"{assets}/i18n/{lang}.po")
    d0, d1, now = today_bounds(db)
    roles = {}
    for role, first in db.execute(
            "SELECT r.role, p.first_name FROM role_assignments r "
            "JOIN sessions s ON s.id = r.session_id JOIN people p ON p.id = r.person_id "
            "WHERE s.start_utc >= ? AND s.start_utc < ?", (d0, d1)):
        msgid = ROLE_MSGID.get(role)
        label = tr.get(msgid, msgid) if msgid else role
        names = roles.setdefault(role, {"label": label, "names": []})["names"]
        if first not in names:
            names.append(first)
    sessions = [{"title": t, "room": r} for t, r in db.execute(
        "SELECT title, room FROM sessions WHERE start_utc < ? AND end_utc > ? "
        "AND end_utc > ?", (d1, d0, now))]
    json.dump({"roles": list(roles.values()), "sessions": sessions}, sys.stdout,
              ensure_ascii=False)


def frames(path, offset):
    """(page, pages, [records]) of every complete frame from offset."""
    with open(path, "rb") as f:
        f.seek(offset)
        data = f.read().decode("utf-8", "replace")
    out, cur = [], None
    for line in data.split("\n"):
        if line.startswith("frame screen="):
            kv = dict(x.split("=", 1) for x in line.split()[1:])
            page, pages = kv["page"].split("/")
            cur = {"screen": int(kv["screen"]), "page": int(page),
                   "pages": int(pages), "dropped": int(kv["dropped"]), "texts": []}
        elif line == "frame end" and cur is not None:
            out.append(cur)
            cur = None
        elif line.startswith("text ") and cur is not None:
            head, s = line.split(" s=", 1)
            kv = dict(x.split("=", 1) for x in head.split()[1:])
            box = [int(v) for v in kv["box"].split(",")]
            cur["texts"].append({"s": s.replace("\\n", "\n").replace("\\\\", "\\"),
                                 "top": box[1],
                                 "bad": [k for k in ("cut", "over", "off")
                                         if kv[k] == "1"]})
    return out


def check(out, offset, expect_path):
    with open(expect_path, encoding="utf-8") as f:
        exp = json.load(f)
    home = [fr for fr in frames(out, int(offset)) if fr["screen"] == UI_HOME]
    if not home:
        print("no home frames traced")
        return 1
    pages = home[-1]["pages"]
    last = {}
    for fr in home:
        if fr["pages"] == pages:
            last[fr["page"]] = fr       # the latest frame of each page
    problems = []
    missing = sorted(set(range(1, pages + 1)) - set(last))
    if missing:
        problems.append(f"pages never shown: {missing} of {pages}")
    texts = [(p, t) for p, fr in sorted(last.items()) for t in fr["texts"]]
    for p, fr in sorted(last.items()):
        if fr["dropped"]:
            problems.append(f"page {p}: {fr['dropped']} texts not traced")
    for p, t in texts:
        if t["bad"]:
            problems.append(f"page {p}: {'/'.join(t['bad'])}: {t['s']!r}")

    def whole(p_t, word):
        return re.search(r"(?<!\w)" + re.escape(word) + r"(?!\w)", p_t[1]["s"])

    def is_label(t, label):           # "Rolmodel", or "Rolmodel: Anouk, ..."
        return t["s"] == label or t["s"].startswith(label + ":")

    all_labels = [(p, t, r["label"]) for r in exp["roles"] for p, t in texts
                  if is_label(t, r["label"])]

    def owner(p, t):
        """The role label a text belongs to: the nearest at or above it."""
        above = [x for x in all_labels if x[0] == p and x[1]["top"] <= t["top"]]
        return max(above, key=lambda x: x[1]["top"])[2] if above else None

    for role in exp["roles"]:
        labels = [x for x in texts if is_label(x[1], role["label"]) and not x[1]["bad"]]
        if not labels:
            problems.append(f"role {role['label']!r} not fully on any page")
            continue
        for name in role["names"]:
            if not any(not t["bad"] and whole((p, t), name) and
                       owner(p, t) == role["label"] for p, t in texts):
                problems.append(f"{name!r} not fully shown under {role['label']!r}")
    for s in exp["sessions"]:
        for what in ("title", "room"):
            if s[what] and not any(s[what] in t["s"] and not t["bad"] for _, t in texts):
                problems.append(f"session {what} {s[what]!r} not fully shown")
    n_names = sum(len(r["names"]) for r in exp["roles"])
    print(f"pages={pages} roles={len(exp['roles'])} names={n_names} "
          f"sessions={len(exp['sessions'])} texts={len(texts)} problems={len(problems)}")
    for x in problems[:40]:
        print("  " + x)
    return 1 if problems else 0


def main(argv):
    if len(argv) >= 2 and argv[1] == "busiest":
        busiest(argv[2])
    elif len(argv) >= 2 and argv[1] == "stress":
        stress(argv[2])
    elif len(argv) == 5 and argv[1] == "expect":
        expect(argv[2], argv[3], argv[4])
    elif len(argv) == 5 and argv[1] == "check":
        return check(argv[2], argv[3], argv[4])
    else:
        print(__doc__ or "usage: see the header", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    time.tzset()
    sys.exit(main(sys.argv))
