#!/usr/bin/env python3
"""Image benchmark: what images cost a steppe build, cold and warm, in one run.

Generates bench.py's corpus (steppe flavour, its minimal theme, search off) twice: as it is, and
with one different PNG photo-like gradient (1200 x 800, so wider than the 720 px column) shown
on each of `--images` pages. Each PNG gets width, height and a srcset of three resized copies
(480, 720 and 1080 px, lossless WebP). Then, interleaved over `--runs`:

- without images: a cold build (no output, no cache);
- images, cold: no output and no `.steppe-cache/` (every copy is decoded, resized and encoded);
- images, warm: no output, the cache kept from the run before (every copy is read back from
  `.steppe-cache/images/` and checked).

It prints medians and the ratios warm/cold and against the site without images.

    python3 benches/images.py --pages 1000 --images 1000 --runs 3
    python3 benches/images.py --steppe target/release/steppe --work /dev/shm/images

The machine is shared and noisy: compare the ratios, measured in the same run.
"""

import argparse
import os
import platform
import statistics
import struct
import subprocess
import sys
import zlib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench  # noqa: E402  (the corpus and the measuring are bench.py's)

WIDTH, HEIGHT = 1200, 800


def png(seed):
    """A 1200 x 800 RGB PNG, different for every seed: a diagonal gradient whose colours and
    slope depend on it (compressed at level 6, as a camera's or an editor's export would be)."""
    def chunk(kind, data):
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    r, g, b = seed * 37 % 256, seed * 91 % 256, seed * 13 % 256
    base = bytes(c for x in range(2 * WIDTH) for c in ((x + r) % 256, (x // 3 + g) % 256, b))
    slope = 1 + seed % 5
    rows = b"".join(b"\x00" + base[3 * (y * slope % WIDTH):][:3 * WIDTH] for y in range(HEIGHT))
    header = struct.pack(">IIBBBBB", WIDTH, HEIGHT, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(rows, 6)) + chunk(b"IEND", b""))


def add_images(site, count):
    """One image beside each of the first `count` pages (by path), shown after its title."""
    pages = sorted(p for p in (site / "content").rglob("*.md") if p.name != "_index.md")
    for i, page in enumerate(pages[:count]):
        image = page.with_suffix(".png")
        image.write_bytes(png(i))
        text = page.read_text()
        end = text.index("\n---\n", 4) + 5
        page.write_text(text[:end] + f"![Figure {i}]({image.name})\n\n" + text[end:])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--images", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--work", type=Path, default=bench.ROOT / "target" / "bench-images")
    parser.add_argument("--steppe", metavar="BINARY",
                        help="the steppe binary (default: build the release binary)")
    args = parser.parse_args()
    if args.images > args.pages:
        sys.exit("--images may not exceed --pages: one image per page")
    if args.steppe:
        steppe = args.steppe
    else:
        subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=bench.ROOT, check=True)
        target = Path(os.environ.get("CARGO_TARGET_DIR") or bench.ROOT / "target")
        steppe = str(target / "release" / "steppe")

    plain = args.work / f"plain-{args.pages}"
    pictured = args.work / f"images-{args.pages}-{args.images}"
    bench.generate(plain, args.pages, "steppe", args.seed)
    bench.generate(pictured, args.pages, "steppe", args.seed)
    add_images(pictured, args.images)
    build = [steppe, "build"]
    tools = [
        ("without images", plain, [plain / "public", plain / ".steppe-cache"]),
        ("images, cold", pictured, [pictured / "public", pictured / ".steppe-cache"]),
        # Runs after the cold build, whose cache it keeps.
        ("images, warm", pictured, [pictured / "public"]),
    ]
    results = {name: [] for name, *_ in tools}
    for _ in range(args.runs):
        for name, cwd, clean in tools:
            results[name].append(bench.measure(build, cwd, clean)[:3])
    copies = len(list((pictured / "public" / "processed_images").iterdir()))

    load = os.getloadavg()
    print(f"\n{args.pages} pages, {args.images} PNG images of {WIDTH} x {HEIGHT} "
          f"({copies} resized copies); median of {args.runs} builds; "
          f"{os.cpu_count()} cores, {platform.machine()}, load average {load[0]:.1f} at the end\n")
    print(f"{'build':<16} {'wall s':>8} {'cpu s':>8} {'peak MiB':>9} {'vs no images':>13} "
          f"{'vs cold':>8}")
    medians = {}
    for name, rows in results.items():
        walls, cpus, mems = zip(*rows)
        medians[name] = (statistics.median(walls), statistics.median(cpus), max(mems))
    for name, (wall, cpu, mem) in medians.items():
        vs_plain = wall / medians["without images"][0]
        vs_cold = f"{wall / medians['images, cold'][0]:.2f}x" if name.startswith("images") else "-"
        print(f"{name:<16} {wall:>8.2f} {cpu:>8.2f} {mem:>9.0f} {vs_plain:>12.2f}x {vs_cold:>8}")


if __name__ == "__main__":
    main()
