// steppe theme script: colour-theme toggle and checklists that remember their ticks.
// No dependencies, no network. Everything degrades gracefully without localStorage.
(function () {
  "use strict";
  var root = document.documentElement;
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

  // ---- Checklists: tick boxes, remember them per page on this device ----
  var boxes = document.querySelectorAll(".prose li input[type=checkbox]");
  if (!boxes.length) return;
  var storeKey = "steppe-tasks:" + location.pathname;
  var saved = {};
  try { saved = JSON.parse(load(storeKey) || "{}") || {}; } catch (e) { saved = {}; }

  var progress = document.createElement("p");
  progress.className = "task-progress";
  progress.setAttribute("aria-live", "polite");
  var meter = document.createElement("meter");
  meter.min = 0;
  meter.max = boxes.length;
  meter.setAttribute("aria-hidden", "true");
  var text = document.createElement("span");
  progress.appendChild(text);
  progress.appendChild(meter);

  function update() {
    var done = 0;
    for (var i = 0; i < boxes.length; i++) if (boxes[i].checked) done++;
    text.textContent = done + " of " + boxes.length + " done";
    meter.value = done;
  }

  Array.prototype.forEach.call(boxes, function (box, n) {
    var li = box.closest("li");
    // Key each tick by its item's text, so edits that reorder the list keep the right boxes ticked.
    var i = li ? li.textContent.replace(/\s+/g, " ").trim().slice(0, 120) : String(n);
    box.disabled = false;
    box.removeAttribute("disabled");
    if (li && !box.getAttribute("aria-label")) {
      box.setAttribute("aria-label", li.textContent.replace(/\s+/g, " ").trim());
    }
    if (Object.prototype.hasOwnProperty.call(saved, i)) box.checked = !!saved[i];
    box.addEventListener("change", function () {
      saved[i] = box.checked;
      save(storeKey, JSON.stringify(saved));
      update();
    });
  });

  var firstList = boxes[0].closest("ul, ol");
  if (firstList && firstList.parentNode) firstList.parentNode.insertBefore(progress, firstList);
  update();
})();
