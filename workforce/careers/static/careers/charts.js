// Draws every chart on the page from its Vega-Lite spec (the figures are in the table beside it).
document.querySelectorAll("[data-spec]").forEach(function (el) {
  var spec = JSON.parse(document.getElementById(el.dataset.spec).textContent);
  vegaEmbed(el, spec, { actions: false, renderer: "svg", ast: true, defaultStyle: false, tooltip: false }).catch(function () {
    el.textContent = "The chart could not be drawn; its figures are in the table below.";
  });
});
