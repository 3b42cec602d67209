// Browser test of the search page, in real headless Chromium through playwright-core.
//
//   node tests/browser/search.mjs <base-url>
//
// <base-url> serves the built `tests/fixtures/search` site (tests/cli/browser.rs builds and
// serves it, then runs this script). Exits 0 when every check passes, 1 with a message otherwise.
import { runInBrowser, fail, check } from "./support.mjs";

const base = process.argv[2];
if (!base) {
  fail("usage: node tests/browser/search.mjs <base-url>");
  process.exit(1);
}
const baseUrl = base.endsWith("/") ? base : base + "/";

/** Waits until the page shows the outcome of a search for exactly `query`. */
async function settled(page, query) {
  await page.waitForFunction(
    (q) => {
      const text = document.querySelector("#search-status")?.textContent ?? "";
      return text.endsWith(`for \u201c${q}\u201d.`);
    },
    query,
    { timeout: 20000 },
  );
}

await runInBrowser("search", async ({ page }) => {
  const dialogs = [];
  page.on("dialog", async (dialog) => {
    dialogs.push(dialog.message());
    await dialog.dismiss();
  });

  // 1. A word that occurs only in the body of "Horses of the steppe" (not in its title).
  await page.goto(baseUrl + "search/", { waitUntil: "load" });
  const input = page.locator("#search-input");
  await input.pressSequentially("caravanserai", { delay: 20 });
  await settled(page, "caravanserai");
  const first = page.locator("#search-results li").first();
  const title = await first.locator("a").textContent();
  const href = await first.locator("a").getAttribute("href");
  const excerpt = await first.locator(".search-excerpt").innerHTML();
  check(title === "Horses of the steppe", `first result is "${title}", expected "Horses of the steppe"`);
  check(
    new URL(href, baseUrl).href === baseUrl + "essays/horses/",
    `first result links to ${href}, expected ${baseUrl}essays/horses/`,
  );
  // Pagefind marks the whole token, punctuation included ("caravanserai,").
  check(/<mark>caravanserai\W*<\/mark>/i.test(excerpt), `excerpt has no <mark>caravanserai</mark>: ${excerpt}`);
  check(!excerpt.includes("#"), `heading anchors leak into the excerpt: ${excerpt}`);
  const count = await page.locator("#search-results li").count();
  check(count === 1, `expected exactly 1 result for "caravanserai", got ${count}`);
  const status = await page.locator("#search-status").textContent();
  check(/1 result/.test(status), `status says "${status}"`);
  check(
    new URL(page.url()).searchParams.get("q") === "caravanserai",
    `the address does not keep the query: ${page.url()}`,
  );

  // 2. The result link leads to the page.
  await first.locator("a").click();
  await page.waitForURL(baseUrl + "essays/horses/");
  const h1 = await page.locator("h1").textContent();
  check(h1 === "Horses of the steppe", `clicking the result opened "${h1}"`);

  // 3. The header search box submits to the search page, which runs the query from ?q=.
  await page.fill("#site-search-q", "wool");
  await page.press("#site-search-q", "Enter");
  await page.waitForURL((url) => url.pathname.endsWith("/search/") && url.searchParams.get("q") === "wool");
  await settled(page, "wool");
  check((await page.inputValue("#search-input")) === "wool", "the search box does not show the query from ?q=");
  const woolTitle = await page.locator("#search-results li a").first().textContent();
  check(woolTitle === "Felt and yurts", `"wool" finds "${woolTitle}" first, expected "Felt and yurts"`);

  // 4. Navigation and footer are not indexed: the site description appears only in the footer.
  // ("archive", also only in the footer, is avoided: Pagefind's typo tolerance matches it to
  // "carried" and "rider".)
  await input.fill("quiet");
  await settled(page, "quiet");
  const footerHits = await page.locator("#search-results li").allTextContents();
  check(footerHits.length === 0, `footer text is indexed: ${footerHits.join(" | ")}`);

  // 5. A hostile query is shown as text and never becomes markup.
  const hostile = "<img src=x onerror=alert(1)>";
  for (const url of [baseUrl + "search/", baseUrl + "search/?q=" + encodeURIComponent(hostile)]) {
    await page.goto(url, { waitUntil: "load" });
    if (!url.includes("?q=")) await page.locator("#search-input").fill(hostile);
    await settled(page, hostile);
    await page.waitForTimeout(300);
    const imgs = await page.locator("main img").count();
    check(imgs === 0, `the query created ${imgs} <img> element(s) (${url})`);
    const shown = await page.locator("#search-status").textContent();
    check(shown.includes(hostile), `the status does not show the query as text: "${shown}"`);
    check((await page.inputValue("#search-input")) === hostile, "the search box lost the query");
  }
  check(dialogs.length === 0, `a dialog opened: ${dialogs.join(", ")}`);
});
