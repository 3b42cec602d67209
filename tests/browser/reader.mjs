// Browser test of the default theme as a reader uses it, on the flagship site, in real headless
// Chromium through playwright-core: checklists that keep their ticks, the reset button, the
// colour toggle that is remembered, links from a case study to a checklist and back through the
// backlinks, the timeline, checklists without JavaScript and in print.
//
//   node tests/browser/reader.mjs <base-url>
//
// <base-url> serves the flagship site built for that address (tests/cli/browser.rs does it).
import { openBrowser, fail, check, layoutShift } from "./support.mjs";

const base = process.argv[2];
if (!base) {
  fail("usage: node tests/browser/reader.mjs <base-url>");
  process.exit(1);
}
const baseUrl = base.endsWith("/") ? base : base + "/";
const checklistUrl = baseUrl + "checklists/adaptability/";
const caseStudyUrl = baseUrl + "case-studies/mongol-horse-archers/";

const boxes = (page) => page.locator(".prose li.task input[type=checkbox]");
const countText = (page) => page.locator("#checklist-count").textContent();
async function ticked(page) {
  return boxes(page).evaluateAll((all) => all.map((b) => b.checked));
}
const background = (page) => page.evaluate(() => getComputedStyle(document.body).backgroundColor);

const { browser, page, problems } = await openBrowser();
try {
  // 1. A checklist: progress shows without moving the page (at Lighthouse's phone size), ticks
  // count live, survive a reload, reset clears them.
  // theme.js is held back, as on a slow network, so the page paints before it runs.
  await page.setViewportSize({ width: 412, height: 823 });
  const slowScript = async (route) => {
    await new Promise((resolve) => setTimeout(resolve, 500));
    await route.continue();
  };
  // Matched by path: the theme links it with a content hash, `theme.js?h=…`.
  const themeScript = (url) => url.pathname.endsWith("/theme.js");
  await page.route(themeScript, slowScript);
  await page.goto(checklistUrl, { waitUntil: "load" });
  const shift = await layoutShift(page);
  check(shift < 0.01, `the checklist shifts by ${shift.toFixed(3)} while loading`);
  await page.unroute(themeScript, slowScript);
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.locator("#checklist-progress").waitFor({ state: "visible" });
  const total = await boxes(page).count();
  check(total === 14, `the adaptability checklist has ${total} boxes, expected 14`);
  check((await countText(page)) === `0 of ${total} done`, `fresh progress reads "${await countText(page)}"`);
  for (const n of [0, 2, 5]) await boxes(page).nth(n).click();
  check((await countText(page)) === `3 of ${total} done`, `after 3 ticks: "${await countText(page)}"`);
  const bar = page.locator("#checklist-bar");
  check((await bar.evaluate((b) => [b.value, b.max].join("/"))) === `3/${total}`, "the progress bar did not follow");
  const label = await boxes(page).nth(0).getAttribute("aria-label");
  check(label && label.startsWith("My core team is small enough"), `first box is labelled "${label}"`);

  await page.reload({ waitUntil: "load" });
  await page.locator("#checklist-progress").waitFor({ state: "visible" });
  const afterReload = await ticked(page);
  check(
    afterReload.map((t, i) => (t ? i : -1)).filter((i) => i >= 0).join(",") === "0,2,5",
    `after a reload the ticked boxes are ${JSON.stringify(afterReload)}`,
  );
  check((await countText(page)) === `3 of ${total} done`, `after a reload: "${await countText(page)}"`);

  // Ticks belong to their page: another checklist starts empty.
  await page.goto(baseUrl + "checklists/creativity/", { waitUntil: "load" });
  await page.locator("#checklist-progress").waitFor({ state: "visible" });
  check((await ticked(page)).every((t) => !t), "ticks leaked to another checklist");

  await page.goto(checklistUrl, { waitUntil: "load" });
  await page.locator("#checklist-reset").click();
  check((await countText(page)) === `0 of ${total} done`, `after reset: "${await countText(page)}"`);
  await page.reload({ waitUntil: "load" });
  check((await ticked(page)).every((t) => !t), "reset did not last a reload");
  const stored = await page.evaluate(() => localStorage.getItem("steppe-tasks:" + location.pathname));
  check(stored === null, `reset left ${stored} in localStorage`);

  // 2. The colour toggle overrides the system's choice and is remembered.
  await page.emulateMedia({ colorScheme: "light" });
  check((await background(page)) === "rgb(251, 250, 246)", `light background is ${await background(page)}`);
  const toggle = page.locator("#theme-toggle");
  check((await toggle.getAttribute("aria-label")) === "Switch to dark theme", "toggle label in light mode");
  await toggle.click();
  check((await background(page)) === "rgb(21, 23, 26)", `after the toggle the background is ${await background(page)}`);
  check((await toggle.getAttribute("aria-label")) === "Switch to light theme", "toggle label in dark mode");
  await page.goto(caseStudyUrl, { waitUntil: "load" });
  check((await background(page)) === "rgb(21, 23, 26)", "dark was not remembered on the next page");
  await page.emulateMedia({ colorScheme: "dark" });
  await toggle.click();
  await page.reload({ waitUntil: "load" });
  check((await background(page)) === "rgb(251, 250, 246)", "light chosen on a dark system was not remembered");
  await page.evaluate(() => localStorage.removeItem("steppe-theme"));
  await page.reload({ waitUntil: "load" });
  check((await background(page)) === "rgb(21, 23, 26)", "without a choice the system's dark is not followed");
  await page.emulateMedia({ colorScheme: "light" });

  // 3. From a case study's fact box to a checklist, and back through its backlinks.
  await page.locator(".facts a", { hasText: "Adaptability" }).click();
  await page.waitForURL(checklistUrl);
  const backlink = page.locator(".backlinks a", { hasText: "Mongol horse archers" });
  check((await backlink.count()) === 1, "the checklist's backlinks do not list the Mongol horse archers");
  await backlink.click();
  await page.waitForURL(caseStudyUrl);
  check((await page.locator("h1").textContent()) === "Mongol horse archers", "the backlink led elsewhere");

  // 4. The timeline: in the navigation, every case study on it, each leading to its page.
  await page.locator(".site-nav a", { hasText: "Timeline" }).click();
  await page.waitForURL(baseUrl + "timeline/");
  const entries = await page.locator(".timeline-entry .timeline-title").allTextContents();
  check(entries.length === 6, `the timeline shows ${entries.length} case studies: ${entries.join(", ")}`);
  const bars = await page.locator(".timeline-bar").evaluateAll((all) =>
    all.map((b) => {
      const r = b.getBoundingClientRect();
      return [Math.round(r.left), Math.round(r.width)];
    }),
  );
  check(bars.every(([, w]) => w >= 4), `a timeline bar is invisible: ${JSON.stringify(bars)}`);
  check(new Set(bars.map(([l]) => l)).size > 3, `timeline bars are not spread along the axis: ${JSON.stringify(bars)}`);
  await page.locator(".timeline-title", { hasText: "Mongol horse archers" }).click();
  await page.waitForURL(caseStudyUrl);
  await page.locator(".facts a", { hasText: "on the timeline" }).click();
  await page.waitForURL(baseUrl + "timeline/#case-studies-mongol-horse-archers");

  // 5. Keyboard: the skip link is the first stop and shows a focus ring.
  await page.goto(checklistUrl, { waitUntil: "load" });
  await page.keyboard.press("Tab");
  const focused = await page.evaluate(() => {
    const el = document.activeElement;
    const style = getComputedStyle(el);
    return { text: el.textContent, visible: el.getBoundingClientRect().top >= 0, outline: style.outlineStyle };
  });
  check(focused.text === "Skip to content" && focused.visible, `first Tab focuses ${JSON.stringify(focused)}`);
  check(focused.outline !== "none", "the focused skip link has no outline");

  // 6. In print: no header, navigation, toggle or reset button; the boxes are still there.
  await boxes(page).nth(1).click();
  await page.emulateMedia({ media: "print" });
  const printed = await page.evaluate(() => {
    const shown = (sel) => {
      const el = document.querySelector(sel);
      return !!el && getComputedStyle(el).display !== "none";
    };
    return {
      header: shown(".site-header"),
      toggle: shown("#theme-toggle"),
      reset: shown("#checklist-reset"),
      footer: shown(".site-footer"),
      box: shown(".prose li.task input"),
      ticked: document.querySelectorAll(".prose li.task input:checked").length,
    };
  });
  check(
    !printed.header && !printed.toggle && !printed.reset && !printed.footer && printed.box && printed.ticked === 1,
    `print view: ${JSON.stringify(printed)}`,
  );
  await page.emulateMedia({ media: "screen" });
  await page.locator("#checklist-reset").click();

  // 7. Without JavaScript: no progress panel or dead button, the boxes read as a list.
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Emulation.setScriptExecutionDisabled", { value: true });
  await page.goto(checklistUrl, { waitUntil: "load" });
  check(!(await page.locator("#checklist-progress").isVisible()), "the progress panel shows without JavaScript");
  check(!(await page.locator("#checklist-reset").isVisible()), "the reset button shows without JavaScript");
  check(!(await page.locator("#theme-toggle").isVisible()), "the colour toggle shows without JavaScript");
  check((await boxes(page).count()) === total, "the boxes are missing without JavaScript");
  check(await boxes(page).first().isVisible(), "the boxes are hidden without JavaScript");
  await cdp.send("Emulation.setScriptExecutionDisabled", { value: false });

  check(problems.length === 0, `console errors or failed requests:\n  ${problems.join("\n  ")}`);
  console.log("reader: all checks passed");
} catch (error) {
  fail(error && error.stack ? error.stack : String(error), problems);
} finally {
  await browser.close();
}
