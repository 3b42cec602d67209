// Lighthouse 12 on representative pages of a served site: each of performance, accessibility,
// best practices and SEO must score at least 95. One headless Chromium (the system's) serves
// all runs, with Lighthouse's default mobile emulation and simulated throttling.
//
//   node tests/browser/lighthouse.mjs <base-url> <path>...
import lighthouse from "lighthouse";
import * as chromeLauncher from "chrome-launcher";
import { fail } from "./support.mjs";

const [base, ...paths] = process.argv.slice(2);
if (!base || paths.length === 0) {
  fail("usage: node tests/browser/lighthouse.mjs <base-url> <path>...");
  process.exit(1);
}
const baseUrl = base.endsWith("/") ? base : base + "/";
const MINIMUM = 95;

const chrome = await chromeLauncher.launch({
  chromePath: process.env.CHROMIUM || "/usr/bin/chromium",
  chromeFlags: [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-quic",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
  ],
  logLevel: "silent",
});
const failures = [];
try {
  for (const path of paths) {
    const url = baseUrl + path;
    const { lhr } = await lighthouse(url, { port: chrome.port, logLevel: "error", output: "json" });
    if (lhr.runtimeError) {
      failures.push(`${path}: ${lhr.runtimeError.code} ${lhr.runtimeError.message}`);
      continue;
    }
    const scores = Object.values(lhr.categories).map((c) => [c.id, Math.round(c.score * 100)]);
    console.log(`${path || "/"}: ${scores.map(([id, s]) => `${id} ${s}`).join(", ")}`);
    for (const [id, score] of scores) {
      if (score >= MINIMUM) continue;
      const lost = Object.values(lhr.audits)
        .filter(
          (a) =>
            lhr.categories[id].auditRefs.some((r) => r.id === a.id && r.weight > 0) &&
            a.score !== null &&
            a.score < 1,
        )
        .map((a) => `${a.id} (${a.score}): ${a.displayValue ?? a.title}`);
      failures.push(`${path}: ${id} ${score} < ${MINIMUM}; failing audits: ${lost.join("; ")}`);
    }
  }
  if (failures.length > 0) fail(`Lighthouse:\n  ${failures.join("\n  ")}`);
  else console.log("lighthouse: every category at least 95 on every page");
} catch (error) {
  fail(error && error.stack ? error.stack : String(error));
} finally {
  await chrome.kill();
}
