// Every page of a built site in headless Chromium at phone width (320 px): no console errors,
// no failed requests, no request to another host, no sideways scrolling, no layout shift while
// loading, and no axe-core violations in the light or the dark palette.
//
//   node tests/browser/pages.mjs <base-url> <output-folder> [<fewest pages>]
//
// <output-folder> is the built site that <base-url> serves; its HTML files are the pages visited,
// at least <fewest pages> of them (21 unless given), so a broken build cannot pass unseen.
import { readFileSync, readdirSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { openBrowser, fail, check, layoutShift } from "./support.mjs";

const [base, folder, fewest = "21"] = process.argv.slice(2);
if (!base || !folder) {
  fail("usage: node tests/browser/pages.mjs <base-url> <output-folder>");
  process.exit(1);
}
const baseUrl = base.endsWith("/") ? base : base + "/";
const axeSource = readFileSync(new URL("../../node_modules/axe-core/axe.min.js", import.meta.url), "utf8");

/** URL paths of the HTML pages below `dir`, redirect pages and link previews (fragments that
 *  previews.mjs checks inside their pages) left out. */
function pagePaths(dir) {
  const found = [];
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !entry.name.endsWith(".html")) continue;
    const file = join(entry.parentPath ?? entry.path, entry.name);
    if (readFileSync(file, "utf8").includes('http-equiv="refresh"')) continue;
    const path = relative(dir, file).split(sep).join("/");
    if (path.startsWith("_preview/")) continue;
    found.push(path.endsWith("index.html") ? path.slice(0, -"index.html".length) : path);
  }
  return found.sort();
}

const { browser, page, problems } = await openBrowser();
const failures = [];
try {
  await page.setViewportSize({ width: 320, height: 640 });
  const origin = new URL(baseUrl).origin;
  page.on("request", (request) => {
    const url = new URL(request.url());
    if (url.protocol !== "data:" && url.origin !== origin) problems.push(`request to another host: ${url}`);
  });
  const paths = pagePaths(folder);
  check(paths.length >= Number(fewest), `only ${paths.length} pages found in ${folder}`);
  for (const path of paths) {
    const seen = problems.length;
    await page.emulateMedia({ colorScheme: "light" });
    const response = await page.goto(baseUrl + path, { waitUntil: "load" });
    // 404.html is served as the answer to missing paths; visited directly it is a 200.
    if (response.status() !== 200) failures.push(`${path}: HTTP ${response.status()}`);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    if (overflow > 0) failures.push(`${path}: scrolls sideways by ${overflow}px at 320px wide`);
    // What moved while the page loaded (scripts revealing controls, say); Lighthouse counts it.
    const shift = await layoutShift(page);
    if (shift > 0.01) failures.push(`${path}: layout shifts by ${shift.toFixed(3)} while loading`);
    await page.addScriptTag({ content: axeSource });
    for (const scheme of ["light", "dark"]) {
      await page.emulateMedia({ colorScheme: scheme });
      const violations = await page.evaluate(async () => {
        const result = await window.axe.run(document, { resultTypes: ["violations"] });
        return result.violations.map(
          (v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`,
        );
      });
      for (const v of violations) failures.push(`${path} [${scheme}]: ${v}`);
    }
    for (const p of problems.slice(seen)) failures.push(`${path}: ${p}`);
  }
  check(failures.length === 0, `${failures.length} problem(s):\n  ${failures.join("\n  ")}`);
  console.log(`pages: ${paths.length} pages clean in light and dark`);
} catch (error) {
  fail(error && error.stack ? error.stack : String(error));
} finally {
  await browser.close();
}
