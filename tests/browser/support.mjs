// Shared harness of the browser tests: launches the system Chromium (never a downloaded one)
// headless with a fresh profile, and collects console errors, page errors and failed requests.
import { mkdtempSync, rmSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const SETUP_HINT =
  "run `bash .ci/run`, or install the tools by hand: `npm ci` and `apt-get install chromium`";

let chromium;
try {
  ({ chromium } = await import("playwright-core"));
} catch (error) {
  console.error(`playwright-core is not installed (${error.message}); ${SETUP_HINT}`);
  process.exit(1);
}

/** Fails the test: prints the message (and collected browser problems) and sets exit code 1. */
export function fail(message, problems = []) {
  console.error(`FAIL: ${message}`);
  if (problems.length > 0) console.error(`browser problems:\n  ${problems.join("\n  ")}`);
  process.exitCode = 1;
}

/** Throws (ending the test) unless `condition` holds. */
export function check(condition, message) {
  if (!condition) throw new Error(message);
}

/** Opens headless Chromium (fresh `--user-data-dir`) with one page; `newPage()` opens another
 *  tab; `browser.close()` also deletes the profile. `problems` collects every tab's console
 *  errors, uncaught page errors, failed requests and HTTP errors as they happen. */
export async function openBrowser() {
  const executablePath = process.env.CHROMIUM || "/usr/bin/chromium";
  if (!existsSync(executablePath)) {
    console.error(`Chromium not found at ${executablePath}; ${SETUP_HINT} (or set CHROMIUM)`);
    process.exit(1);
  }
  // A fresh profile per run. Playwright refuses `--user-data-dir` in `args` and takes it as the
  // first argument of launchPersistentContext instead, which passes it to Chromium.
  const profile = mkdtempSync(join(tmpdir(), "steppe-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--no-first-run",
      "--disable-quic",
      "--disable-component-update",
      "--disable-sync",
      // Shared memory from /tmp, not /dev/shm: a busy or small /dev/shm crashes renderers.
      "--disable-dev-shm-usage",
    ],
  });
  const browser = {
    async close() {
      try {
        await context.close();
      } finally {
        rmSync(profile, { recursive: true, force: true });
      }
    },
  };
  const problems = [];
  const page = watchProblems(context.pages()[0] ?? (await context.newPage()), problems);
  // Another tab of the same browser, watched the same way.
  const newPage = async () => watchProblems(await context.newPage(), problems);
  return { browser, page, newPage, problems };
}

/** Records `page`'s console errors, uncaught errors, failed requests and HTTP errors in
 *  `problems`; returns the page. */
function watchProblems(page, problems) {
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(`console error: ${message.text()}`);
  });
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  page.on("requestfailed", (request) => {
    const reason = request.failure()?.errorText ?? "";
    // Leaving a page cancels its pending requests; that is not a failure.
    if (reason !== "net::ERR_ABORTED") problems.push(`request failed: ${request.url()} (${reason})`);
  });
  page.on("response", (response) => {
    if (response.status() >= 400) problems.push(`HTTP ${response.status()}: ${response.url()}`);
  });
  return page;
}

/** Opens the browser, runs `checks({ page, newPage, problems })`, then checks that no tab had a
 *  problem and says `<name>: all checks passed`; any failure is reported with the problems
 *  collected. The browser is closed however it ends. */
export async function runInBrowser(name, checks) {
  const { browser, page, newPage, problems } = await openBrowser();
  try {
    await checks({ page, newPage, problems });
    check(problems.length === 0, `console errors or failed requests:\n  ${problems.join("\n  ")}`);
    console.log(`${name}: all checks passed`);
  } catch (error) {
    fail(error && error.stack ? error.stack : String(error), problems);
  } finally {
    await browser.close();
  }
}

/** The cumulative layout shift of the page so far (what moved without the reader's input). */
export function layoutShift(page) {
  return page.evaluate(
    () =>
      new Promise((resolve) => {
        let total = 0;
        new PerformanceObserver((list) => {
          for (const entry of list.getEntries()) if (!entry.hadRecentInput) total += entry.value;
        }).observe({ type: "layout-shift", buffered: true });
        setTimeout(() => resolve(total), 100);
      }),
  );
}
