#!/usr/bin/env python3
"""login_burst.py — a Monday-morning burst of coordinator logins against a
hub on loopback while a kiosk goes on pushing and pulling (hub_login_burst.sh):
N logins (POST /v1/login or the dashboard's POST /v1/session, alternating;
the first --right of them with the right password and, on a 503, retried
after its Retry-After; the rest wrong or of unknown addresses), each from its
own loopback source address, all released together; meanwhile one kiosk
(device token) sends POST /v1/events and GET /v1/changes on new connections
until the burst is over. Prints one JSON line: {"logins": {"200": 3, ...},
"right_ok": n, "kiosk": {"200": n, ...}, "kiosk_max_s": s, "kiosk_n": n,
"busy_retry_after": [Retry-After values of the 503s], "busy_max_s": s, "seconds": s}. Stdlib only; every socket has a timeout, so it always ends."""
import argparse
import json
import os
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from burst import request  # noqa: E402  one request from a chosen source address

RETRIES = 10   # a right login answered 503 tries again (after Retry-After)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--url", required=True)
    ap.add_argument("--token", required=True, help="the kiosk's device token")
    ap.add_argument("--email", required=True)
    ap.add_argument("--password", required=True)
    ap.add_argument("-n", type=int, default=40)
    ap.add_argument("--right", type=int, default=3)
    ap.add_argument("--src", default="127.0.3.{i}")
    a = ap.parse_args()

    lock = threading.Lock()
    logins, kiosk = {}, {}
    right_ok = [0]
    waits = []
    busy = []   # (seconds, Retry-After) of each 503
    start = threading.Barrier(a.n + 1)
    done = threading.Event()

    def login(i):
        path = "/v1/login" if i % 2 == 0 else "/v1/session"
        if i < a.right:
            body = {"email": a.email, "password": a.password}
        elif i < a.right + 2:
            body = {"email": a.email, "password": "wrong-%d" % i}
        else:
            body = {"email": "nobody%d@presentie.test" % i, "password": "wrong-%d" % i}
        start.wait(30)
        for _ in range(RETRIES if i < a.right else 1):
            t0 = time.monotonic()
            s, ra = request(a.url, "POST", path, json.dumps(body), a.src.replace("{i}", str(i + 1)), {})
            with lock:
                logins[str(s)] = logins.get(str(s), 0) + 1
                if s == 503:
                    busy.append((time.monotonic() - t0, ra))
            if s != 503:
                break
            time.sleep(min(int(ra or "1"), 5))
        if i < a.right and s == 200:
            with lock:
                right_ok[0] += 1

    def kiosk_loop():
        auth = {"Authorization": "Bearer " + a.token}
        start.wait(30)
        k = 0
        t_end = time.monotonic() + 120   # bounded whatever happens
        while not done.is_set() and time.monotonic() < t_end:
            k += 1
            if k % 2:
                ev = {"uuid": "0193c0de-7c3d-7e4f-8a9b-%012x" % k, "seq": k, "kind": "check_in",
                      "person_id": "p01", "session_id": "ws-04", "role": None,
                      "wall_ms": 1763819527000 + k, "boot_id": "5b0e5c3e-2f7a-4d8e-9b11-0f5c3a1d2e4f",
                      "boottime_ns": 1000000000 + k, "clock_synced": True, "payload": {}}
                m, p, b = "POST", "/v1/events", json.dumps({"device_seq_from": k, "events": [ev]})
            else:
                m, p, b = "GET", "/v1/changes", None
            t0 = time.monotonic()
            s, _ = request(a.url, m, p, b, "", auth, timeout=30)
            dt = time.monotonic() - t0
            with lock:
                kiosk[str(s)] = kiosk.get(str(s), 0) + 1
                waits.append(dt)
            done.wait(0.05)

    t0 = time.monotonic()
    ts = [threading.Thread(target=login, args=(i,)) for i in range(a.n)]
    kt = threading.Thread(target=kiosk_loop)
    kt.start()
    for t in ts:
        t.start()
    for t in ts:
        t.join(300)
    done.set()
    kt.join(60)
    print(json.dumps({"logins": logins, "right_ok": right_ok[0], "kiosk": kiosk,
                      "kiosk_max_s": round(max(waits), 3) if waits else -1, "kiosk_n": len(waits),
                      "busy_retry_after": sorted({r for _, r in busy}),
                      "busy_max_s": round(max((t for t, _ in busy), default=0), 3),
                      "seconds": round(time.monotonic() - t0, 2)}))


if __name__ == "__main__":
    main()
