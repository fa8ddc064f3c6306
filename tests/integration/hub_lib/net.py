#!/usr/bin/env python3
"""net.py — hostile network clients for hub_hostile_net.sh (stdlib only).

Each subcommand runs one scenario against a hub on loopback and prints one
JSON object with what it measured; the shell script judges it. Every wait
is bounded (socket timeouts, loop deadlines).

  exports HOST PORT TOKEN_A TOKEN_B   12 stalled export readers of org A
  slow HOST PORT HUB_PID N            N trickling connections over 127.0.0.2..60
  peraddr HOST PORT SRC N             N connections from one address
"""
import http.client
import json
import os
import selectors
import socket
import sys
import time

EXPORT = "/v1/export/attendance.csv"


def now():
    return time.monotonic()


def get(host, port, path, token=None, timeout=5.0, src=None, read=True):
    """One request on a fresh connection: (status, headers, body, ms)."""
    t0 = now()
    try:
        c = http.client.HTTPConnection(host, port, timeout=timeout,
                                       source_address=(src, 0) if src else None)
        hdrs = {"Authorization": "Bearer " + token} if token else {}
        c.request("GET", path, headers=hdrs)
        r = c.getresponse()
        body = r.read() if read else b""
        st, h = r.status, {k.lower(): v for k, v in r.getheaders()}
        c.close()
    except (OSError, http.client.HTTPException) as e:
        return ("error:" + type(e).__name__, {}, b"", int((now() - t0) * 1000))
    return (st, h, body, int((now() - t0) * 1000))


def head_of(sock, limit_s):
    """Read up to the end of the response headers: (status, headers)."""
    sock.settimeout(limit_s)
    buf = b""
    try:
        while b"\r\n\r\n" not in buf and len(buf) < 16384:
            b = sock.recv(1)        # byte by byte: leave the body unread
            if not b:
                break
            buf += b
    except OSError as e:
        return ("error:" + type(e).__name__, {})
    lines = buf.decode("latin-1").split("\r\n")
    if not lines or len(lines[0].split()) < 2:
        return ("none", {})
    h = {}
    for ln in lines[1:]:
        if ":" in ln:
            k, v = ln.split(":", 1)
            h[k.strip().lower()] = v.strip()
    return (int(lines[0].split()[1]), h)


def stalled_reader(host, port, token):
    """An export request whose client reads the headers, then nothing."""
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    s.settimeout(5)
    s.connect((host, port))
    s.sendall(("GET %s HTTP/1.1\r\nHost: hub\r\nAuthorization: Bearer %s\r\n\r\n"
               % (EXPORT, token)).encode())
    st, h = head_of(s, 8)
    return s, st, h


def rows_of(csv_body):
    n = csv_body.count(b"\r\n")
    return n - 1 if n > 0 else 0


def cmd_exports(host, port, tok_a, tok_b):
    out = {}
    t_stall = now()
    socks, stalls = [], []
    for _ in range(12):
        s, st, h = stalled_reader(host, port, tok_a)
        socks.append(s)
        stalls.append({"status": st, "retry_after": h.get("retry-after")})
    out["stalls"] = stalls
    # B's coordinator while A's readers stall
    b = []
    for path in ["/v1/dash/people", "/v1/dash/today", EXPORT, "/v1/dash/people", EXPORT]:
        st, _, _, ms = get(host, port, path, tok_b, timeout=10)
        b.append({"path": path, "status": st, "ms": ms})
    out["org_b"] = b
    # A's 13th export
    st, h, _, ms = get(host, port, EXPORT, tok_a, timeout=10)
    out["a13"] = {"status": st, "retry_after": h.get("retry-after"), "ms": ms}
    # until A gets an export again (the stalled slots time out)
    deadline = t_stall + 45
    freed = None
    while now() < deadline:
        st, h, body, ms = get(host, port, EXPORT, tok_a, timeout=30)
        if st == 200:
            freed = {"after_s": round(now() - t_stall, 1), "rows": rows_of(body),
                     "ms": ms}
            break
        time.sleep(0.5)
    out["freed"] = freed
    for s in socks:
        s.close()
    # a client that reads a little and goes away
    s, st, _ = stalled_reader(host, port, tok_a)
    got = 0
    s.settimeout(5)
    try:
        while got < 200000:
            d = s.recv(65536)
            if not d:
                break
            got += len(d)
    except OSError:
        pass
    s.close()
    out["cut"] = {"status": st, "bytes": got}
    print(json.dumps(out))


def src_addrs():
    return ["127.0.0.%d" % i for i in range(2, 61)]


def fds_of(pid):
    try:
        return len(os.listdir("/proc/%d/fd" % pid))
    except OSError:
        return -1


def cmd_slow(host, port, pid, n):
    srcs = src_addrs()
    sel = selectors.DefaultSelector()
    opened, failed = [], 0
    t0 = now()
    for i in range(n):
        s = socket.socket()
        try:
            s.bind((srcs[i % len(srcs)], 0))
            s.settimeout(3)
            s.connect((host, port))
            s.sendall(b"GET /v1/health HTTP/1.1\r\nHost: hub\r\nX-Slow: ")
            s.setblocking(False)
        except OSError:
            failed += 1
            s.close()
            continue
        rec = {"t": now(), "closed": None}
        opened.append((s, rec))
        sel.register(s, selectors.EVENT_READ, rec)
    # a keep-alive client: one answered request, then a trickled second one
    ka = socket.socket()
    ka_rec = {"t": now(), "closed": None, "first": None}
    try:
        ka.settimeout(3)
        ka.connect((host, port))
        ka.sendall(b"GET /v1/health HTTP/1.1\r\nHost: hub\r\n\r\n")
        st, h = head_of(ka, 3)
        if isinstance(st, int):
            ka.recv(int(h.get("content-length", "0")) or 1)
        ka_rec["t"], ka_rec["first"] = now(), st
        ka.sendall(b"GET /v1/health HTTP/1.1\r\nHost: hub\r\nX-Slow: ")
        ka.setblocking(False)
        sel.register(ka, selectors.EVENT_READ, ka_rec)
    except OSError as e:
        ka_rec["first"] = "error:" + type(e).__name__
        ka_rec["closed"] = -1.0
    out = {"opened": len(opened), "connect_failed": failed, "open_s": round(now() - t0, 2)}
    # a normal client while they are all open
    out["hub_fds"] = fds_of(pid)
    normal = []
    for _ in range(5):
        st, _, _, ms = get(host, port, "/v1/health", timeout=3)
        normal.append({"status": st, "ms": ms})
    out["normal"] = normal
    out["still_open_after_normal"] = sum(1 for _, r in opened if r["closed"] is None)
    # keep trickling one byte a second; note when the hub closes each
    end = now() + 25
    last_tick = 0.0
    while now() < end:
        for key, _ in sel.select(timeout=0.2):
            rec = key.data
            try:
                d = key.fileobj.recv(4096)
            except OSError:
                d = b""
            if not d:
                rec["closed"] = now() - rec["t"]
                sel.unregister(key.fileobj)
                key.fileobj.close()
        if now() - last_tick >= 1.0:
            last_tick = now()
            for s, rec in opened + [(ka, ka_rec)]:
                if rec["closed"] is None:
                    try:
                        s.send(b"a")
                    except OSError:
                        pass
        if all(r["closed"] is not None for _, r in opened) and ka_rec["closed"] is not None:
            break
    closed = [r["closed"] for _, r in opened if r["closed"] is not None]
    out["closed"] = len(closed)
    out["closed_min_s"] = round(min(closed), 1) if closed else None
    out["closed_max_s"] = round(max(closed), 1) if closed else None
    out["keepalive_first"] = ka_rec["first"]
    out["keepalive_closed_s"] = round(ka_rec["closed"], 1) if ka_rec["closed"] else None
    ka.close()
    for s, rec in opened:
        if rec["closed"] is None:
            s.close()
    print(json.dumps(out))


def cmd_peraddr(host, port, src, n):
    socks = []
    for _ in range(n):
        s = socket.socket()
        try:
            s.bind((src, 0))
            s.settimeout(3)
            s.connect((host, port))
        except OSError:
            s.close()
            continue
        try:
            s.sendall(b"GET /v1/health HTTP/1.1\r\nHost: hub\r\n")
        except OSError:
            pass
        socks.append(s)
    time.sleep(3)   # let the hub act on them; what counts is measured below
    open_n = 0
    for s in socks:
        s.setblocking(False)
        try:
            d = s.recv(1)
            if d:
                open_n += 1   # answered, not refused (none expected)
        except BlockingIOError:
            open_n += 1       # nothing to read: still open
        except OSError:
            pass
        s.close()
    print(json.dumps({"connected": len(socks), "open": open_n}))


def main():
    a = sys.argv[1:]
    if a[0] == "exports":
        cmd_exports(a[1], int(a[2]), a[3], a[4])
    elif a[0] == "slow":
        cmd_slow(a[1], int(a[2]), int(a[3]), int(a[4]))
    elif a[0] == "peraddr":
        cmd_peraddr(a[1], int(a[2]), a[3], int(a[4]))
    else:
        sys.exit("unknown scenario " + a[0])


if __name__ == "__main__":
    main()
