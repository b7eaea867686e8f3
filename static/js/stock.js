// Stock pages: copy a ready reply, and keep its WhatsApp link in step with edits.
(function () {
  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    try { document.execCommand("copy"); } finally { document.body.removeChild(area); }
    return Promise.resolve();
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-stock-copy]");
    if (!button) { return; }
    var source = document.querySelector(button.getAttribute("data-stock-copy"));
    if (!source) { return; }
    var text = source.tagName === "TEXTAREA" ? source.value : source.textContent;
    copyText(text.trim()).then(function () {
      var label = button.textContent;
      button.textContent = button.getAttribute("data-copied-label") || "✓";
      setTimeout(function () { button.textContent = label; }, 1500);
    });
  });

  // <textarea data-wa-source="#link-id">: editing the reply rewrites the wa.me link's text.
  document.addEventListener("input", function (event) {
    var area = event.target;
    if (!area.matches || !area.matches("[data-wa-source]")) { return; }
    var link = document.querySelector(area.getAttribute("data-wa-source"));
    if (!link) { return; }
    var base = link.getAttribute("href").split("?")[0];
    link.setAttribute("href", base + "?text=" + encodeURIComponent(area.value.trim()));
  });
})();
