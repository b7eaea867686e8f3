// Small behaviours shared by every page, kept out of inline handlers so the
// Content-Security-Policy can forbid inline scripts.
document.addEventListener("change", function (event) {
  var el = event.target;
  if (el.matches && el.matches("[data-autosubmit]")) {
    el.form.submit();
  }
});
