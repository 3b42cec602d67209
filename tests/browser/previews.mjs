// Browser test of the reader aids of the default theme on the flagship site: link previews by
// mouse and by keyboard (the heading a link names, Escape, no focus ever taken, none on touch),
// the explorer beside the page (current page marked, folders remembered across reloads, behind
// a button on a phone), `/` and Ctrl-K to search with arrow keys through the results, and no
// axe-core violation with a preview or the explorer open, light and dark.
//
//   node tests/browser/previews.mjs <base-url>
import { readFileSync } from "node:fs";
import { openBrowser, fail, check } from "./support.mjs";

const base = process.argv[2];
if (!base) {
  fail("usage: node tests/browser/previews.mjs <base-url>");
  process.exit(1);
}
const baseUrl = base.endsWith("/") ? base : base + "/";
const axeSource = readFileSync(new URL("../../node_modules/axe-core/axe.min.js", import.meta.url), "utf8");
const leverage = baseUrl + "essays/leverage/";
const toCircle = '.prose a[href="/essays/micro-beats-solo/#what-the-circle-gives-you"]';

async function axe(page, what) {
  await page.addScriptTag({ content: axeSource });
  const found = [];
  for (const scheme of ["light", "dark"]) {
    await page.emulateMedia({ colorScheme: scheme });
    const violations = await page.evaluate(async () => {
      const result = await window.axe.run(document, { resultTypes: ["violations"] });
      return result.violations.map(
        (v) => `${v.id}: ${v.help} at ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`,
      );
    });
    for (const v of violations) found.push(`${what} [${scheme}]: ${v}`);
  }
  await page.emulateMedia({ colorScheme: "light" });
  check(found.length === 0, `axe violations:\n  ${found.join("\n  ")}`);
}

const tip = (page) => page.locator("#steppe-preview");
const visible = (page) => page.evaluate(() => {
  const t = document.getElementById("steppe-preview");
  return !!t && !t.hidden;
});

const { browser, page, newPage, problems } = await openBrowser();
try {
  await page.setViewportSize({ width: 1400, height: 900 });
  await page.goto(leverage, { waitUntil: "load" });

  // 1. Mouse: after a pause on the link, the heading's section of the linked page, as a tooltip
  // the link is described by; focus stays on the page.
  await page.hover(toCircle);
  check(!(await visible(page)), "the preview opened at once: it waits for a pause on the link");
  await page.waitForFunction(() => {
    const t = document.getElementById("steppe-preview");
    return t && !t.hidden;
  });
  check((await tip(page).getAttribute("role")) === "tooltip", "the preview is not role=tooltip");
  check(
    (await page.locator(toCircle).getAttribute("aria-describedby")) === "steppe-preview",
    "the link is not described by its preview",
  );
  const heading = await tip(page).locator(".preview-part h2").first().textContent();
  check(heading.startsWith("What the circle gives you"), `the preview shows ${JSON.stringify(heading)}, not the linked heading`);
  check((await tip(page).locator(".preview-title").textContent()) === "Micro beats solo", "the preview's title is not the page's");
  check((await tip(page).locator("a, [tabindex], [id]").count()) === 0, "the preview holds links, focusable elements or ids");
  await axe(page, "a preview open");

  // 2. Escape closes it; moving the mouse away closes it too.
  await page.keyboard.press("Escape");
  check(!(await visible(page)), "Escape did not close the preview");
  await page.mouse.move(5, 5);

  // 3. Keyboard: focusing the link shows the preview, which takes no focus; Tab moves on.
  await page.focus(toCircle);
  await page.keyboard.press("Shift+Tab");
  await page.keyboard.press("Tab");
  await page.waitForFunction(() => {
    const t = document.getElementById("steppe-preview");
    return t && !t.hidden;
  });
  check(
    await page.evaluate((sel) => document.activeElement === document.querySelector(sel), toCircle),
    "the preview took the focus",
  );
  await page.keyboard.press("Tab");
  check(!(await visible(page)), "the preview stayed open after the focus left the link");

  // 4. A link to the whole page shows its opening.
  const whole = page.locator('.prose a[href="/essays/micro-networks/"]').first();
  if ((await whole.count()) > 0) {
    await whole.hover();
    await page.waitForFunction(() => {
      const t = document.getElementById("steppe-preview");
      return t && !t.hidden;
    });
    const opening = await tip(page).locator('.preview-part').getAttribute("data-part");
    check(opening === "", "a link without #fragment does not show the page's opening");
    await page.mouse.move(5, 5);
  }

  // 5. The explorer beside the page: the current page marked, its folder open; a folder opened
  // by the reader stays open after a reload; closing it is remembered too.
  await page.waitForSelector("#explorer .explorer-tree");
  const current = page.locator('#explorer a[aria-current="page"]');
  check((await current.count()) === 1, "the current page is not marked once in the explorer");
  check((await current.getAttribute("href")) === "/essays/leverage/", "the explorer marks another page as current");
  check(await page.locator('#explorer details[data-folder="essays"]').evaluate((d) => d.open), "the current page's folder is closed");
  const checklists = page.locator('#explorer details[data-folder="checklists"]');
  check(!(await checklists.evaluate((d) => d.open)), "an unrelated folder starts open");
  await checklists.locator("summary").click();
  await axe(page, "the explorer open beside the page");
  await page.reload({ waitUntil: "load" });
  await page.waitForSelector("#explorer .explorer-tree");
  check(await checklists.evaluate((d) => d.open), "the folder the reader opened closed again after a reload");
  await checklists.locator("summary").click();
  await page.reload({ waitUntil: "load" });
  await page.waitForSelector("#explorer .explorer-tree");
  check(!(await checklists.evaluate((d) => d.open)), "the folder the reader closed opened again after a reload");

  // 6. `/` and Ctrl-K focus the search box from any page; on the search page the arrow keys
  // move through the results and Enter opens one.
  await page.locator("h1").click();
  await page.keyboard.press("/");
  check(await page.evaluate(() => document.activeElement?.id === "site-search-q"), "`/` did not focus the search box");
  await page.locator("h1").click();
  await page.keyboard.press("Control+k");
  check(await page.evaluate(() => document.activeElement?.id === "site-search-q"), "Ctrl-K did not focus the search box");
  await page.keyboard.type("circle");
  await page.keyboard.press("Enter");
  await page.waitForURL(/\/search\/\?q=circle/);
  await page.waitForSelector("#search-results li");
  check(await page.evaluate(() => document.activeElement?.id === "search-input"), "the search page does not focus its box");
  await page.keyboard.press("ArrowDown");
  const first = await page.evaluate(() => document.activeElement?.closest("li")?.matches("#search-results li:first-child"));
  check(first, "ArrowDown from the box did not move to the first result");
  await page.keyboard.press("ArrowDown");
  const second = await page.evaluate(() => document.activeElement?.closest("li")?.matches("#search-results li:nth-child(2)"));
  check(second, "ArrowDown did not move to the next result");
  await page.keyboard.press("ArrowUp");
  await page.keyboard.press("ArrowUp");
  check(await page.evaluate(() => document.activeElement?.id === "search-input"), "ArrowUp from the first result did not go back to the box");
  await page.keyboard.press("ArrowDown");
  const target = await page.evaluate(() => document.activeElement.href);
  await page.keyboard.press("Enter");
  await page.waitForURL(target);

  // 7. A phone: no preview on touch (a tap follows the link); the explorer is behind a button.
  const phone = await newPage();
  await phone.setViewportSize({ width: 390, height: 800 });
  const cdp = await phone.context().newCDPSession(phone);
  await cdp.send("Emulation.setTouchEmulationEnabled", { enabled: true, maxTouchPoints: 5 });
  await phone.goto(leverage, { waitUntil: "load" });
  check(!(await phone.locator("#explorer").isVisible()), "the explorer shows on a phone before the button is pressed");
  const link = phone.locator(toCircle);
  await link.scrollIntoViewIfNeeded();
  const box = await link.boundingBox();
  await cdp.send("Input.dispatchTouchEvent", { type: "touchStart", touchPoints: [{ x: box.x + 5, y: box.y + box.height / 2 }] });
  await phone.waitForTimeout(500);
  check(!(await visible(phone)), "touching a link showed a preview");
  await cdp.send("Input.dispatchTouchEvent", { type: "touchEnd", touchPoints: [] });
  await phone.waitForURL(/micro-beats-solo/);
  await phone.goBack({ waitUntil: "load" });
  await phone.locator("#explorer-toggle").click();
  check((await phone.locator("#explorer-toggle").getAttribute("aria-expanded")) === "true", "the explorer button is not expanded");
  await phone.waitForSelector("#explorer .explorer-tree");
  check(await phone.locator("#explorer").isVisible(), "the explorer button did not show the explorer");
  await axe(phone, "the explorer open on a phone");

  check(problems.length === 0, `console errors or failed requests:\n  ${problems.join("\n  ")}`);
  console.log("previews: all checks passed");
} catch (error) {
  fail(error && error.stack ? error.stack : String(error), problems);
} finally {
  await browser.close();
}
