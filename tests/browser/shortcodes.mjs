// Browser test of the default theme's shortcodes, in real headless Chromium.
//
//   node tests/browser/shortcodes.mjs <base-url>
//
// <base-url> serves the built `tests/fixtures/shortcodes` site. Its "The western campaign" note
// calls figure, quote, aside and two video facades (YouTube, Vimeo). Checks: nothing is
// requested from another host until a facade is clicked; the facades are links with their
// title as name, reachable by keyboard; axe finds nothing in light or dark; a click (or Enter)
// puts the privacy-preserving player in place, and only then is it requested.
import { readFileSync } from "node:fs";
import { runInBrowser, fail, check } from "./support.mjs";

const base = process.argv[2];
if (!base) {
  fail("usage: node tests/browser/shortcodes.mjs <base-url>");
  process.exit(1);
}
const baseUrl = base.endsWith("/") ? base : base + "/";
const origin = new URL(baseUrl).origin;
const axeSource = readFileSync(new URL("../../node_modules/axe-core/axe.min.js", import.meta.url), "utf8");

async function axe(page) {
  await page.addScriptTag({ content: axeSource });
  return page.evaluate(async () => {
    const result = await window.axe.run(document, { resultTypes: ["violations"] });
    return result.violations.map((v) => `${v.id}: ${v.help} at ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  });
}

await runInBrowser("shortcodes", async ({ page }) => {
  const elsewhere = [];
  page.on("request", (request) => {
    if (!request.url().startsWith(origin)) elsewhere.push(request.url());
  });
  // The players' hosts answer with an empty page: the test never touches the network.
  await page.route(/^https:\/\/(www\.youtube-nocookie\.com|player\.vimeo\.com)\//, (route) =>
    route.fulfill({ status: 200, contentType: "text/html", body: "<!doctype html><title>player</title>" }),
  );
  const url = baseUrl + "notes/the-western-campaign/";

  for (const scheme of ["light", "dark"]) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.goto(url, { waitUntil: "load" });
    const violations = await axe(page);
    check(violations.length === 0, `axe (${scheme}):\n  ${violations.join("\n  ")}`);
  }
  check(elsewhere.length === 0, `requests to other hosts before any click: ${elsewhere.join(", ")}`);

  const facades = await page.$$eval("a.video-play", (links) =>
    links.map((a) => ({ name: a.textContent.replace(/\s+/g, " ").trim(), href: a.href, embed: a.dataset.embed })),
  );
  check(facades.length === 2, `expected two facades: ${JSON.stringify(facades)}`);
  check(facades[0].name.startsWith("A lecture on the campaign"), `the facade's name: ${facades[0].name}`);
  check(facades[0].embed.startsWith("https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"), facades[0].embed);
  check(facades[1].embed.startsWith("https://player.vimeo.com/video/76979871?dnt=1"), facades[1].embed);
  const figure = await page.$eval("figure.figure img", (img) => ({ loaded: img.complete && img.naturalWidth > 0, alt: img.alt }));
  check(figure.loaded && figure.alt === "A line from the Volga to the Danube", `figure: ${JSON.stringify(figure)}`);

  // Keyboard: focus the first facade and press Enter.
  await page.focus("a.video-play");
  await page.keyboard.press("Enter");
  await page.waitForSelector("iframe.video-frame", { timeout: 10000 });
  const frame = await page.$eval("iframe.video-frame", (f) => ({ src: f.src, title: f.title, focused: document.activeElement === f }));
  check(frame.src.startsWith("https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"), `player: ${frame.src}`);
  check(frame.title === "A lecture on the campaign", `player title: ${frame.title}`);
  check(frame.focused, "the player does not have the focus after the click");
  check(page.url() === url, `the page navigated away: ${page.url()}`);
  check(elsewhere.every((u) => u.startsWith("https://www.youtube-nocookie.com/")), `after the click: ${elsewhere.join(", ")}`);
  check(elsewhere.length > 0, "the player was not requested after the click");
  // The other facade is still a link: nothing from Vimeo yet.
  check(!elsewhere.some((u) => u.includes("vimeo")), `Vimeo was requested: ${elsewhere.join(", ")}`);
  await page.click("a.video-play");
  await page.waitForFunction(() => document.querySelectorAll("iframe.video-frame").length === 2, null, { timeout: 10000 });
  check(elsewhere.some((u) => u.startsWith("https://player.vimeo.com/video/76979871")), `after the second click: ${elsewhere.join(", ")}`);
});
