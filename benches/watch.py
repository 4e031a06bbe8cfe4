#!/usr/bin/env python3
"""What `authlens watch` costs a program: added latency per exchange, throughput, memory.

usage: benches/watch.py [--bin PATH] [--requests N]     (default: target/release/authlens if
built, else target/debug/authlens — a debug build's numbers are an upper bound)

Starts the practice server (`authlens serve --port 0`) and `authlens watch --format jsonl
--upstream` to it (output to /dev/null), all on 127.0.0.1, then measures:

  1. latency: N sequential GET /api/v1/health on one keep-alive connection, direct and through
     the watch; p50 and p99 of each and the difference (target: p50 added <= 0.5 ms);
  2. throughput: 50 client threads, one keep-alive connection each, for 5 s, direct and
     through the watch (Python's client is part of what is measured: compare the two rows);
  3. memory: VmRSS and VmHWM of the watch after 10,000 exchanges in all.

Throughput uses wrk (Debian package `wrk`) when it is on PATH, else Python threads.

mitmproxy in reverse mode is measured the same way for comparison: `mitmdump` from PATH, else
from /tmp/authlens-mitm-venv, which the script creates and pip-installs mitmproxy into on
first use (`--no-mitm-install` skips that; the row is then left out).
"""
import argparse
import http.client
import os
import re
import shutil
import subprocess
import sys
import threading
import time

PATH = "/api/v1/health"


def pick_bin(given):
    if given:
        return os.path.abspath(given)
    for build in ("release", "debug"):
        path = os.path.abspath(f"target/{build}/authlens")
        if os.path.exists(path):
            return path
    sys.exit("build authlens first (cargo build --release)")


def read_port(proc, pattern, stream):
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        line = stream.readline()
        m = re.search(pattern, line)
        if m:
            return int(m.group(1))
    proc.kill()
    sys.exit(f"no port matching {pattern!r}")


def free_port():
    import socket
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def wait_ready(port):
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            c.request("GET", PATH)
            c.getresponse().read()
            return
        except OSError:
            time.sleep(0.05)
    sys.exit(f"nothing answers on {port}")


def latency(port, n):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    times = []
    for i in range(n + 200):
        start = time.perf_counter()
        conn.request("GET", PATH)
        r = conn.getresponse()
        r.read()
        if i >= 200:  # warm-up
            times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return times[len(times) // 2], times[int(len(times) * 0.99)]


def throughput(port, clients=50, seconds=5.0):
    """Requests/s with `clients` keep-alive connections: wrk when installed (Python's own
    client tops out near what a fast proxy can do, so it would hide the difference)."""
    wrk = shutil.which("wrk")
    if wrk:
        out = subprocess.run(
            [wrk, "-t2", f"-c{clients}", f"-d{int(seconds)}s", f"http://127.0.0.1:{port}{PATH}"],
            capture_output=True, text=True, check=True,
        ).stdout
        rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
        return rate, int(rate * seconds)
    done = [0] * clients
    stop = time.monotonic() + seconds

    def run(i):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while time.monotonic() < stop:
            conn.request("GET", PATH)
            conn.getresponse().read()
            done[i] += 1

    threads = [threading.Thread(target=run, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sum(done) / seconds, sum(done)


def rss(pid):
    status = open(f"/proc/{pid}/status").read()
    field = lambda name: int(re.search(rf"{name}:\s+(\d+) kB", status).group(1)) / 1024
    return field("VmRSS"), field("VmHWM")


VENV = "/tmp/authlens-mitm-venv"


def mitmdump(install):
    """mitmdump from PATH or the scratch virtualenv; with `install`, the virtualenv is made
    and mitmproxy pip-installed into it first (never a dependency of the project)."""
    found = shutil.which("mitmdump")
    venv = f"{VENV}/bin/mitmdump"
    if not found and not os.path.exists(venv) and install:
        print(f"installing mitmproxy into {VENV} (once) …", file=sys.stderr)
        made = subprocess.run([sys.executable, "-m", "venv", VENV]).returncode == 0
        made = made and subprocess.run(
            [f"{VENV}/bin/pip", "install", "-q", "mitmproxy"]).returncode == 0
        if not made:
            print("mitmproxy could not be installed: its row is skipped", file=sys.stderr)
    return found or (venv if os.path.exists(venv) else None)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin")
    ap.add_argument("--requests", type=int, default=3000)
    ap.add_argument("--no-mitm-install", action="store_true",
                    help="do not create the scratch virtualenv for mitmproxy")
    args = ap.parse_args()
    binary = pick_bin(args.bin)
    print(f"binary: {binary}")
    serve = subprocess.Popen([binary, "serve", "--port", "0"], stdout=subprocess.PIPE, text=True)
    up = read_port(serve, r"main origin\s+http://127\.0\.0\.1:(\d+)", serve.stdout)
    watch = subprocess.Popen(
        [binary, "watch", "--format", "jsonl", "--listen", "127.0.0.1:0",
         "--upstream", f"http://127.0.0.1:{up}"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    proxy = read_port(watch, r"authlens watch: http://127\.0\.0\.1:(\d+)", watch.stderr)
    notices = []

    def drain():
        for line in watch.stderr:
            if "fell behind" in line:
                notices.append(line.strip())

    threading.Thread(target=drain, daemon=True).start()
    others = []
    try:
        wait_ready(proxy)
        rows = [("direct", up), ("authlens watch", proxy)]
        mitm = mitmdump(not args.no_mitm_install)
        if mitm:
            mport = free_port()
            m = subprocess.Popen([mitm, "-q", "--mode", f"reverse:http://127.0.0.1:{up}",
                                  "--listen-host", "127.0.0.1", "--listen-port", str(mport)],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            others.append(m)
            wait_ready(mport)
            rows.append(("mitmproxy (mitmdump)", mport))
        else:
            print("mitmproxy: skipped (no mitmdump on PATH or in /tmp/authlens-mitm-venv)")
        exchanges = 0
        base = None
        for name, port in rows:
            p50, p99 = latency(port, args.requests)
            base = base or (p50, p99)
            added = "" if port == up else f"   added p50 {p50 - base[0]:+.3f} ms, p99 {p99 - base[1]:+.3f} ms"
            print(f"{name:22} latency p50 {p50:.3f} ms  p99 {p99:.3f} ms{added}")
            if port == proxy:
                exchanges += args.requests + 200
        for name, port in rows:
            rate, n = throughput(port)
            print(f"{name:22} {rate:8.0f} requests/s with 50 concurrent clients")
            if port == proxy:
                exchanges += n
        if exchanges < 10_000:
            latency(proxy, 10_000 - exchanges)
            exchanges = 10_000
        time.sleep(1)  # let the last exchanges be written down
        now, peak = rss(watch.pid)
        print(f"authlens watch RSS after {exchanges} exchanges: {now:.1f} MiB (peak {peak:.1f} MiB)")
        # Over the writer's backlog, exchanges pass through unrecorded (memory stays bounded).
        print(notices[-1] if notices else "every exchange was recorded")
    finally:
        for p in [watch, serve, *others]:
            p.kill()


if __name__ == "__main__":
    main()
