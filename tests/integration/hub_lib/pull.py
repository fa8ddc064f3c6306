# pull.py — a kiosk's GET /v1/changes loop for hub tests (stdlib only).
# Usage: pull.py BASE_URL TOKEN CURSOR
# Follows "more" (at most 50 pages) and prints one JSON line:
# {"cursor": final, "pages": n, "people": [ids in order], "tombstones": [...],
#  "rows": total rows of every list}. Exits 1 on an HTTP error.
import json
import sys
import urllib.parse
import urllib.request

LISTS = ("people", "credentials", "programmes", "enrolments", "sessions", "assignments",
         "tombstones")


def main():
    base, tok, cur = sys.argv[1], sys.argv[2], sys.argv[3]
    out = {"people": [], "tombstones": [], "rows": 0, "pages": 0}
    for _ in range(50):
        q = urllib.parse.urlencode({"cursor": cur})
        rq = urllib.request.Request(base + "/v1/changes?" + q,
                                    headers={"Authorization": "Bearer " + tok})
        with urllib.request.urlopen(rq, timeout=30) as r:
            d = json.load(r)
        out["pages"] += 1
        out["people"] += [p["id"] for p in d["people"]]
        out["tombstones"] += [p["person_id"] for p in d["tombstones"]]
        out["rows"] += sum(len(d[k]) for k in LISTS)
        cur = d["cursor"]
        if not d["more"]:
            break
    out["cursor"] = cur
    print(json.dumps(out))


if __name__ == "__main__":
    try:
        main()
    except Exception as e:  # noqa: BLE001 - the test prints why
        print(json.dumps({"error": str(e)}))
        sys.exit(1)
