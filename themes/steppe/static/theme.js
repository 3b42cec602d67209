// steppe theme script: colour-theme toggle and checklists that remember their ticks; it loads
// the reader aids (reader.js: link previews, the explorer, keyboard search) once the page has
// loaded, so they never delay its first paint. No dependencies, no network. Everything degrades
// gracefully without localStorage.
(function () {
  "use strict";
  var root = document.documentElement;

  // ---- Reader aids, after the page: a script beside this one ----
  var self = document.currentScript && document.currentScript.src;
  if (self) {
    var later = function () {
      var script = document.createElement("script");
      script.src = self.replace(/theme\.js(\?.*)?$/, "reader.js");
      document.head.appendChild(script);
    };
    if (document.readyState === "complete") later(); else window.addEventListener("load", later);
  }
  var KEY = "steppe-theme";

  function load(key) {
    try { return window.localStorage.getItem(key); } catch (e) { return null; }
  }
  function save(key, value) {
    try { window.localStorage.setItem(key, value); } catch (e) { /* private mode, quota: ignore */ }
  }
  function systemDark() {
    return !!(window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches);
  }
  function current() {
    var t = root.dataset.theme;
    return t === "dark" || t === "light" ? t : (systemDark() ? "dark" : "light");
  }

  // ---- Theme toggle ----
  var button = document.getElementById("theme-toggle");
  function sync() {
    if (!button) return;
    var dark = current() === "dark";
    button.classList.toggle("is-dark", dark);
    button.setAttribute("aria-label", dark ? "Switch to light theme" : "Switch to dark theme");
  }
  if (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      var next = current() === "dark" ? "light" : "dark";
      root.dataset.theme = next;
      save(KEY, next);
      sync();
    });
    if (window.matchMedia) {
      var mq = window.matchMedia("(prefers-color-scheme: dark)");
      if (mq.addEventListener) mq.addEventListener("change", sync);
    }
    sync();
  }

  // ---- Wide code blocks and tables scroll inside their box: make them keyboard-scrollable ----
  function scrollables() {
    var els = document.querySelectorAll("main pre, main table");
    for (var i = 0; i < els.length; i++) {
      var el = els[i];
      if (el.scrollWidth > el.clientWidth + 1) {
        if (!el.hasAttribute("tabindex")) { el.setAttribute("tabindex", "0"); el.dataset.steppeScroll = ""; }
      } else if (el.hasAttribute("data-steppe-scroll")) {
        el.removeAttribute("tabindex"); el.removeAttribute("data-steppe-scroll");
      }
    }
  }
  scrollables();
  var resizeTimer;
  window.addEventListener("resize", function () { clearTimeout(resizeTimer); resizeTimer = setTimeout(scrollables, 150); });

  // ---- Video facades (the `video` shortcode): the player from YouTube or Vimeo is only
  // requested once the reader clicks; until then the link points at the video's own page ----
  Array.prototype.forEach.call(document.querySelectorAll("a.video-play[data-embed]"), function (link) {
    link.addEventListener("click", function (event) {
      var src = link.getAttribute("data-embed");
      if (!/^https:\/\/(www\.youtube-nocookie\.com|player\.vimeo\.com)\//.test(src)) return;
      event.preventDefault();
      var frame = document.createElement("iframe");
      frame.src = src;
      frame.title = link.getAttribute("data-title") || "Video";
      frame.allow = "autoplay; encrypted-media; picture-in-picture; fullscreen";
      frame.allowFullscreen = true;
      frame.referrerPolicy = "strict-origin-when-cross-origin";
      frame.className = "video-frame";
      link.replaceWith(frame);
      frame.focus();
    });
  });

  // ---- Checklists: tick boxes, remember them per page on this device ----
  // A checklist template may hold #checklist-progress (hidden until here) with the count, a
  // <progress> bar and a reset button; any page's task list is tickable and remembered.
  var boxes = document.querySelectorAll(".prose li.task input[type=checkbox]");
  if (!boxes.length) return;
  var storeKey = "steppe-tasks:" + location.pathname;
  var saved = {};
  try { saved = JSON.parse(load(storeKey) || "{}") || {}; } catch (e) { saved = {}; }
  var panel = document.getElementById("checklist-progress");
  var count = document.getElementById("checklist-count");
  var bar = document.getElementById("checklist-bar");
  var reset = document.getElementById("checklist-reset");

  function update() {
    var done = 0;
    for (var i = 0; i < boxes.length; i++) if (boxes[i].checked) done++;
    if (count) count.textContent = done + " of " + boxes.length + " done";
    if (bar) { bar.max = boxes.length; bar.value = done; }
  }

  Array.prototype.forEach.call(boxes, function (box, n) {
    var li = box.closest("li");
    var text = li ? li.textContent.replace(/\s+/g, " ").trim() : "";
    // Keyed by the item's text, so edits that reorder the list keep the right boxes ticked.
    var key = text ? text.slice(0, 120) : String(n);
    box.disabled = false;
    if (text && !box.hasAttribute("aria-label")) box.setAttribute("aria-label", text);
    if (Object.prototype.hasOwnProperty.call(saved, key)) box.checked = !!saved[key];
    box.addEventListener("change", function () {
      saved[key] = box.checked;
      save(storeKey, JSON.stringify(saved));
      update();
    });
  });

  if (reset) {
    reset.addEventListener("click", function () {
      for (var i = 0; i < boxes.length; i++) boxes[i].checked = false;
      saved = {};
      try { window.localStorage.removeItem(storeKey); } catch (e) { /* nothing saved */ }
      update();
    });
  }
  if (panel) panel.hidden = false;
  update();
})();
