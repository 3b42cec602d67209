// Screenshots of the flagship site for the README, taken from a real build in the system's
// headless Chromium (playwright-core, /usr/bin/chromium or $CHROMIUM):
//
//   cargo run --release -- build --output-dir target/screenshots-site
//   node scripts/screenshots.mjs target/screenshots-site
//
// Serves the folder on a local port and writes docs/screenshots/<page>-<light|dark>.png at
// 1280×800.
import { createServer } from "node:http";
import { readFile, stat } from "node:fs/promises";
import { extname, join, normalize } from "node:path";
import { chromium } from "playwright-core";

const folder = process.argv[2];
if (!folder) {
  console.error("usage: node scripts/screenshots.mjs <built-site-folder>");
  process.exit(2);
}
const types = { ".html": "text/html; charset=utf-8", ".css": "text/css", ".js": "text/javascript", ".svg": "image/svg+xml", ".xml": "application/xml", ".json": "application/json", ".wasm": "application/wasm" };
const server = createServer(async (request, response) => {
  const path = normalize(decodeURIComponent(new URL(request.url, "http://x").pathname)).replace(/^(\.\.[/\\])+/, "");
  let file = join(folder, path);
  try {
    if ((await stat(file)).isDirectory()) file = join(file, "index.html");
    const body = await readFile(file);
    response.writeHead(200, { "Content-Type": types[extname(file)] ?? "application/octet-stream" });
    response.end(body);
  } catch {
    response.writeHead(404).end();
  }
});
await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
const base = `http://127.0.0.1:${server.address().port}/`;

const shots = [
  ["home", ""],
  ["checklist", "checklists/adaptability/"],
  ["timeline", "timeline/"],
];
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--hide-scrollbars"],
});
try {
  for (const scheme of ["light", "dark"]) {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, colorScheme: scheme, reducedMotion: "reduce" });
    for (const [name, path] of shots) {
      await page.goto(base + path, { waitUntil: "load" });
      if (name === "checklist") {
        // A reader part-way through: three items ticked.
        for (const n of [0, 1, 4]) await page.locator(".prose li.task input").nth(n).check();
        await page.evaluate(() => window.scrollTo(0, 0));
      }
      const out = `docs/screenshots/${name}-${scheme}.png`;
      await page.screenshot({ path: out });
      console.log(out);
    }
    await page.close();
  }
} finally {
  await browser.close();
  server.close();
}
