// steppe reader aids: link previews, the explorer beside each page, and keyboard search. Loaded
// by theme.js once the page has loaded.
// No dependencies, no request to another host; every page works without this script (links are
// links, the explorer is its own page, search has its page and form).
//
// Safety: previews and the explorer come from this site's own build (fragments under
// _preview/ and the /explorer/ page), already made safe by steppe's Markdown stage. They are
// still parsed inertly (DOMParser) and copied over with scripts, frames, handlers and script
// URLs left out, and links in a preview become plain text: a tooltip holds nothing to click.
(function () {
  "use strict";

  function load(key) {
    try { return window.localStorage.getItem(key); } catch (e) { return null; }
  }
  function save(key, value) {
    try { window.localStorage.setItem(key, value); } catch (e) { /* private mode, quota: ignore */ }
  }
  function parse(text) {
    return new DOMParser().parseFromString(text, "text/html");
  }

  var UNSAFE = "script,iframe,frame,object,embed,style,link,meta,base,form,input,button,textarea,select,template";
  // Copies `node` from an inert parsed document into this one, without anything that could run.
  function adopt(node, linksToText) {
    var copy = document.importNode(node, true);
    copy.querySelectorAll(UNSAFE).forEach(function (el) { el.remove(); });
    [copy].concat(Array.prototype.slice.call(copy.querySelectorAll("*"))).forEach(function (el) {
      Array.prototype.slice.call(el.attributes).forEach(function (attr) {
        var name = attr.name.toLowerCase();
        var value = attr.value.replace(/[\s\u0000-\u001f]+/g, "").toLowerCase();
        if (name.indexOf("on") === 0 || name === "id" || name === "tabindex" ||
            /^(javascript|vbscript|data):/.test(value) && name !== "src") {
          el.removeAttribute(attr.name);
        }
      });
    });
    if (linksToText) {
      copy.querySelectorAll("a").forEach(function (a) {
        if (a.classList.contains("anchor")) { a.remove(); return; }
        var span = document.createElement("span");
        while (a.firstChild) span.appendChild(a.firstChild);
        a.replaceWith(span);
      });
    }
    return copy;
  }

  // ---------------- Keyboard search: `/` or Ctrl/Cmd-K from any page ----------------
  function typing(el) {
    return el && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName));
  }
  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.altKey) return;
    var slash = event.key === "/" && !event.ctrlKey && !event.metaKey && !typing(event.target);
    var chord = (event.ctrlKey || event.metaKey) && !event.shiftKey && (event.key === "k" || event.key === "K");
    if (!slash && !chord) return;
    var input = document.getElementById("search-input") || document.getElementById("site-search-q");
    if (!input) return;
    event.preventDefault();
    input.focus();
    input.select();
  });

  // ---------------- Link previews ----------------
  var previewed = document.querySelector("[data-previews]");
  var prose = previewed && previewed.querySelector(".prose");
  var touchAt = -Infinity;
  document.addEventListener("pointerdown", function (event) {
    if (event.pointerType !== "mouse") touchAt = Date.now();
  }, true);

  if (prose && window.DOMParser && window.fetch) previews(previewed, prose);

  // `previewed` carries the pages linked from `prose` that have a preview, and where they are.
  function previews(previewed, prose) {
    var DELAY = 300;
    var linked = {};
    try {
      JSON.parse(previewed.getAttribute("data-previews") || "[]").forEach(function (p) { linked[p] = true; });
    } catch (e) { return; }
    var root = previewed.getAttribute("data-preview-root") || "";
    var base = previewed.getAttribute("data-base") || "/";
    var cache = {};
    var tip = null;
    var shownFor = null;
    var timer = null;
    var hideTimer = null;

    // The fragment's URL for a link to another page of the site that has one, else null.
    function fragmentUrl(a) {
      if (!a.href || a.target) return null;
      var url;
      try { url = new URL(a.href, location.href); } catch (e) { return null; }
      if (url.origin !== location.origin || url.pathname === location.pathname) return null;
      var path;
      try { path = decodeURI(url.pathname); } catch (e) { path = url.pathname; }
      if (!linked[path] || path.indexOf(base) !== 0) return null;
      var rel = path.slice(base.length);
      return encodeURI(root + rel + (rel === "" || rel.slice(-1) === "/" ? "index.html" : ""));
    }

    function fetchCard(url) {
      if (!cache[url]) {
        cache[url] = fetch(url, { credentials: "same-origin" })
          .then(function (r) { return r.ok ? r.text() : null; })
          .then(function (text) { return text && parse(text).querySelector(".preview-card"); })
          .catch(function () { return null; });
      }
      return cache[url];
    }

    function ensureTip() {
      if (tip) return tip;
      tip = document.createElement("div");
      tip.id = "steppe-preview";
      tip.className = "preview";
      tip.setAttribute("role", "tooltip");
      tip.hidden = true;
      tip.addEventListener("pointerenter", function () { clearTimeout(hideTimer); });
      tip.addEventListener("pointerleave", function () { scheduleHide(); });
      // Inside the main landmark, where the link is: all content belongs to a landmark.
      (document.getElementById("main") || document.body).appendChild(tip);
      return tip;
    }

    function place(a) {
      var r = a.getBoundingClientRect();
      var width = Math.min(28 * 16, document.documentElement.clientWidth - 16);
      tip.style.width = width + "px";
      var left = Math.max(8, Math.min(r.left, document.documentElement.clientWidth - width - 8));
      tip.style.left = left + window.scrollX + "px";
      var below = window.innerHeight - r.bottom;
      var height = tip.offsetHeight;
      var top = below >= height + 12 || below >= r.top ? r.bottom + 8 : r.top - height - 8;
      tip.style.top = Math.max(8, top) + window.scrollY + "px";
    }

    function show(a) {
      var url = fragmentUrl(a);
      if (!url) return;
      var hash = "";
      try { hash = decodeURIComponent(new URL(a.href).hash.slice(1)); } catch (e) { hash = ""; }
      fetchCard(url).then(function (card) {
        if (!card || shownFor !== a) return;
        var copy = adopt(card, true);
        var parts = copy.querySelectorAll(".preview-part");
        var chosen = null;
        parts.forEach(function (part) {
          if (hash && part.getAttribute("data-part") === hash) chosen = part;
        });
        if (!chosen) chosen = copy.querySelector('.preview-part[data-part=""]');
        parts.forEach(function (part) { if (part !== chosen) part.remove(); });
        ensureTip();
        tip.replaceChildren(copy);
        tip.hidden = false;
        place(a);
        a.setAttribute("aria-describedby", tip.id);
      });
    }

    function hide() {
      clearTimeout(timer);
      clearTimeout(hideTimer);
      if (shownFor) shownFor.removeAttribute("aria-describedby");
      shownFor = null;
      if (tip) { tip.hidden = true; tip.replaceChildren(); }
    }
    function scheduleHide() {
      clearTimeout(timer);
      clearTimeout(hideTimer);
      hideTimer = setTimeout(hide, 150);
    }
    function schedule(a) {
      if (shownFor === a) { clearTimeout(hideTimer); return; }
      hide();
      if (!fragmentUrl(a)) return;
      shownFor = a;
      timer = setTimeout(function () { show(a); }, DELAY);
    }

    function linkOf(event) {
      var a = event.target.closest && event.target.closest("a[href]");
      return a && prose.contains(a) ? a : null;
    }
    // Mouse and pen only: a touch has no hover, and its tap follows the link.
    prose.addEventListener("pointerover", function (event) {
      if (event.pointerType === "touch") return;
      var a = linkOf(event);
      if (a) schedule(a);
    });
    prose.addEventListener("pointerout", function (event) {
      var a = linkOf(event);
      if (a && a === shownFor && !a.contains(event.relatedTarget)) scheduleHide();
    });
    prose.addEventListener("focusin", function (event) {
      var a = linkOf(event);
      // Keyboard focus only: a tap focuses the link too, just before following it.
      if (!a || Date.now() - touchAt < 1000) return;
      if (a.matches && !a.matches(":focus-visible")) return;
      schedule(a);
    });
    prose.addEventListener("focusout", function (event) {
      if (linkOf(event) === shownFor) hide();
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && shownFor) hide();
    });
    window.addEventListener("pagehide", hide);
  }

  // ---------------- Explorer ----------------
  var KEY = "steppe-explorer";
  var nav = document.getElementById("explorer");
  var full = document.querySelector(".explorer-full .explorer-tree");
  if (full) remember(full);
  if (nav && window.DOMParser && window.fetch) explorer(nav);

  function openFolders() {
    try { return JSON.parse(load(KEY) || "[]") || []; } catch (e) { return []; }
  }

  // Opens the folders this reader left open and those of the current page, marks the current
  // page, and remembers every folder opened or closed from now on.
  function remember(tree) {
    var open = openFolders();
    tree.querySelectorAll("details[data-folder]").forEach(function (d) {
      if (open.indexOf(d.getAttribute("data-folder")) >= 0) d.open = true;
    });
    tree.querySelectorAll("a[href]").forEach(function (a) {
      if (a.pathname !== location.pathname || a.closest(".explorer-overview")) return;
      a.setAttribute("aria-current", "page");
      for (var d = a.closest("details"); d; d = d.parentElement.closest("details")) d.open = true;
    });
    tree.addEventListener("click", function (event) {
      var summary = event.target.closest("summary");
      if (!summary) return;
      var details = summary.parentElement;
      // The click toggles after this handler: read the state then.
      setTimeout(function () {
        var folders = openFolders().filter(function (f) { return f !== details.getAttribute("data-folder"); });
        if (details.open) folders.push(details.getAttribute("data-folder"));
        save(KEY, JSON.stringify(folders));
      }, 0);
    });
  }

  function explorer(nav) {
    var toggle = document.getElementById("explorer-toggle");
    var loaded = null;
    function fill() {
      if (!loaded) {
        loaded = fetch(nav.getAttribute("data-src"), { credentials: "same-origin" })
          .then(function (r) { return r.ok ? r.text() : null; })
          .then(function (text) {
            var tree = text && parse(text).querySelector(".explorer-tree");
            if (!tree) return;
            var copy = adopt(tree, false);
            nav.appendChild(copy);
            remember(copy);
            var current = copy.querySelector('[aria-current="page"]');
            if (current && nav.scrollHeight > nav.clientHeight) {
              nav.scrollTop = current.offsetTop - nav.clientHeight / 3;
            }
          })
          .catch(function () { /* the link to the explorer page stays */ });
      }
      return loaded;
    }
    if (toggle) {
      toggle.hidden = false;
      toggle.addEventListener("click", function () {
        var open = toggle.getAttribute("aria-expanded") !== "true";
        toggle.setAttribute("aria-expanded", open ? "true" : "false");
        nav.classList.toggle("is-open", open);
        if (open) fill();
      });
      nav.addEventListener("keydown", function (event) {
        if (event.key === "Escape" && nav.classList.contains("is-open")) {
          toggle.click();
          toggle.focus();
        }
      });
    }
    // Beside the page on wide screens: fill it now. Behind the button: when opened.
    if (window.getComputedStyle(nav).display !== "none") fill();
  }
})();
