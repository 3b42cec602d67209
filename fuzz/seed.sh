#!/usr/bin/env bash
# Regenerates the committed seed corpus (fuzz/corpus/<target>/seed-*) from the flagship
# content, the test fixtures and the parser's test data. Run from anywhere.
set -euo pipefail
cd "$(dirname "$0")/.."
out=fuzz/corpus
rm -f "$out"/*/seed-*
mkdir -p "$out/front_matter" "$out/markdown" "$out/site"
n=0
while IFS= read -r -d '' file; do
  n=$((n + 1))
  # front matter: the file's head; markdown: an options byte (all on) and the whole file.
  head -c 2048 "$file" > "$out/front_matter/seed-$n"
  { printf '\x0f'; head -c 8192 "$file"; } > "$out/markdown/seed-$n"
done < <(find content tests/fixtures src/parse/markdown/testdata -name '*.md' -print0 | sort -z)
for toml in site.toml tests/fixtures/*/site.toml; do
  n=$((n + 1))
  cp "$toml" "$out/front_matter/seed-$n"
done
# site: each fixture as one input, files joined with `@@ <path>` lines.
for fixture in tests/fixtures/*/; do
  name=$(basename "$fixture")
  {
    echo "@@ site.toml"
    cat "$fixture/site.toml"
    while IFS= read -r -d '' file; do
      printf '\n@@ %s\n' "${file#"$fixture"}"
      head -c 4096 "$file"
    done < <(cd "$fixture" && find content -name '*.md' -print0 | sort -z | sed -z "s|^|$fixture|")
  } > "$out/site/seed-$name"
done
du -sh "$out"
