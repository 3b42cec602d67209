// steppe search page: queries the site's own Pagefind index (pagefind/, built with the site) as
// you type. No network beyond this site, no dependencies.
//
// Safety: nothing the reader typed and nothing taken from page metadata is ever parsed as HTML.
// The query is reflected only through input.value and textContent; titles and URLs go through
// textContent and setAttribute; Pagefind's excerpts (page text, escaped, plus <mark>) are parsed
// in an inert <template> and rebuilt from their text and <mark> elements only.
(function () {
  "use strict";
  var form = document.getElementById("search-form");
  var input = document.getElementById("search-input");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var more = document.getElementById("search-more");
  if (!form || !input || !status || !list || !more) return;

  var PAGE_SIZE = 10;
  var DEBOUNCE_MS = 200;
  var bundleUrl = form.getAttribute("data-pagefind");
  var loading = null;
  var generation = 0;
  var current = { query: "", results: [], shown: 0 };
  var timer = null;

  function loadPagefind() {
    if (!loading) {
      loading = import(bundleUrl).then(function (pagefind) {
        return Promise.resolve(pagefind.options({ excerptLength: 30 })).then(function () {
          return pagefind;
        });
      });
    }
    return loading;
  }

  function setStatus(text) {
    status.textContent = text;
  }

  function quoted(query) {
    return "\u201c" + query + "\u201d";
  }

  // Pagefind's excerpt: escaped page text with <mark> around matches. Keep text and <mark> only.
  function excerptNode(excerpt) {
    var template = document.createElement("template");
    template.innerHTML = String(excerpt || "");
    var p = document.createElement("p");
    p.className = "search-excerpt";
    template.content.childNodes.forEach(function (node) {
      if (node.nodeType === 1 && node.nodeName === "MARK") {
        var mark = document.createElement("mark");
        mark.textContent = node.textContent;
        p.appendChild(mark);
      } else {
        p.appendChild(document.createTextNode(node.textContent || ""));
      }
    });
    return p;
  }

  function resultItem(data) {
    var li = document.createElement("li");
    li.className = "search-result";
    var heading = document.createElement("h2");
    heading.className = "search-result-title";
    var link = document.createElement("a");
    link.setAttribute("href", String(data.url || ""));
    link.textContent = (data.meta && data.meta.title) || data.url || "Untitled";
    heading.appendChild(link);
    li.appendChild(heading);
    li.appendChild(excerptNode(data.excerpt));
    return li;
  }

  function showMore(mine) {
    var slice = current.results.slice(current.shown, current.shown + PAGE_SIZE);
    return Promise.all(slice.map(function (r) { return r.data(); })).then(function (datas) {
      if (mine !== generation) return;
      datas.forEach(function (data) { list.appendChild(resultItem(data)); });
      current.shown += slice.length;
      more.hidden = current.shown >= current.results.length;
    });
  }

  function remember(query) {
    try {
      var url = new URL(window.location.href);
      if (query) url.searchParams.set("q", query); else url.searchParams.delete("q");
      window.history.replaceState(null, "", url.toString());
    } catch (e) { /* file:// or sandboxed: the address just does not follow */ }
  }

  function run(query) {
    var mine = ++generation;
    query = query.trim();
    remember(query);
    if (!query) {
      list.replaceChildren();
      more.hidden = true;
      setStatus("");
      return Promise.resolve();
    }
    setStatus("Searching for " + quoted(query) + "\u2026");
    return loadPagefind()
      .then(function (pagefind) { return pagefind.search(query); })
      .then(function (search) {
        if (mine !== generation || !search) return;
        list.replaceChildren();
        current = { query: query, results: search.results || [], shown: 0 };
        var n = current.results.length;
        if (n === 0) {
          more.hidden = true;
          setStatus("No results for " + quoted(query) + ".");
          return;
        }
        return showMore(mine).then(function () {
          if (mine !== generation) return;
          setStatus(n + (n === 1 ? " result" : " results") + " for " + quoted(query) + ".");
        });
      })
      .catch(function () {
        if (mine !== generation) return;
        list.replaceChildren();
        more.hidden = true;
        setStatus("Search is unavailable: the search index could not be loaded.");
      });
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () { run(input.value); }, DEBOUNCE_MS);
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    clearTimeout(timer);
    run(input.value);
  });
  more.addEventListener("click", function () { showMore(generation); });

  // Arrow keys move between the box and the results' links; Enter opens the focused result.
  function resultLinks() {
    return Array.prototype.slice.call(list.querySelectorAll(".search-result-title a"));
  }
  function arrows(event) {
    if (event.key !== "ArrowDown" && event.key !== "ArrowUp") return;
    var links = resultLinks();
    if (!links.length) return;
    var at = event.target === input ? -1 : links.indexOf(event.target);
    if (at === -1 && event.target !== input) return;
    var next = at + (event.key === "ArrowDown" ? 1 : -1);
    if (next >= links.length) return;
    event.preventDefault();
    if (next < 0) input.focus(); else links[next].focus();
  }
  input.addEventListener("keydown", arrows);
  list.addEventListener("keydown", arrows);

  var initial = "";
  try { initial = new URLSearchParams(window.location.search).get("q") || ""; } catch (e) { initial = ""; }
  if (initial) {
    input.value = initial;
    run(initial);
  }
  input.focus();
})();
