/* Every slide of a handout deck fits reveal.js's slide area (tools/make_slides.py puts this script into each deck).

   - A slide taller than the area is zoomed down as a whole (CSS zoom on its cells), never below MIN_ZOOM:
     tools/make_slides.py splits long outputs across slides, so that no slide needs less.
   - A slide with room to spare lets its figures grow, up to FIGURE_MAX px tall and the slide's width, so a
     figure is as large as its slide allows (tools/deck.css caps figures at 400 px otherwise).
   - It runs when the page has loaded (before reveal.js lays out the pages of a ?print-pdf export) and again
     once MathJax has typeset the formulas; then <html data-deck-fit="done">. Each slide gets
     data-deck-zoom (1: as set). A slide still too tall at MIN_ZOOM scrolls (class deck-scroll). */
(function () {
  "use strict";
  var HEIGHT = 700, WIDTH = 960, MIN_ZOOM = 0.75, FIGURE_MAX = 560, FIGURE_MIN = 400, STEP = 20;

  function leaves() {
    return Array.prototype.filter.call(document.querySelectorAll(".reveal .slides section"),
      function (s) { return !s.querySelector("section"); });
  }

  function parts(section) {
    return Array.prototype.filter.call(section.children, function (c) { return c.tagName !== "ASIDE"; });
  }

  function sizeFigures(images, cap) {
    images.forEach(function (img) {
      if (!cap || !img.naturalWidth) {
        img.style.height = ""; img.style.maxHeight = "";
        return;
      }
      var room = img.parentElement.clientWidth || WIDTH;
      var height = Math.min(cap, room * img.naturalHeight / img.naturalWidth);
      img.style.maxHeight = "none"; img.style.height = Math.floor(height) + "px";
    });
  }

  function fit(section) {
    var saved = [section.style.display, section.parentElement.style.display, section.style.width];
    section.style.display = "block"; section.parentElement.style.display = "block"; section.style.width = WIDTH + "px";
    section.classList.remove("deck-scroll");
    var cells = parts(section), images = Array.prototype.slice.call(section.querySelectorAll(".jp-OutputArea-output img"));
    cells.forEach(function (c) { c.style.zoom = ""; });
    sizeFigures(images, 0);
    var zoom = 1;
    if (section.scrollHeight > HEIGHT) {
      zoom = Math.max(MIN_ZOOM, Math.floor(100 * HEIGHT / section.scrollHeight) / 100);
      for (;;) {
        cells.forEach(function (c) { c.style.zoom = zoom; });
        if (section.scrollHeight <= HEIGHT || zoom <= MIN_ZOOM) break;
        zoom = Math.max(MIN_ZOOM, Math.round(100 * (zoom - 0.02)) / 100);
      }
      if (section.scrollHeight > HEIGHT) section.classList.add("deck-scroll");
    } else if (images.length) {
      for (var cap = FIGURE_MAX; cap > FIGURE_MIN; cap -= STEP) {
        sizeFigures(images, cap);
        if (section.scrollHeight <= HEIGHT) break;
      }
      if (cap <= FIGURE_MIN) sizeFigures(images, 0);
    }
    section.setAttribute("data-deck-zoom", String(zoom));
    section.style.display = saved[0]; section.parentElement.style.display = saved[1]; section.style.width = saved[2];
  }

  function fitAll() {
    leaves().forEach(fit);
    window.dispatchEvent(new Event("resize"));  // reveal.js lays the slides out again (it is not a global here)
  }

  function done() { document.documentElement.setAttribute("data-deck-fit", "done"); }

  window.addEventListener("load", function () {
    fitAll();
    if (window.MathJax && MathJax.Hub) {
      MathJax.Hub.Register.StartupHook("End", function () {
        MathJax.Hub.Queue(function () { fitAll(); done(); });
      });
    } else {
      done();
    }
  });
})();
