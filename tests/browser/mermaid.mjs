// Browser test of mermaid diagrams, in real headless Chromium through playwright-core.
//
//   node tests/browser/mermaid.mjs <base-url>
//
// <base-url> serves the built `tests/fixtures/diagrams` site. Its "Caravan routes" note has a
// good flowchart, a broken diagram and a good sequence diagram (in that order); "Plain note" has
// none. Exits 0 when every check passes, 1 with a message otherwise.
import { readFileSync } from "node:fs";
import { runInBrowser, fail, check } from "./support.mjs";

const base = process.argv[2];
if (!base) {
  fail("usage: node tests/browser/mermaid.mjs <base-url>");
  process.exit(1);
}
const baseUrl = base.endsWith("/") ? base : base + "/";
const origin = new URL(baseUrl).origin;
const axeSource = readFileSync(new URL("../../node_modules/axe-core/axe.min.js", import.meta.url), "utf8");

/** What each diagram block shows: its drawing's SVG id and text, its error, its source's state. */
function diagrams(page) {
  return page.$$eval("main .diagram-drawing", (drawings) =>
    drawings.map((d) => {
      const svg = d.querySelector("svg");
      const source = d.nextElementSibling;
      return {
        svgId: svg ? svg.id : null,
        svgText: svg ? svg.textContent.replace(/\s+/g, " ") : "",
        svgStyle: svg ? (svg.querySelector("style")?.textContent ?? "") : "",
        label: svg ? svg.getAttribute("aria-label") || svg.getAttribute("aria-labelledby") : null,
        error: d.classList.contains("diagram-error") ? d.textContent : null,
        sourceIsDiagram: source?.matches('pre.diagram[data-lang="mermaid"]') ?? false,
        sourceHidden: source ? source.hidden : null,
      };
    }),
  );
}

/** Waits until every diagram is drawn or shows its error, in the generation `n` of drawing. */
async function drawn(page, n) {
  await page.waitForFunction(
    (n) => {
      const all = document.querySelectorAll("main .diagram-drawing");
      return (
        all.length === 3 &&
        [...all].every((d) => d.classList.contains("diagram-error") || d.querySelector(`svg[id^="steppe-diagram-${n}-"]`))
      );
    },
    n,
    { timeout: 30000 },
  );
}

async function axe(page) {
  await page.addScriptTag({ content: axeSource });
  return page.evaluate(async () => {
    const result = await window.axe.run(document, { resultTypes: ["violations"] });
    return result.violations.map((v) => `${v.id}: ${v.help} at ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  });
}

await runInBrowser("mermaid", async ({ page }) => {
  const requests = [];
  page.on("request", (request) => requests.push(request.url()));
  await page.emulateMedia({ colorScheme: "light" });

  // 1. A page with diagrams: the good ones become SVG with their labels, the broken one says why.
  await page.goto(baseUrl + "notes/caravan-routes/", { waitUntil: "load" });
  await drawn(page, 1);
  let [flow, broken, sequence] = await diagrams(page);
  check(flow.svgId === "steppe-diagram-1-0", `the flowchart was not drawn: ${JSON.stringify(flow)}`);
  for (const label of ["Kashgar", "Samarkand", "Bukhara or Merv?", "Bukhara", "Merv & Nishapur", "north", "south"]) {
    check(flow.svgText.includes(label), `the flowchart lacks the label "${label}": ${flow.svgText}`);
  }
  check(flow.sourceIsDiagram && flow.sourceHidden === true, `the flowchart's source is still shown: ${JSON.stringify(flow)}`);
  check(flow.label, "the flowchart's SVG has no accessible name");
  check(sequence.svgId === "steppe-diagram-1-2", `the sequence diagram was not drawn: ${JSON.stringify(sequence)}`);
  for (const label of ["Khan", "Scout", "Ride to the river", "The ford is open"]) {
    check(sequence.svgText.includes(label), `the sequence diagram lacks "${label}": ${sequence.svgText}`);
  }
  check(broken.svgId === null, `the broken diagram was drawn: ${JSON.stringify(broken)}`);
  check(
    broken.error && broken.error.startsWith("This diagram could not be drawn:") && /Parse error on line 2/.test(broken.error),
    `the broken diagram does not show mermaid's parse error: ${JSON.stringify(broken)}`,
  );
  check(broken.sourceIsDiagram && broken.sourceHidden === false, "the broken diagram's source is hidden");
  const brokenSource = await page.locator("main .diagram-error + pre").textContent();
  check(brokenSource.includes("A[Karakorum] --> --> B("), `the broken diagram's source is not shown: ${brokenSource}`);
  // mermaid's own error picture ("Syntax error in text") never lands on the page.
  const body = await page.locator("body").textContent();
  check(!/Syntax error in text/i.test(body), "mermaid's error picture was added to the page");
  const stray = await page.evaluate(() => document.querySelectorAll("body > div[id^='dsteppe-diagram'], body > svg").length);
  check(stray === 0, `${stray} leftover mermaid element(s) at the end of <body>`);

  // 2. The rest of the page works: text is there, theme.js runs (tasks tick, the toggle shows).
  check(body.includes("How goods moved across the steppe"), "the page text is missing");
  const box = page.locator(".prose li.task input[type=checkbox]");
  await box.check();
  check(await box.isChecked(), "the task box does not tick on a page with diagrams");
  const lightViolations = await axe(page);
  check(lightViolations.length === 0, `axe (light):\n  ${lightViolations.join("\n  ")}`);

  // 3. The theme toggle redraws the diagrams in mermaid's dark theme.
  await page.locator("#theme-toggle").click();
  check((await page.evaluate(() => document.documentElement.dataset.theme)) === "dark", "the toggle did not switch to dark");
  await drawn(page, 2);
  const dark = await diagrams(page);
  check(dark[0].svgId === "steppe-diagram-2-0" && dark[2].svgId === "steppe-diagram-2-2", `not redrawn: ${JSON.stringify(dark)}`);
  check(dark[0].svgText.includes("Kashgar"), "the redrawn flowchart lost its labels");
  check(dark[0].svgStyle !== flow.svgStyle, "the dark drawing has the light drawing's colours");
  check(dark[1].error && /Parse error on line 2/.test(dark[1].error), "the broken diagram lost its error when redrawn");
  const darkViolations = await axe(page);
  check(darkViolations.length === 0, `axe (dark):\n  ${darkViolations.join("\n  ")}`);
  // Set back to light, so the next page starts from the system's (light) theme.
  await page.locator("#theme-toggle").click();
  await drawn(page, 3);

  const loaded = requests.map((u) => new URL(u));
  check(loaded.some((u) => u.pathname.endsWith("/vendor/mermaid.min.js")), "mermaid.min.js was not requested");
  const away = loaded.filter((u) => u.protocol !== "data:" && u.origin !== origin);
  check(away.length === 0, `requests to another host: ${away.join(", ")}`);

  // 4. A page without a diagram never loads mermaid.
  requests.length = 0;
  await page.goto(baseUrl + "notes/plain/", { waitUntil: "load" });
  check((await page.locator("main").textContent()).includes("felt tents"), "the plain note's text is missing");
  const scripts = requests.filter((u) => /mermaid|diagrams\.js/.test(u));
  check(scripts.length === 0, `a page without a diagram loaded ${scripts.join(", ")}`);
  check(await page.evaluate(() => window.mermaid === undefined), "window.mermaid exists on a page without a diagram");
});
