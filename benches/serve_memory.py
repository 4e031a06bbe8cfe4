#!/usr/bin/env python3
"""RSS of `authlens serve` after many uploads: the record of past requests must stay bounded.

usage: benches/serve_memory.py [UPLOADS]     (default 500; build with `cargo build --release` first)

Starts `target/release/authlens serve --port 0` on loopback, reads its port from the banner,
posts UPLOADS bodies of 1 to 4 MB (under the 4 MiB limit, so each is read and recorded) to
/echo/upload over one keep-alive connection, then a chunked 6 MB upload the server refuses
with 413, and prints VmRSS and VmHWM from /proc. Traffic goes to 127.0.0.1 only.
"""
import http.client
import os
import random
import re
import subprocess
import sys
import time

BIN = os.path.abspath("target/release/authlens")


def rss(pid):
    status = open(f"/proc/{pid}/status").read()
    field = lambda name: int(re.search(rf"{name}:\s+(\d+) kB", status).group(1)) // 1024
    return field("VmRSS"), field("VmHWM")


def start():
    proc = subprocess.Popen([BIN, "serve", "--port", "0"], stdout=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        m = re.search(r"main origin\s+http://127\.0\.0\.1:(\d+)", line)
        if m:
            return proc, int(m.group(1))
    proc.kill()
    sys.exit("serve printed no port")


def main():
    uploads = int(sys.argv[1]) if len(sys.argv) > 1 else 500
    proc, port = start()
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        rng = random.Random(7)
        sent = 0
        for i in range(uploads):
            size = rng.randint(1_000_000, 4_000_000)
            conn.request("POST", f"/echo/upload{i}", body=b"E" * size,
                         headers={"Content-Type": "application/octet-stream"})
            r = conn.getresponse()
            r.read()
            assert r.status == 200, r.status
            sent += size
        refused = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        refused.putrequest("POST", "/echo/refused")
        refused.putheader("Transfer-Encoding", "chunked")
        refused.endheaders()
        try:
            for _ in range(6):
                chunk = b"E" * 1_000_000
                refused.send(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            refused.send(b"0\r\n\r\n")
            status = refused.getresponse().status
        except (BrokenPipeError, ConnectionResetError):
            status = "closed"
        now, peak = rss(proc.pid)
        print(f"{uploads} uploads, {sent / 1e6:.0f} MB sent; chunked 6 MB upload: {status}")
        print(f"serve RSS now {now} MiB, peak {peak} MiB")
    finally:
        proc.terminate()
        proc.wait()


if __name__ == "__main__":
    main()
