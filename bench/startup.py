"""Time from spawning a command to its first 200 answer on URL, best of N runs (milliseconds).

Usage: python3 startup.py RUNS URL -- COMMAND...
Polls every millisecond with a raw socket, so the measurement is not dominated by a client.
"""
import socket
import subprocess
import sys
import time
from urllib.parse import urlparse


def first_ok(url, deadline):
    u = urlparse(url)
    request = f"GET {u.path or '/'} HTTP/1.1\r\nHost: {u.hostname}\r\nConnection: close\r\n\r\n".encode()
    while time.monotonic() < deadline:
        try:
            with socket.create_connection((u.hostname, u.port), timeout=0.5) as s:
                s.sendall(request)
                if s.recv(16).startswith(b"HTTP/1.1 200"):
                    return True
        except OSError:
            time.sleep(0.001)
    return False


def main():
    runs, url = int(sys.argv[1]), sys.argv[2]
    command = sys.argv[sys.argv.index("--") + 1:]
    times = []
    for _ in range(runs):
        start = time.monotonic()
        proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        ok = first_ok(url, start + 10)
        times.append((time.monotonic() - start) * 1000 if ok else float("inf"))
        proc.terminate()
        proc.wait()
    print(f"{min(times):.1f}")


main()
