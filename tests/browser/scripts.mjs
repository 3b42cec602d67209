// No script runs that the site's author did not write: every HTML page of a built site is opened
// in headless Chromium, and each script V8 parses in the page's own world while it loads
// (Debugger.scriptParsed, over CDP) must be a known one:
// - a file the theme ships (same bytes as a `.js` file of a theme's `static/`), or Pagefind's
//   bundle under `pagefind/`, which steppe writes;
// - an inline `<script>` whose text is exactly one a theme template holds;
// - code such a script made (eval, `new Function`), known by the script on top of its stack.
// Anything else (an event handler attribute that fired, a `javascript:` URL, an inline script
// from Markdown) fails the page, as does a dialog (`alert`). Handlers that did not fire are
// caught in the DOM afterwards: no element may carry an `on…` attribute, and no link, image,
// frame or form may point at a `javascript:`, `vbscript:` or `data:text/html` URL.
//
//   node tests/browser/scripts.mjs <base-url> <output-folder> <theme-folder>…
//
// Raw HTML in Markdown is the author's own choice; the fixtures hold none with script.
import { readFileSync, readdirSync, existsSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { openBrowser, fail, check } from "./support.mjs";

const [base, folder, ...themes] = process.argv.slice(2);
if (!base || !folder || themes.length === 0) {
  fail("usage: node tests/browser/scripts.mjs <base-url> <output-folder> <theme-folder>…");
  process.exit(1);
}
const baseUrl = base.endsWith("/") ? base : base + "/";

/** Every file below `dir`, as [path relative to dir with `/`, full path]. */
function files(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => {
      const full = join(entry.parentPath ?? entry.path, entry.name);
      return [relative(dir, full).split(sep).join("/"), full];
    });
}

// The theme's scripts, by content: a script in the output is known when its bytes are one of
// these (a site's own `static/` file of the same name replacing it is its author's too, but the
// fixtures have none).
const themeScripts = new Set();
const inlineScripts = new Set();
for (const theme of themes) {
  for (const [path, full] of files(join(theme, "static"))) {
    if (/\.m?js$/.test(path)) themeScripts.add(readFileSync(full, "utf8"));
  }
  for (const [path, full] of files(join(theme, "templates"))) {
    if (!path.endsWith(".html")) continue;
    const text = readFileSync(full, "utf8");
    for (const match of text.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)) {
      if (match[1].trim() !== "") inlineScripts.add(match[1]);
    }
  }
}
// Output URLs of the known script files. A theme links its files with a content hash
// (`theme.js?h=…`, `url(…, cachebust=true)`): the same file, whatever the query.
const knownUrls = new Set();
const isKnown = (url) => Boolean(url) && knownUrls.has(url.replace(/\?h=[0-9a-f]{16}$/, ""));
for (const [path, full] of files(folder)) {
  if (!/\.m?js$/.test(path)) continue;
  if (path.startsWith("pagefind/") || themeScripts.has(readFileSync(full, "utf8"))) {
    knownUrls.add(baseUrl + path);
  }
}

/** Handler attributes and script URLs in the document: what would run on a click or a focus. */
function findScriptInDom() {
  const found = [];
  const scriptUrl = /^(javascript:|vbscript:|data:text\/html)/;
  const urlAttributes = ["href", "src", "action", "formaction", "data", "xlink:href", "poster"];
  for (const element of document.querySelectorAll("*")) {
    for (const attribute of element.attributes) {
      const name = attribute.name.toLowerCase();
      // Browsers drop whitespace and control characters inside a scheme.
      const value = attribute.value.replace(/[\u0000-\u0020]/g, "").toLowerCase();
      if (name.startsWith("on") || (urlAttributes.includes(name) && scriptUrl.test(value))) {
        found.push(`<${element.localName} ${name}="${attribute.value}">`);
      }
    }
  }
  return found;
}

/** URL paths of the HTML pages below `dir`. */
function pagePaths(dir) {
  return files(dir)
    .filter(([path]) => path.endsWith(".html"))
    .map(([path]) => (path.endsWith("index.html") ? path.slice(0, -"index.html".length) : path))
    .sort();
}

const { browser, page, problems } = await openBrowser();
const failures = [];
let scripts = 0;
try {
  const cdp = await page.context().newCDPSession(page);
  // Scripts parsed in the page's main world, while recording (playwright's own `evaluate` calls
  // below run after recording stops).
  let recording = null;
  cdp.on("Debugger.scriptParsed", (event) => {
    if (recording === null || event.executionContextAuxData?.isDefault !== true) return;
    // The source is asked for at once: V8 may let go of a script that ran once.
    const source = isKnown(event.url)
      ? Promise.resolve(null)
      : cdp
          .send("Debugger.getScriptSource", { scriptId: event.scriptId })
          .then((reply) => reply.scriptSource)
          .catch((error) => `(source unavailable: ${error.message})`);
    recording.push({ event, source });
  });
  await cdp.send("Debugger.enable");
  // Stack frames for code made by eval or `new Function`, to know which script made it.
  await cdp.send("Debugger.setAsyncCallStackDepth", { maxDepth: 4 });
  let dialogs = [];
  page.on("dialog", async (dialog) => {
    dialogs.push(`${dialog.type()}(${JSON.stringify(dialog.message())})`);
    await dialog.dismiss();
  });

  /** Whether a parsed script is one the author wrote; otherwise what it is. */
  async function unknown({ event, source }) {
    if (isKnown(event.url)) return null;
    if (event.url === "" || event.url.startsWith(baseUrl)) {
      const scriptSource = await source;
      // An inline script of a page: the one visited, or where a redirect page led.
      if (event.url !== "" && inlineScripts.has(scriptSource)) return null;
      // Made by a known script: the frame that made it is in a known file.
      const maker = event.stackTrace?.callFrames?.[0]?.url;
      if (event.url === "" && isKnown(maker)) return null;
      return `script ${JSON.stringify(scriptSource.slice(0, 120))} at ${event.url || "(no URL)"}:${event.startLine + 1}`;
    }
    return `script file ${event.url} is not the theme's`;
  }

  /** Runs `fn` over the page's DOM in a world of its own, so its code is not the page's. */
  async function inIsolatedWorld(fn) {
    const { frameTree } = await cdp.send("Page.getFrameTree");
    const { executionContextId } = await cdp.send("Page.createIsolatedWorld", {
      frameId: frameTree.frame.id,
      worldName: "steppe-script-check",
    });
    const { result, exceptionDetails } = await cdp.send("Runtime.evaluate", {
      expression: `(${fn})()`,
      contextId: executionContextId,
      returnByValue: true,
    });
    check(!exceptionDetails, `the DOM check failed: ${JSON.stringify(exceptionDetails)}`);
    return result.value;
  }

  const paths = pagePaths(folder);
  check(paths.length > 0, `no pages found in ${folder}`);
  for (const path of paths) {
    const pageUrl = baseUrl + path;
    const seen = problems.length;
    recording = [];
    dialogs = [];
    await page.goto(pageUrl, { waitUntil: "load" });
    // Deferred scripts and what they start (a diagram drawn, a search index fetched).
    await page.waitForLoadState("networkidle");
    const events = recording;
    recording = null;
    scripts += events.length;
    for (const event of events) {
      const what = await unknown(event);
      if (what) failures.push(`${path}: ${what}`);
    }
    for (const dialog of dialogs) failures.push(`${path}: a dialog opened: ${dialog}`);
    const inert = await inIsolatedWorld(findScriptInDom);
    for (const element of inert) failures.push(`${path}: script in the page: ${element}`);
    // Uncaught errors only: a missing favicon of a redirect page is `pages.mjs`'s business.
    for (const p of problems.slice(seen).filter((p) => p.startsWith("page error"))) {
      failures.push(`${path}: ${p}`);
    }
  }
  check(scripts > 0, "no script was seen at all: the recording does not work");
  check(failures.length === 0, `${failures.length} problem(s):\n  ${failures.join("\n  ")}`);
  console.log(`scripts: ${paths.length} pages of ${folder}, ${scripts} scripts, all the theme's`);
} catch (error) {
  fail(error && error.stack ? error.stack : String(error));
} finally {
  await browser.close();
}
