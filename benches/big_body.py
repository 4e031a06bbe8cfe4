#!/usr/bin/env python3
"""Time to show a 20 MiB pretty-printed JSON response in the TUI, and the peak RSS.

usage: benches/big_body.py [RUNS]       (default 11; build with `cargo build --release` first)

A local file server (Python's http.server on loopback) serves a ~20 MiB pretty-printed JSON file.
Each run opens `authlens URL` in a fresh 160x48 tmux session, waits for the first frame, presses
Ctrl+S and polls capture-pane until the body's first line and the status are on screen. The time
runs from the key press to that frame. `curl -s -o /dev/null` on the same URL is timed alongside
for the transfer floor. Peak RSS is VmHWM from /proc after the body is shown.
"""
import http.server
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time

BIN = os.path.abspath("target/release/authlens")


def tmux(*args):
    return subprocess.run(["tmux", *args], capture_output=True, text=True).stdout


def wait_for(name, marker, deadline):
    while time.perf_counter() < deadline:
        screen = tmux("capture-pane", "-p", "-t", name)
        if all(m in screen for m in marker):
            return True
    return False


def run_once(url, home):
    name = "bigbody"
    tmux("kill-session", "-t", name)
    subprocess.run(["tmux", "new-session", "-d", "-s", name, "-x", "160", "-y", "48",
                    f"cd {home} && XDG_DATA_HOME={home} exec {BIN} {url}"], check=True)
    if not wait_for(name, ["help"], time.perf_counter() + 10):
        sys.exit("no first frame within 10 s")
    start = time.perf_counter()
    tmux("send-keys", "-t", name, "C-s")
    if not wait_for(name, ["200 OK", '"items": ['], start + 30):
        print(tmux("capture-pane", "-p", "-t", name))
        sys.exit("the body was not shown within 30 s")
    elapsed = time.perf_counter() - start
    pid = tmux("display-message", "-p", "-t", name, "#{pane_pid}").strip()
    peak = 0
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                peak = int(line.split()[1]) / 1024
    tmux("kill-session", "-t", name)
    return elapsed, peak


def curl_once(url):
    start = time.perf_counter()
    subprocess.run(["curl", "-s", "-o", "/dev/null", url], check=True)
    return time.perf_counter() - start


def main():
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 11
    with tempfile.TemporaryDirectory() as d:
        items = [{"id": i, "name": f"item {i}", "tags": ["a", "b"], "price": i * 1.5,
                  "active": i % 2 == 0, "note": "lorem ipsum dolor sit amet"}
                 for i in range(112000)]
        path = os.path.join(d, "big.json")
        with open(path, "w") as f:
            json.dump({"items": items}, f, indent=2)
        size = os.path.getsize(path) / 2**20
        handler = lambda *a: http.server.SimpleHTTPRequestHandler(*a, directory=d)
        http.server.SimpleHTTPRequestHandler.log_message = lambda *a: None
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        url = f"http://127.0.0.1:{server.server_address[1]}/big.json"
        home = os.path.join(d, "home")
        os.mkdir(home)
        shown, curl = [], []
        for _ in range(runs):
            shown.append(run_once(url, home))
            curl.append(curl_once(url))
        server.shutdown()
    t = statistics.median(r[0] for r in shown)
    m = max(r[1] for r in shown)
    c = statistics.median(curl)
    print(f"body {size:.1f} MiB: shown after median {t * 1e3:.0f} ms "
          f"(curl alone {c * 1e3:.0f} ms), peak RSS max {m:.0f} MiB ({runs} runs)")


if __name__ == "__main__":
    main()
