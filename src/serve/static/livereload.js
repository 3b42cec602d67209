// steppe live reload. Served at /__steppe/livereload.js by `steppe serve` only; never part of a
// built site. The socket (/__steppe/livereload?generation=N, N from this script's tag) first
// gets the state ("errors" or "ok"), then a "reload" of what changed since build N if anything
// did, then every change as it is published. Messages (JSON):
//   {"type":"reload","paths":["/essays/x/", ...]}  reload if this tab shows or has loaded (as a
//                                                  script, image, font…) one of them ("*": all)
//   {"type":"css","paths":["/style.css"]}           swap those stylesheets without reloading
//   {"type":"errors","diagnostics":[...]}          show the overlay with the diagnostics
//   {"type":"ok"}                                   remove the overlay
(() => {
  "use strict";
  if (window.__steppeLiveReload) return;
  window.__steppeLiveReload = true;

  const script = document.currentScript;
  // The 404 page is served at any missing path; it also obeys changes of /404.html.
  const notFound = Boolean(script && script.hasAttribute("data-not-found"));
  // The build this page came from: the server then tells of changes made while it was loading.
  const generation = script ? script.getAttribute("data-generation") : null;
  const SCROLL_KEY = "__steppe-scroll";
  const OVERLAY_ID = "__steppe-overlay";

  // "/x/index.html" and "/x/" are the same page; compare decoded paths.
  function normalise(path) {
    let p = path;
    try {
      p = decodeURI(p);
    } catch (_) {
      // Keep the path as it is.
    }
    if (p.endsWith("/index.html")) p = p.slice(0, -"index.html".length);
    return p;
  }

  // What the page fetched (scripts, images, fonts, search index files…) is in its resource
  // timing buffer, 250 entries by default: make room for the rest of the page's life. If the
  // buffer filled up before this script ran, what the page uses is unknown.
  const resourcesUnknown = performance.getEntriesByType("resource").length >= 250;
  try {
    performance.setResourceTimingBufferSize(100000);
  } catch (_) {
    // An old browser: the default buffer it is.
  }

  function usesOneOf(wanted) {
    if (resourcesUnknown) return true;
    return performance.getEntriesByType("resource").some((entry) => {
      const url = new URL(entry.name, location.href);
      return url.origin === location.origin && wanted.has(normalise(url.pathname));
    });
  }

  function affected(paths) {
    if (paths.includes("*")) return true;
    const wanted = new Set(paths.map(normalise));
    if (wanted.has(normalise(location.pathname))) return true;
    if (notFound && wanted.has("/404.html")) return true;
    return usesOneOf(wanted);
  }

  function reload() {
    try {
      sessionStorage.setItem(
        SCROLL_KEY,
        JSON.stringify({ path: location.pathname, x: window.scrollX, y: window.scrollY }),
      );
    } catch (_) {
      // Storage may be disabled; reload anyway.
    }
    location.reload();
  }

  function restoreScroll() {
    let saved = null;
    try {
      saved = JSON.parse(sessionStorage.getItem(SCROLL_KEY) || "null");
      sessionStorage.removeItem(SCROLL_KEY);
    } catch (_) {
      return;
    }
    if (!saved || saved.path !== location.pathname) return;
    // "instant": a page with `scroll-behavior: smooth` would otherwise glide down from the top.
    const apply = () => window.scrollTo({ left: saved.x || 0, top: saved.y || 0, behavior: "instant" });
    apply();
    // Images and fonts may still change the page's height: apply again once all has loaded.
    if (document.readyState !== "complete") window.addEventListener("load", apply, { once: true });
  }

  function swapStylesheets(paths) {
    const wanted = new Set(paths.map(normalise));
    const links = [...document.querySelectorAll('link[rel~="stylesheet"][href]')];
    const linked = new Set(links.map((link) => normalise(new URL(link.href, location.href).pathname)));
    // A changed sheet the page loaded without linking it was pulled in by one it links
    // (`@import`): load every sheet again, and with them what they import.
    const imported = [...wanted].some((p) => !linked.has(p) && usesOneOf(new Set([p])));
    const all = paths.includes("*") || imported;
    const stamp = Date.now().toString(36);
    for (const link of links) {
      const url = new URL(link.href, location.href);
      if (url.origin !== location.origin) continue;
      if (!all && !wanted.has(normalise(url.pathname))) continue;
      url.searchParams.set("__steppe", stamp);
      // Load the new sheet beside the old one and drop the old one once it has loaded, so the
      // page never shows unstyled.
      const fresh = link.cloneNode(false);
      fresh.href = url.href;
      const drop = () => link.remove();
      fresh.addEventListener("load", drop, { once: true });
      fresh.addEventListener("error", drop, { once: true });
      link.after(fresh);
    }
  }

  // A changed icon of the page is swapped in place, without a reload (browsers do not always
  // list icons in the page's resource timing, so it would not reload reliably anyway). Returns
  // the paths swapped.
  function swapIcons(paths) {
    const wanted = new Set(paths.map(normalise));
    const swapped = new Set();
    for (const link of document.querySelectorAll('link[rel~="icon"][href]')) {
      const url = new URL(link.href, location.href);
      const path = normalise(url.pathname);
      if (url.origin !== location.origin || !wanted.has(path)) continue;
      url.searchParams.set("__steppe", Date.now().toString(36));
      link.href = url.href;
      swapped.add(path);
    }
    return swapped;
  }

  function element(tag, style, text) {
    const node = document.createElement(tag);
    if (style) node.style.cssText = style;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function hideErrors() {
    const overlay = document.getElementById(OVERLAY_ID);
    if (overlay) overlay.remove();
  }

  function showErrors(diagnostics) {
    hideErrors();
    const errors = diagnostics.filter((d) => d.severity === "error").length;
    const overlay = element(
      "div",
      "position:fixed;inset:0;z-index:2147483647;overflow:auto;box-sizing:border-box;" +
        "margin:0;padding:2rem;background:rgba(24,24,27,.96);color:#f4f4f5;text-align:left;" +
        "font:14px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace",
    );
    overlay.id = OVERLAY_ID;
    overlay.setAttribute("role", "alert");

    const close = element(
      "button",
      "float:right;font:inherit;color:inherit;background:none;border:1px solid #71717a;" +
        "border-radius:4px;padding:.2rem .6rem;cursor:pointer",
      "Close",
    );
    close.type = "button";
    close.addEventListener("click", hideErrors);
    overlay.append(close);

    overlay.append(
      element(
        "p",
        "margin:0 0 1rem;font-size:16px;font-weight:bold;color:#fca5a5",
        `steppe: the build failed with ${errors} error${errors === 1 ? "" : "s"}. ` +
          "The page shows the last build that worked; fix the file and it reloads.",
      ),
    );
    const list = element("ol", "margin:0;padding:0;list-style:none");
    for (const d of diagnostics) {
      const item = element("li", "margin:0 0 1rem;padding:0 0 0 .75rem;border-left:3px solid");
      const error = d.severity === "error";
      item.style.borderColor = error ? "#f87171" : "#facc15";
      if (d.path) {
        let where = d.path;
        if (d.line) where += `:${d.line}:${d.column || 1}`;
        item.append(element("div", "color:#a1a1aa", where));
      }
      const message = element("div", "white-space:pre-wrap");
      message.append(element("strong", `color:${error ? "#f87171" : "#facc15"}`, `${d.severity}: `));
      message.append(document.createTextNode(d.message));
      item.append(message);
      if (d.hint) item.append(element("div", "color:#93c5fd;white-space:pre-wrap", `help: ${d.hint}`));
      list.append(item);
    }
    overlay.append(list);
    (document.body || document.documentElement).append(overlay);
  }

  let connectedBefore = false;
  let failures = 0;

  function connect() {
    const protocol = location.protocol === "https:" ? "wss:" : "ws:";
    const query = generation ? `?generation=${encodeURIComponent(generation)}` : "";
    const socket = new WebSocket(`${protocol}//${location.host}/__steppe/livereload${query}`);
    // After a lost connection the server may have restarted with a different site: the first
    // state it sends decides between reloading and showing its errors.
    let reconnected = false;
    socket.addEventListener("open", () => {
      failures = 0;
      reconnected = connectedBefore;
      connectedBefore = true;
    });
    socket.addEventListener("message", (event) => {
      let message;
      try {
        message = JSON.parse(event.data);
      } catch (_) {
        return;
      }
      if (reconnected) {
        reconnected = false;
        if (message.type === "ok") {
          reload();
          return;
        }
      }
      switch (message.type) {
        case "reload": {
          const swapped = swapIcons(message.paths || []);
          const rest = (message.paths || []).filter((p) => !swapped.has(normalise(p)));
          if (rest.length > 0 && affected(rest)) reload();
          break;
        }
        case "css":
          swapStylesheets(message.paths || []);
          break;
        case "errors":
          showErrors(message.diagnostics || []);
          break;
        case "ok":
          hideErrors();
          break;
      }
    });
    socket.addEventListener("close", () => {
      // Back off from 250 ms up to 5 s while the server is away.
      const delay = Math.min(5000, 250 * 2 ** failures);
      failures += 1;
      setTimeout(connect, delay);
    });
  }

  restoreScroll();
  connect();
})();
