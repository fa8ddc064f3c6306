#!/usr/bin/env python3
"""burst.py — many requests at once against a hub on loopback, for the
hostile tests (hub_hostile_auth.sh): N requests from T threads, all released
together, each with its own body ({i} is the request's number) and, if
given, its own loopback source address; optionally a probe request repeated
while the burst runs. Prints one JSON line: {"status": {"401": 5, ...},
"probe": [statuses...], "seconds": elapsed}. Stdlib only; every socket has a
timeout, so it always ends."""
import argparse
import http.client
import json
import threading
import time
import urllib.parse


def request(url, method, path, body, src, headers, timeout=60):
    """One request on a fresh connection from source address src ("" any):
    (status, Retry-After) or ("error:<OSError class>", "")."""
    u = urllib.parse.urlsplit(url)
    kw = {"timeout": timeout}
    if src:
        kw["source_address"] = (src, 0)
    c = http.client.HTTPConnection(u.hostname, u.port, **kw)
    try:
        h = {"Content-Type": "application/json"}
        h.update(headers)
        c.request(method, path, body=body.encode() if body is not None else None, headers=h)
        r = c.getresponse()
        r.read()
        return r.status, r.getheader("Retry-After") or ""
    except OSError as e:
        return "error:" + type(e).__name__, ""
    finally:
        c.close()


def one(url, method, path, body, src, headers):
    return request(url, method, path, body, src, headers)[0]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--url", required=True)
    ap.add_argument("--method", default="POST")
    ap.add_argument("--path", required=True)
    ap.add_argument("--body", default="", help="body template; {i} = request number")
    ap.add_argument("--src", default="", help="source address template, e.g. 127.0.1.{i}")
    ap.add_argument("-n", type=int, default=60)
    ap.add_argument("-t", "--threads", type=int, default=16)
    ap.add_argument("--probe-path", default="")
    ap.add_argument("--probe-body", default="")
    ap.add_argument("--probe-max", type=int, default=50)
    a = ap.parse_args()

    lock = threading.Lock()
    todo = list(range(a.n))
    status = {}
    start = threading.Barrier(a.threads + (1 if a.probe_path else 0))
    done = threading.Event()
    probes = []

    def worker():
        start.wait(30)
        while True:
            with lock:
                if not todo:
                    return
                i = todo.pop(0)
            s = one(a.url, a.method, a.path, a.body.replace("{i}", str(i)) if a.body else None,
                    a.src.replace("{i}", str(i)) if a.src else "", {})
            with lock:
                status[str(s)] = status.get(str(s), 0) + 1

    def prober():
        start.wait(30)
        while not done.is_set() and len(probes) < a.probe_max:
            probes.append(one(a.url, "POST", a.probe_path, a.probe_body, "", {}))
            done.wait(0.05)

    t0 = time.monotonic()
    ts = [threading.Thread(target=worker) for _ in range(a.threads)]
    if a.probe_path:
        pt = threading.Thread(target=prober)
        pt.start()
    for t in ts:
        t.start()
    for t in ts:
        t.join(300)
    done.set()
    if a.probe_path:
        pt.join(120)
    print(json.dumps({"status": status, "probe": probes, "seconds": round(time.monotonic() - t0, 2)}))


if __name__ == "__main__":
    main()
