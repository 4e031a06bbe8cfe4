#!/usr/bin/env python3
"""Time from exec to the first full frame in tmux, and idle RSS, for authlens and `less`.

usage: benches/first_frame.py [RUNS]      (default 21; build with `cargo build --release` first)

Each run starts the program in a fresh 160x48 tmux session and polls capture-pane until the
program's own text is on screen (authlens: its key footer; less: the file's last visible line),
so both are measured the same way, tmux's own start included. Runs are interleaved. RSS is read
from /proc after the frame, while the program idles.
"""
import os
import statistics
import subprocess
import sys
import tempfile
import time

BIN = os.path.abspath("target/release/authlens")


def tmux(*args):
    return subprocess.run(["tmux", *args], capture_output=True, text=True).stdout


def run_once(name, command, marker, env_dir):
    tmux("kill-session", "-t", name)
    start = time.perf_counter()
    subprocess.run(["tmux", "new-session", "-d", "-s", name, "-x", "160", "-y", "48",
                    f"cd {env_dir} && XDG_DATA_HOME={env_dir} exec {command}"], check=True)
    deadline = start + 10
    while time.perf_counter() < deadline:
        if marker in tmux("capture-pane", "-p", "-t", name):
            elapsed = time.perf_counter() - start
            break
    else:
        tmux("kill-session", "-t", name)
        sys.exit(f"{command}: no first frame within 10 s")
    time.sleep(0.3)  # let it settle into idle before reading RSS (not part of the timing)
    pid = tmux("display-message", "-p", "-t", name, "#{pane_pid}").strip()
    rss_kib = 0
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                rss_kib = int(line.split()[1])
    tmux("kill-session", "-t", name)
    return elapsed, rss_kib / 1024


def main():
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 21
    with tempfile.TemporaryDirectory() as d:
        text = os.path.join(d, "lines.txt")
        with open(text, "w") as f:
            f.writelines(f"line {i}\n" for i in range(1, 200))
        results = {"authlens": [], "less": []}
        for _ in range(runs):
            results["authlens"].append(run_once("ff-authlens", BIN, "help", d))
            results["less"].append(run_once("ff-less", f"less {text}", "line 47", d))
    for name, rows in results.items():
        t = statistics.median(r[0] for r in rows) * 1e3
        m = statistics.median(r[1] for r in rows)
        print(f"{name:9} first frame median {t:6.1f} ms   idle RSS median {m:5.1f} MiB")
    a = statistics.median(r[0] for r in results["authlens"])
    b = statistics.median(r[0] for r in results["less"])
    print(f"first frame ratio authlens/less {a / b:.2f}x ({runs} interleaved runs)")


if __name__ == "__main__":
    main()
