// Draws every chart on the page from its Vega-Lite spec (the figures are in the table beside it).
//
// The chart's element is one image, named by its aria-label and described by the summary beside
// it. Vega marks the element as a "graphics-document" with the spec's description and gives its
// SVG marks roles of their own, some without names; so once drawn, the element is made one named
// image again and the drawing is hidden from assistive technology, whose users read the table.
document.querySelectorAll("[data-spec]").forEach(function (el) {
  var spec = JSON.parse(document.getElementById(el.dataset.spec).textContent);
  var label = el.getAttribute("aria-label");
  vegaEmbed(el, spec, {
    actions: false,
    renderer: "svg",
    ast: true,
    defaultStyle: false,
    tooltip: false,
  })
    .then(function () {
      el.setAttribute("role", "img");
      el.removeAttribute("aria-roledescription");
      if (label) {
        el.setAttribute("aria-label", label);
      }
      el.querySelectorAll("svg").forEach(function (svg) {
        svg.setAttribute("aria-hidden", "true");
        svg.setAttribute("focusable", "false");
      });
    })
    .catch(function () {
      el.textContent = "The chart could not be drawn; its figures are in the table beside it.";
    });
});
