// Draws every chart on the page from its Vega-Lite spec (the figures are in the table beside it).
// The page's Content-Security-Policy allows no eval and no inline style, so Vega interprets its
// expressions (ast) instead of compiling them, and vega-embed adds no stylesheet of its own.
document.querySelectorAll("[data-spec]").forEach(function (el) {
  var spec = JSON.parse(document.getElementById(el.dataset.spec).textContent);
  var options = { actions: false, renderer: "svg", ast: true, defaultStyle: false, tooltip: false };
  vegaEmbed(el, spec, options).catch(function () {
    el.textContent = "The chart could not be drawn; its figures are in the table beside it.";
  });
});
