// Browser test of `steppe serve`'s live reload, in real headless Chromium through playwright-core.
//
//   node tests/browser/serve.mjs <server-url> <site-dir>
//
// <server-url> is a running `steppe serve` of the `tests/fixtures/serve` site copied to
// <site-dir> (tests/cli/browser.rs starts it, then runs this script). The script edits the site's
// files as an author's editor would and checks what the open tabs show, never touching them
// between an edit and its check. Exits 0 when every check passes, 1 with a message otherwise.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { runInBrowser, fail, check } from "./support.mjs";

const [server, siteDir] = process.argv.slice(2);
if (!server || !siteDir) {
  fail("usage: node tests/browser/serve.mjs <server-url> <site-dir>");
  process.exit(1);
}
const ESSAY_URL = new URL("/essays/long/", server).href;
const NOTE_URL = new URL("/notes/other/", server).href;
const ESSAY = join(siteDir, "content/essays/long.md");
const STYLESHEET = join(siteDir, "themes/steppe/static/style.css");
const OVERLAY = "#__steppe-overlay";
// Rebuilds run in a debug build on a loaded machine: wait generously, but never sleep blindly.
const TIMEOUT = 30000;

/** Polls `condition` (sync or async) until it is truthy; fails with `what` after TIMEOUT. */
async function until(what, condition) {
  const deadline = Date.now() + TIMEOUT;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** A tab and what its live-reload sockets received: `messages` (parsed), `sockets` (how many
 *  documents connected and got the server's first message) and `loads` (documents loaded). */
function follow(page) {
  const tab = { page, messages: [], sockets: 0, loads: 0 };
  page.on("load", () => (tab.loads += 1));
  page.on("websocket", (socket) => {
    if (new URL(socket.url()).pathname !== "/__steppe/livereload") return;
    let first = true;
    socket.on("framereceived", ({ payload }) => {
      tab.messages.push(JSON.parse(payload));
      if (first) tab.sockets += 1;
      first = false;
    });
  });
  return tab;
}

/** Waits until the tab's current document is connected to the live-reload socket and loaded. */
async function connected(tab, socketsBefore) {
  await until("the live-reload socket to connect", () => tab.sockets > socketsBefore);
  await tab.page.waitForLoadState("load");
}

async function open(page, url) {
  const tab = follow(page);
  await page.goto(url, { waitUntil: "load" });
  await connected(tab, 0);
  return tab;
}

/** Waits until the tab shows `text` (surviving the reloads on the way). */
async function shows(tab, text) {
  await tab.page.getByText(text).first().waitFor({ timeout: TIMEOUT });
}

/** Sets a variable on the tab's current document; a reload loses it. */
async function mark(tab) {
  await tab.page.evaluate(() => (window.__steppeTestMarker = true));
}

async function marked(tab) {
  return tab.page.evaluate(() => window.__steppeTestMarker === true);
}

/** The essay with its status sentence (and optionally its front matter) replaced. */
function essay(status, frontMatter) {
  let text = readFileSync(ESSAY, "utf8").replace(/Status: [^\n]*/, `Status: ${status}`);
  if (frontMatter) text = text.replace(/^---\n[\s\S]*?\n---\n/, `---\n${frontMatter}\n---\n`);
  return text;
}

/** Saves the file as editors that write atomically do: a temporary file renamed over it. */
function saveAtomically(path, text) {
  const temporary = join(path, "..", ".goutputstream-STEPPE1");
  writeFileSync(temporary, text);
  renameSync(temporary, path);
}

/** Edits the essay, waits until `tab` shows the new status after a reload that kept its
 *  scroll position, and until the reloaded document is connected again. */
async function editEssay(tab, status, save = writeFileSync) {
  // The theme scrolls smoothly: jump at once, as a reader's scroll wheel would have by now.
  await tab.page.evaluate(() => window.scrollTo({ top: 2000, behavior: "instant" }));
  const scrolled = await tab.page.evaluate(() => window.scrollY);
  check(scrolled > 1000, `the essay is too short to scroll (scrollY ${scrolled})`);
  await mark(tab);
  const sockets = tab.sockets;
  save(ESSAY, essay(status));
  await shows(tab, `Status: ${status}`);
  check(!(await marked(tab)), `the tab shows "${status}" but did not reload`);
  await tab.page.waitForFunction((y) => Math.abs(window.scrollY - y) < 2, scrolled, { timeout: TIMEOUT });
  await connected(tab, sockets);
}

await runInBrowser("serve", async ({ page, newPage }) => {
  // 1. A page is open; saving its Markdown shows the new text, scrolled where the reader was.
  const essayTab = await open(page, ESSAY_URL);
  check((await page.locator("h1").textContent()) === "A long essay", "the essay is not shown");
  await shows(essayTab, "Status: the first version.");
  await editEssay(essayTab, "the second version.");

  // 2. The same through an atomic save (temporary file renamed over the page).
  await editEssay(essayTab, "the third version.", saveAtomically);

  // 3. A save while the page is still loading is not lost: the live-reload script is held back
  //    until the server serves the new text, then the tab catches up on its own.
  let releaseScript;
  const scriptHeld = new Promise((resolve) => (releaseScript = resolve));
  let scriptRequested = false;
  await page.route("**/__steppe/livereload.js", async (route) => {
    scriptRequested = true;
    await scriptHeld;
    await route.continue();
  });
  const socketsBefore = essayTab.sockets;
  await page.goto(ESSAY_URL, { waitUntil: "commit" });
  await until("the page to ask for the live-reload script", () => scriptRequested);
  writeFileSync(ESSAY, essay("saved while the page loaded."));
  await until("the server to serve the new text", async () => {
    const html = await (await fetch(ESSAY_URL)).text();
    return html.includes("Status: saved while the page loaded.");
  });
  await shows(essayTab, "Status: the third version.");
  releaseScript();
  await shows(essayTab, "Status: saved while the page loaded.");
  await connected(essayTab, socketsBefore);
  await page.unrouteAll({ behavior: "wait" });

  // 4. A stylesheet-only change restyles the open page without reloading it.
  await mark(essayTab);
  const loads = essayTab.loads;
  writeFileSync(STYLESHEET, readFileSync(STYLESHEET, "utf8") + "\nh1 { color: rgb(1, 2, 3) !important; }\n");
  await page.waitForFunction(() => getComputedStyle(document.querySelector("h1")).color === "rgb(1, 2, 3)", null, {
    timeout: TIMEOUT,
  });
  check(await marked(essayTab), "the stylesheet change reloaded the page");
  check(essayTab.loads === loads, "the stylesheet change loaded the page again");

  // 4b. A stylesheet pulled in with @import: changing it restyles the page without a reload too.
  const IMPORTED = join(siteDir, "static/imported.css");
  mkdirSync(join(siteDir, "static"), { recursive: true });
  writeFileSync(IMPORTED, "h1 { letter-spacing: 1px !important; }\n");
  writeFileSync(STYLESHEET, '@import url("/imported.css");\n' + readFileSync(STYLESHEET, "utf8"));
  const spacing = (value) =>
    page.waitForFunction((v) => getComputedStyle(document.querySelector("h1")).letterSpacing === v, value, {
      timeout: TIMEOUT,
    });
  await spacing("1px");
  writeFileSync(IMPORTED, "h1 { letter-spacing: 3px !important; }\n");
  await spacing("3px");
  check(await marked(essayTab), "the imported stylesheet's change reloaded the page");
  check(essayTab.loads === loads, "the imported stylesheet's change loaded the page again");

  // 4c. A new favicon is swapped into the open page, without a reload.
  const ICON = join(siteDir, "themes/steppe/static/favicon.svg");
  writeFileSync(ICON, readFileSync(ICON, "utf8").replace("</svg>", "<!-- new --></svg>"));
  await page.waitForFunction(() => document.querySelector('link[rel~="icon"]').href.includes("__steppe="), null, {
    timeout: TIMEOUT,
  });
  check(await marked(essayTab), "the favicon's change reloaded the page");

  // 5. Two tabs: an edit of the essay reloads the essay's tab, not the note's.
  const noteTab = await open(await newPage(), NOTE_URL);
  await mark(noteTab);
  const noteLoads = noteTab.loads;
  const noteMessages = noteTab.messages.length;
  await editEssay(essayTab, "the fourth version.");
  await until("the note's tab to hear of the essay's change", () =>
    noteTab.messages.slice(noteMessages).some((m) => m.type === "reload" && m.paths.includes("/essays/long/")),
  );
  // Give a wrong reload time to start: there is no event for a reload that does not happen.
  await noteTab.page.waitForTimeout(1000);
  check(noteTab.loads === noteLoads, "the note's tab reloaded when only the essay changed");
  check(await marked(noteTab), "the note's tab lost its state when only the essay changed");

  // 6. Broken front matter: every tab shows the overlay with file:line:column and the message,
  //    over the last good page; a tab opened meanwhile shows it too.
  writeFileSync(ESSAY, essay("the broken version.", "title: A long essay\ndate: 2024-13-45"));
  for (const tab of [essayTab, noteTab]) {
    await tab.page.locator(OVERLAY).waitFor({ timeout: TIMEOUT });
    const text = await tab.page.locator(OVERLAY).innerText();
    check(text.includes("content/essays/long.md:3:7"), `the overlay does not show file:line:column:\n${text}`);
    check(text.includes("error: `date` is not a date: `2024-13-45`"), `the overlay does not show the message:\n${text}`);
  }
  check(await essayTab.page.getByText("Status: the fourth version.").isVisible(), "the last good page is gone");
  check(await marked(noteTab), "the error reloaded the note's tab");
  const lateTab = await open(await newPage(), NOTE_URL);
  await lateTab.page.locator(OVERLAY).waitFor({ timeout: TIMEOUT });

  // 7. Fixing the file clears the overlay everywhere; the essay shows the fixed text.
  const sockets = essayTab.sockets;
  writeFileSync(ESSAY, essay("the fixed version.", "title: A long essay\ndate: 2024-05-01"));
  await shows(essayTab, "Status: the fixed version.");
  await connected(essayTab, sockets);
  for (const tab of [essayTab, noteTab, lateTab]) {
    await tab.page.locator(OVERLAY).waitFor({ state: "detached", timeout: TIMEOUT });
  }
  check(await marked(noteTab), "fixing the essay reloaded the note's tab");
});
