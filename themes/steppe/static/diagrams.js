// steppe diagram script: draws ```mermaid blocks with mermaid's own script (vendor/mermaid.min.js,
// loaded just before this file, and only on pages that have a diagram), in the page's colour
// theme, again whenever the theme changes. Without JavaScript the reader sees each diagram's
// source. A diagram mermaid cannot read shows mermaid's message in its place, above the source;
// the other diagrams and the rest of the page are unaffected.
(function () {
  "use strict";
  var mermaid = window.mermaid;
  var sources = document.querySelectorAll('pre.diagram[data-lang="mermaid"]');
  if (!mermaid || !sources.length) return;
  var root = document.documentElement;

  var blocks = [];
  for (var i = 0; i < sources.length; i++) {
    var drawing = document.createElement("div");
    drawing.className = "diagram-drawing";
    sources[i].parentNode.insertBefore(drawing, sources[i]);
    blocks.push({ source: sources[i], text: sources[i].textContent, drawing: drawing });
  }

  function dark() {
    var t = root.dataset.theme;
    if (t === "dark" || t === "light") return t === "dark";
    return !!(window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches);
  }

  function showDiagram(block, svg) {
    block.drawing.classList.remove("diagram-error");
    // mermaid's output at securityLevel "strict": labels are sanitized, no script, no links out.
    block.drawing.innerHTML = svg;
    var drawn = block.drawing.querySelector("svg");
    if (drawn && !drawn.hasAttribute("aria-labelledby") && !drawn.hasAttribute("aria-label")) {
      drawn.setAttribute("aria-label", "Diagram");
    }
    block.source.hidden = true;
  }

  // The message is set as text: it quotes the author's source.
  function showError(block, error) {
    var message = (error && error.message) || String(error);
    block.drawing.textContent = "";
    block.drawing.classList.add("diagram-error");
    var title = document.createElement("p");
    title.className = "diagram-error-title";
    title.textContent = "This diagram could not be drawn:";
    var detail = document.createElement("pre");
    detail.textContent = message;
    block.drawing.appendChild(title);
    block.drawing.appendChild(detail);
    block.source.hidden = false;
  }

  var drawnTheme = null;
  var generation = 0;
  async function draw() {
    var theme = dark() ? "dark" : "default";
    if (theme === drawnTheme) return;
    drawnTheme = theme;
    var mine = ++generation;
    // suppressErrorRendering: a broken diagram throws instead of appending mermaid's error
    // picture to the page; the error is shown in place below.
    // In mermaid's dark theme, edge labels sit on a grey too light for their text (axe fails
    // it): they get the page's own dark surface (--surface in style.css).
    var variables = theme === "dark" ? { background: "#15171a", edgeLabelBackground: "#1f2226" } : {};
    mermaid.initialize({
      startOnLoad: false, securityLevel: "strict", theme: theme, themeVariables: variables, suppressErrorRendering: true,
    });
    for (var i = 0; i < blocks.length; i++) {
      var block = blocks[i];
      try {
        var result = await mermaid.render("steppe-diagram-" + mine + "-" + i, block.text);
        if (mine !== generation) return;
        showDiagram(block, result.svg);
      } catch (error) {
        if (mine !== generation) return;
        showError(block, error);
      }
    }
  }

  draw();
  // The toggle in theme.js sets data-theme; with none, the system's preference decides.
  new MutationObserver(draw).observe(root, { attributes: true, attributeFilter: ["data-theme"] });
  if (window.matchMedia) {
    var mq = window.matchMedia("(prefers-color-scheme: dark)");
    if (mq.addEventListener) mq.addEventListener("change", draw);
  }
})();
