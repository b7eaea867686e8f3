// Outbox behaviours: copy a message to the clipboard, and select every row for a bulk action.
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
    var button = event.target.closest("[data-copy]");
    if (!button) { return; }
    var source = document.querySelector(button.getAttribute("data-copy"));
    if (!source) { return; }
    var text = source.tagName === "TEXTAREA" ? source.value : source.textContent;
    copyText(text.trim()).then(function () {
      var label = button.textContent;
      button.textContent = button.getAttribute("data-copied-label") || "✓";
      button.classList.add("btn-success");
      setTimeout(function () { button.textContent = label; button.classList.remove("btn-success"); }, 1500);
    });
  });

  document.addEventListener("change", function (event) {
    var all = event.target;
    if (!all.matches || !all.matches("[data-check-all]")) { return; }
    var name = all.getAttribute("data-check-all");
    document.querySelectorAll('input[type="checkbox"][name="' + name + '"]').forEach(function (box) {
      box.checked = all.checked;
    });
  });
})();
