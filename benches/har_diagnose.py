#!/usr/bin/env python3
"""Time and peak RSS of `authlens diagnose` on a large HAR of redirect chains, and of `send`
with 10,000 `-H` flags.

usage: benches/har_diagnose.py [ENTRIES] [CHAIN] [HEADERS]
       (defaults 30000, 10 and 10000; build with `cargo build --release` first)

The HAR, written to a temporary directory, holds ENTRIES entries in redirect chains of CHAIN
entries each (CHAIN - 1 redirects, alternately 302 and 307 with absolute and relative
`redirectURL`s, then a 401 with a `WWW-Authenticate` challenge), as a browser records them.
A last chain of 200 redirects stands for a recorded redirect loop. `diagnose FILE` is run
once in text and once with `--format json`, output to /dev/null.

`send` is then run with HEADERS distinct `-H` flags to a loopback server that reads the
request head and answers 401, so the time covers flags → draft → lint → prepare, the send
and its capture, and printing a 10,000-line wire view.

Each figure is wall-clock seconds and the peak RSS of the child (ru_maxrss from wait4).
"""
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time

BIN = os.path.abspath("target/release/authlens")


def run(args):
    """Wall seconds, peak RSS in MiB and the exit code of one run of the binary."""
    start = time.perf_counter()
    proc = subprocess.Popen([BIN, *args], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    return elapsed, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status)


def entry(method, url, status, redirect="", headers=(), challenge=None):
    resp_headers = [{"name": "Content-Type", "value": "application/json"}]
    if redirect:
        resp_headers.append({"name": "Location", "value": redirect})
    if challenge:
        resp_headers.append({"name": "WWW-Authenticate", "value": challenge})
    return {
        "request": {"method": method, "url": url, "headers": list(headers)},
        "response": {
            "status": status,
            "headers": resp_headers,
            "content": {"text": "" if redirect else '{"detail":"Not authenticated"}'},
            "redirectURL": redirect,
        },
    }


def chain(n, length, auth):
    """`length` entries: redirects from one host to the next, then a 401."""
    out = []
    for k in range(length):
        url = f"https://api{k % 3}.example.test/c{n}/hop{k}?page={k}"
        if k + 1 < length:
            nxt_host = f"api{(k + 1) % 3}.example.test"
            # Relative when the next hop stays on the host, as servers often write it.
            if nxt_host == f"api{k % 3}.example.test":
                redirect = f"/c{n}/hop{k + 1}?page={k + 1}"
            else:
                redirect = f"https://{nxt_host}/c{n}/hop{k + 1}?page={k + 1}"
            out.append(entry("GET", url, 302 if k % 2 == 0 else 307, redirect, auth))
        else:
            out.append(entry("GET", url, 401, headers=auth, challenge='Bearer realm="api"'))
    return out


def write_har(path, entries, length):
    auth = [{"name": "Authorization", "value": "Bearer EXAMPLE-FAKE-token-0000000000"}]
    items = []
    n = 0
    while len(items) < entries - 200:
        items.extend(chain(n, min(length, entries - 200 - len(items)), auth))
        n += 1
    items.extend(chain(n, 200, auth))
    with open(path, "w") as f:
        json.dump({"log": {"version": "1.2", "creator": {"name": "bench"}, "entries": items}}, f)
    return len(items)


def answering_server():
    """A loopback server that reads each request head and answers 401; returns its port."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)

    def handle(conn):
        with conn:
            head = b""
            while b"\r\n\r\n" not in head:
                chunk = conn.recv(65536)
                if not chunk:
                    return
                head += chunk
            conn.sendall(b"HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Bearer\r\n"
                         b"Content-Length: 2\r\nConnection: close\r\n\r\n{}")

    def serve():
        while True:
            conn, _ = listener.accept()
            threading.Thread(target=handle, args=(conn,), daemon=True).start()

    threading.Thread(target=serve, daemon=True).start()
    return listener.getsockname()[1]


def main():
    entries = int(sys.argv[1]) if len(sys.argv) > 1 else 30000
    length = int(sys.argv[2]) if len(sys.argv) > 2 else 10
    headers = int(sys.argv[3]) if len(sys.argv) > 3 else 10000
    if not os.path.exists(BIN):
        sys.exit(f"{BIN} is missing: cargo build --release")
    with tempfile.TemporaryDirectory() as d:
        har = os.path.join(d, "chains.har")
        count = write_har(har, entries, length)
        size = os.path.getsize(har) / 1e6
        for fmt in ["text", "json"]:
            t, rss, code = run(["diagnose", har, "--format", fmt])
            print(f"diagnose {count} entries ({size:.1f} MB, chains of {length}), {fmt}: "
                  f"{t:.2f} s, peak RSS {rss:.0f} MiB, exit {code}")
        flags = []
        for i in range(headers):
            flags += ["-H", f"X-Bench-{i}: value-{i}"]
        url = f"http://127.0.0.1:{answering_server()}/"
        t, rss, code = run(["send", url, *flags, "--timeout", "60"])
        print(f"send with {headers} -H flags: {t:.2f} s, peak RSS {rss:.0f} MiB, exit {code}")


if __name__ == "__main__":
    main()
