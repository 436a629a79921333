// Marks the page as having JavaScript, as GOV.UK Frontend expects, before it is drawn.
document.body.className +=
  " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
