#!/usr/bin/env python3
"""Live-reload benchmark: edit-to-reload latency of `steppe serve`, next to a full `steppe build`.

For each size it generates the synthetic site of `bench.py` (same generator, same seed), times
full cold `steppe build`s of it, then starts `steppe serve` on it, connects to the live-reload
WebSocket as a browser tab would, and edits one page's text again and again. Each edit is timed
from the moment the file is written to the moment the `reload` message naming that page's URL
arrives: the watcher's debounce, the memoized rebuild, the diff of the served files and the
message. It prints medians and the 90th percentile, and the ratio of a full build to one reload.

The site is what `steppe init` makes: the default theme with search on. With search on, each
edit is also timed until the search index of that edit is served (`pagefind-entry.json`, which
the server holds back while the index is being built, with a new index hash): "search fresh".
Then the page's title is edited as many times, an edit that changes what other pages show
(listings, backlinks, related pages): "title edit→reload".

    python3 benches/serve_latency.py --pages 1000 10000
    python3 benches/serve_latency.py --pages 10000 --edits 50 --builds 1
    python3 benches/serve_latency.py --steppe path/to/steppe     # another build of steppe
    python3 benches/serve_latency.py --minimal                   # bench.py's minimal theme, no search

Release binary (`cargo build --release`, run by the script). Not a timed test: nothing fails when
it is slow. The machine is noisy: compare figures measured in the same run. One warm-up edit per
size is not counted; edits are spaced by `--pause` seconds, as an author's saves are.
"""

import argparse
import base64
import http.client
import os
import re
import socket
import statistics
import struct
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench import ROOT, SECTIONS, generate, measure  # noqa: E402


class LiveReload:
    """The smallest WebSocket client that can listen to `/__steppe/livereload`: the opening
    handshake (with the Host and Origin the server insists on) and unmasked server frames."""

    def __init__(self, host, port, timeout):
        self.sock = socket.create_connection((host, port), timeout=timeout)
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall(
            (f"GET /__steppe/livereload HTTP/1.1\r\nHost: {host}:{port}\r\n"
             f"Origin: http://{host}:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
             f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n").encode())
        self.buffer = b""
        while b"\r\n\r\n" not in self.buffer:
            self.buffer += self._recv()
        head, self.buffer = self.buffer.split(b"\r\n\r\n", 1)
        if not head.startswith(b"HTTP/1.1 101"):
            sys.exit(f"the live-reload handshake failed:\n{head.decode(errors='replace')}")

    def _recv(self):
        chunk = self.sock.recv(65536)
        if not chunk:
            sys.exit("the server closed the live-reload connection")
        return chunk

    def _take(self, n):
        while len(self.buffer) < n:
            self.buffer += self._recv()
        taken, self.buffer = self.buffer[:n], self.buffer[n:]
        return taken

    def _send(self, opcode, payload):
        # Client frames must be masked; a zero mask leaves the payload as is.
        header = bytes([0x80 | opcode, 0x80 | len(payload)]) + b"\0\0\0\0"
        self.sock.sendall(header + payload)

    def message(self):
        """The next text message, as a string (answers pings on the way)."""
        parts = []
        while True:
            first, second = self._take(2)
            length = second & 0x7F
            if length == 126:
                length = struct.unpack("!H", self._take(2))[0]
            elif length == 127:
                length = struct.unpack("!Q", self._take(8))[0]
            payload = self._take(length)
            opcode = first & 0x0F
            if opcode == 0x9:
                self._send(0xA, payload)
            elif opcode == 0x8:
                sys.exit("the server closed the live-reload connection")
            elif opcode in (0x0, 0x1):
                parts.append(payload)
                if first & 0x80:
                    return b"".join(parts).decode()


def start_server(steppe, site, log):
    """`steppe serve` on a free port; returns (process, port, rebuild times in ms as printed)."""
    proc = subprocess.Popen([steppe, "serve", "--port", "0"], cwd=site, stdout=subprocess.PIPE,
                            stderr=log, text=True, env={**os.environ, "NO_COLOR": "1"})
    port = None
    for line in proc.stdout:
        match = re.match(r"serving at http://127\.0\.0\.1:(\d+)/", line)
        if match:
            port = int(match.group(1))
            break
    if port is None:
        sys.exit(f"steppe serve did not start; see {log.name}")
    rebuilds = []

    def drain():
        # Keep the pipe flowing and note each rebuild's own report ("built N files in T ms").
        for line in proc.stdout:
            match = re.match(r"built \d+ files in (\d+) ms", line)
            if match:
                rebuilds.append(float(match.group(1)))

    threading.Thread(target=drain, daemon=True).start()
    return proc, port, rebuilds


def search_entry(port, timeout):
    """The served `pagefind-entry.json`: the server answers once the newest build's index is
    built."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    connection.request("GET", "/pagefind/pagefind-entry.json")
    response = connection.getresponse()
    body = response.read()
    connection.close()
    if response.status != 200:
        sys.exit(f"the search index was not served: {response.status}")
    return body


def edit_latencies(site, port, page, edits, pause, timeout, search, title=False):
    """Edits `page` (a path below content/) `edits` + 1 times: its text, or its title with
    `title`. Returns the latencies in ms of all but the first (edit→reload, and with `search`
    edit→index served)."""
    client = LiveReload("127.0.0.1", port, timeout)
    status = client.message()
    if '"type":"ok"' not in status:
        sys.exit(f"the site does not build cleanly: {status[:500]}")
    section, name = page.split("/")
    url = f'"/{section}/{name[:-3]}/"'
    path = site / "content" / page
    original = path.read_text()
    head, body = original.split("\n---\n", 1)
    entry = search_entry(port, timeout) if search else None
    reloads, fresh = [], []
    for n in range(edits + 1):
        if title:
            edited_head = re.sub(r'(?m)^title: "(.*)"$', rf'title: "\1 (edit {n})"', head)
            text = f"{edited_head}\n---\n{body}"
        else:
            text = f"{head}\n---\nEdit number {n} of this page's text.\n{body}"
        start = time.perf_counter()
        path.write_text(text)
        while True:
            message = client.message()
            if message.startswith('{"type":"errors"'):
                sys.exit(f"the edit broke the build: {message[:500]}")
            if message.startswith('{"type":"reload"') and url in message:
                break
        reloads.append((time.perf_counter() - start) * 1000)
        if search:
            newer = search_entry(port, timeout)
            fresh.append((time.perf_counter() - start) * 1000)
            if newer == entry:
                sys.exit("the search index served after an edit is the one before it")
            entry = newer
        time.sleep(pause)
    path.write_text(original)
    return reloads[1:], fresh[1:]


def summary(latencies):
    """Median and 90th percentile."""
    if not latencies:
        return float("nan"), float("nan")
    return (statistics.median(latencies),
            statistics.quantiles(latencies, n=10, method="inclusive")[8])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--edits", type=int, default=20, help="timed edits per size")
    parser.add_argument("--builds", type=int, default=3, help="full builds per size")
    parser.add_argument("--pause", type=float, default=0.5, help="seconds between edits")
    parser.add_argument("--timeout", type=float, default=120, help="seconds to wait for a reload")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--work", type=Path, default=ROOT / "target" / "bench")
    parser.add_argument("--steppe", help="the binary to measure (default: build the release one)")
    parser.add_argument("--minimal", action="store_true",
                        help="bench.py's minimal theme with search off, instead of the default "
                             "theme with search on")
    args = parser.parse_args()

    steppe = args.steppe
    if steppe is None:
        subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
        target = Path(os.environ.get("CARGO_TARGET_DIR") or ROOT / "target")
        steppe = str(target / "release" / "steppe")
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT,
                            capture_output=True, text=True).stdout.strip()

    rows = []
    for pages in args.pages:
        site = args.work / f"serve-{pages}"
        search = not args.minimal
        generate(site, pages, "steppe", args.seed, theme="bench" if args.minimal else "steppe")
        if search:
            config = site / "site.toml"
            config.write_text(config.read_text().replace("enabled = false", "enabled = true"))
        cold = [site / "public", site / ".steppe-cache"]
        builds = [measure([steppe, "build"], site, cold)[0] for _ in range(args.builds)]
        # The first page of the first section: listed on its section's first pager page.
        page = f"{SECTIONS[0]}/post-{0:06}.md"
        with open(args.work / f"serve-{pages}.log", "w") as log:
            proc, port, rebuilds = start_server(steppe, site, log)
            try:
                latencies, fresh = edit_latencies(site, port, page, args.edits, args.pause,
                                                  args.timeout, search)
                titles, _ = edit_latencies(site, port, page, args.edits, args.pause,
                                           args.timeout, False, title=True)
            finally:
                proc.terminate()
                proc.wait()
        build = statistics.median(builds)
        median, p90 = summary(latencies)
        # The rebuilds serve reported for the text edits; each series' warm-up edit comes first.
        text_rebuilds = rebuilds[1:args.edits + 1]
        rebuilt = statistics.median(text_rebuilds) if text_rebuilds else float("nan")
        rows.append((pages, build, median, p90, rebuilt, summary(fresh)[0], summary(titles)[0]))
        print(f"  {pages} pages: full build {build:.2f} s; {len(rebuilds)} rebuilds for "
              f"{2 * (args.edits + 1)} edits; edit→reload ms: "
              + " ".join(f"{x:.0f}" for x in latencies)
              + "; search fresh ms: " + " ".join(f"{x:.0f}" for x in fresh)
              + "; title edit→reload ms: " + " ".join(f"{x:.0f}" for x in titles), flush=True)

    setup = "minimal theme, search off" if args.minimal else "default theme, search on"
    print(f"\nbinary {steppe}; checkout at commit {commit}; {setup}; machine: "
          f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}; full build: median of "
          f"{args.builds} cold `steppe build`s; edit→reload: {args.edits} edits of one page's "
          f"text, file written → reload message received\n")
    print(f"{'pages':>7} {'build s':>9} {'reload median ms':>17} {'reload p90 ms':>14} "
          f"{'rebuild ms':>11} {'build/reload':>13} {'search fresh ms':>16} "
          f"{'title reload ms':>16}")
    for pages, build, median, p90, rebuilt, fresh, title in rows:
        print(f"{pages:>7} {build:>9.2f} {median:>17.1f} {p90:>14.1f} {rebuilt:>11.0f} "
              f"{build * 1000 / median:>12.0f}x {fresh:>16.0f} {title:>16.1f}")
    print("\nrebuild ms: serve's own report of each rebuild (reading the files and building in "
          "memory); the rest of edit→reload is the watcher's debounce, the diff of the served "
          "files and the message.")


if __name__ == "__main__":
    main()
