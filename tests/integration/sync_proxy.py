#!/usr/bin/env python3
# sync_proxy.py — a loopback HTTP/1.1 proxy between presentie-sync and
# presentie-hub that injects faults, for tests/integration/sync_faults.sh.
# Usage: sync_proxy.py LISTEN_PORT HUB_PORT MODE_FILE LOG_FILE
# MODE_FILE holds one line, re-read for every request:
#   pass                      forward everything
#   drop N                    for the next N POST /v1/events: forward to the hub,
#                             read its full answer, then cut the client
#                             connection without sending it (hub committed,
#                             agent never heard)
#   error500 N                answer the next N requests 500 without forwarding
#   retry429 N SECONDS        answer the next N requests 429 + Retry-After
#   slow N SECONDS            forward the next N requests, hold the answer SECONDS
# The counter N is written back as it goes down; at 0 the mode becomes pass.
# LOG_FILE gets one line per request: "<action> <method> <path> <hub status>".
# Loopback only; every socket has a timeout; it never runs longer than its
# parent test (the test kills it by pid).
import socket
import socketserver
import sys
import threading
import time

LISTEN_PORT, HUB_PORT = int(sys.argv[1]), int(sys.argv[2])
MODE_FILE, LOG_FILE = sys.argv[3], sys.argv[4]
LOCK = threading.Lock()
HEAD_MAX = 64 * 1024
BODY_MAX = 2 * 1024 * 1024


def log(line):
    with LOCK, open(LOG_FILE, "a") as f:
        f.write(line + "\n")


def take_action(method, path):
    """Decide what to do with one request; decrements the counter."""
    with LOCK:
        try:
            with open(MODE_FILE) as f:
                words = f.read().split()
        except OSError:
            words = ["pass"]
        if not words or words[0] == "pass":
            return ("pass", 0)
        mode, n = words[0], int(words[1])
        arg = float(words[2]) if len(words) > 2 else 0
        if mode == "drop" and not (method == "POST" and path.startswith("/v1/events")):
            return ("pass", 0)
        n -= 1
        with open(MODE_FILE, "w") as f:
            f.write("pass\n" if n <= 0 else " ".join([mode, str(n)] + words[2:]) + "\n")
        return (mode, arg)


def read_request(rf):
    """Read one request from a file object: (method, path, header_lines, body) or None."""
    line = rf.readline(HEAD_MAX)
    if not line:
        return None
    method, path, _ = line.decode("latin-1").split(" ", 2)
    headers, length = [], 0
    while True:
        h = rf.readline(HEAD_MAX)
        if h in (b"\r\n", b"\n", b""):
            break
        name, _, value = h.decode("latin-1").partition(":")
        if name.strip().lower() == "content-length":
            length = int(value.strip())
        if name.strip().lower() not in ("connection", "keep-alive"):
            headers.append(h)
    if length > BODY_MAX:
        return None
    body = rf.read(length) if length else b""
    return method, path, headers, body


def forward(method, path, headers, body):
    """Send the request to the hub on a fresh connection; return (status, raw answer)."""
    with socket.create_connection(("127.0.0.1", HUB_PORT), timeout=60) as s:
        s.sendall(("%s %s HTTP/1.1\r\n" % (method, path)).encode("latin-1"))
        for h in headers:
            s.sendall(h)
        s.sendall(b"Connection: close\r\n\r\n" + body)
        chunks = []
        while True:
            c = s.recv(65536)
            if not c:
                break
            chunks.append(c)
    raw = b"".join(chunks)
    status = int(raw.split(b" ", 2)[1]) if raw.startswith(b"HTTP/") else 0
    return status, raw


def canned(status, reason, extra=""):
    body = '{"error":"%s","message":"injected by sync_proxy"}' % reason
    return ("HTTP/1.1 %d %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\n"
            "Connection: close\r\n%s\r\n%s" % (status, reason, len(body), extra, body)).encode()


class Handler(socketserver.StreamRequestHandler):
    timeout = 60

    def handle(self):
        req = read_request(self.rfile)
        if req is None:
            return
        method, path, headers, body = req
        action, arg = take_action(method, path)
        if action == "error500":
            log("error500 %s %s -" % (method, path))
            self.wfile.write(canned(500, "internal"))
            return
        if action == "retry429":
            log("retry429 %s %s -" % (method, path))
            self.wfile.write(canned(429, "rate_limited", "Retry-After: %d\r\n" % int(arg)))
            return
        try:
            status, raw = forward(method, path, headers, body)
        except OSError as e:
            log("hub-down %s %s %s" % (method, path, e.__class__.__name__))
            return                      # the agent sees the connection close
        if action == "drop":
            log("drop %s %s %d" % (method, path, status))
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        if action == "slow":
            log("slow %s %s %d" % (method, path, status))
            time.sleep(arg)
        else:
            log("pass %s %s %d" % (method, path, status))
        self.wfile.write(raw)


class Server(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True


if __name__ == "__main__":
    with Server(("127.0.0.1", LISTEN_PORT), Handler) as srv:
        srv.serve_forever()
