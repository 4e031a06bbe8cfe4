#!/usr/bin/env python3
"""Wall time of `authlens send URL` against `curl -s URL` on the practice server.

usage: benches/send_vs_curl.py [RUNS] [PATH]     (defaults: 41 runs, /api/v1/health)

Builds nothing: run `cargo build --release` first. Starts `authlens serve --port 0` itself,
runs both clients interleaved (so drift hits both alike) and prints the medians and the ratio.
"""
import re
import statistics
import subprocess
import sys
import time

BIN = "target/release/authlens"


def start_server():
    proc = subprocess.Popen([BIN, "serve", "--port", "0"], stdout=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        m = re.search(r"http://127\.0\.0\.1:(\d+)", line)
        if m:
            return proc, int(m.group(1))
    proc.kill()
    sys.exit("the practice server did not print its address within 10 s")


def timed(cmd):
    t = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - t


def main():
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 41
    path = sys.argv[2] if len(sys.argv) > 2 else "/api/v1/health"
    server, port = start_server()
    url = f"http://127.0.0.1:{port}{path}"
    try:
        for _ in range(3):  # warm the page cache for both binaries
            timed([BIN, "send", url])
            timed(["curl", "-s", url])
        ours, curls = [], []
        for _ in range(runs):
            ours.append(timed([BIN, "send", url]))
            curls.append(timed(["curl", "-s", url]))
    finally:
        server.kill()
    a, c = statistics.median(ours), statistics.median(curls)
    print(f"{runs} interleaved runs against {url}")
    print(f"authlens send  median {a * 1e3:7.2f} ms")
    print(f"curl -s        median {c * 1e3:7.2f} ms")
    print(f"ratio {a / c:.2f}x")


if __name__ == "__main__":
    main()
