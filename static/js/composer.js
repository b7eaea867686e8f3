// The reply composer: keeps Send gated by the tone guard, never lets Enter send, copies the
// reply, and moves focus to "Edit" when the guard speaks while the seller is not typing.
(function () {
  "use strict";

  var form = document.querySelector("[data-composer]");
  if (!form) {
    return;
  }
  var textarea = form.querySelector("#reply-text");
  var findings = form.querySelector("#tone-findings");
  var status = form.querySelector("[data-tone-status]");
  var overrideBox = form.querySelector("[data-override-box]");

  function gateOpen(box) {
    var verdict = box.getAttribute("data-verdict");
    if (verdict === "ok") {
      return true;
    }
    var override = form.querySelector("[data-override]");
    if (!override || !override.checked) {
      return false;
    }
    if (verdict === "hostile") {
      var reason = form.querySelector("[data-override-reason]");
      return Boolean(reason && reason.value.trim());
    }
    return true;
  }

  // Send is a submit button only while the last check was ok or the override is complete.
  function applyGate() {
    var box = findings.querySelector(".send-controls");
    if (!box) {
      return;
    }
    var open = gateOpen(box);
    box.querySelectorAll("[data-gated]").forEach(function (el) {
      if (el.tagName === "A") {
        el.classList.toggle("disabled", !open);
        el.setAttribute("aria-disabled", open ? "false" : "true");
        el.setAttribute("tabindex", open ? "0" : "-1");
      } else {
        el.disabled = !open;
      }
    });
    var send = box.querySelector("[data-send-reply]");
    if (send && send.hasAttribute("data-gated")) {
      send.type = open ? "submit" : "button";
    }
  }

  // Typing makes the last verdict stale: hold Send until the new check answers.
  function markStale() {
    var box = findings.querySelector(".send-controls");
    if (!box) {
      return;
    }
    var send = box.querySelector("[data-send-reply]");
    if (send) {
      send.disabled = true;
      send.type = "button";
    }
    var wa = box.querySelector("[data-wa-reply]");
    if (wa) {
      wa.classList.add("disabled");
      wa.setAttribute("aria-disabled", "true");
    }
    if (status) {
      status.textContent = status.getAttribute("data-checking-label") || "";
    }
  }

  // The text the findings on screen are about; back to it means the verdict holds again.
  var checkedText = textarea.value;
  var pendingText = checkedText;

  textarea.addEventListener("input", function () {
    if (textarea.value === checkedText) {
      if (status) {
        status.textContent = "";
      }
      applyGate();
    } else {
      markStale();
    }
  });

  textarea.addEventListener("htmx:beforeRequest", function () {
    pendingText = textarea.value;
  });

  // The override box stays put across live checks; it shows the wording for the verdict.
  function showOverride(verdict) {
    if (!overrideBox) {
      return;
    }
    overrideBox.hidden = verdict === "ok";
    overrideBox.querySelectorAll("[data-when]").forEach(function (el) {
      el.hidden = el.getAttribute("data-when") !== verdict;
    });
  }

  if (overrideBox) {
    overrideBox.addEventListener("change", applyGate);
    overrideBox.addEventListener("input", applyGate);
  }

  findings.addEventListener("click", function (event) {
    var edit = event.target.closest("[data-edit-reply]");
    if (edit) {
      textarea.focus();
      return;
    }
    var copy = event.target.closest("[data-copy-reply]");
    if (copy && navigator.clipboard) {
      navigator.clipboard.writeText(textarea.value).then(function () {
        var label = copy.textContent;
        copy.textContent = copy.getAttribute("data-copied-label") || label;
        window.setTimeout(function () { copy.textContent = label; }, 1500);
      });
    }
    var wa = event.target.closest("[data-wa-reply]");
    if (wa && wa.classList.contains("disabled")) {
      event.preventDefault();
    }
  });

  // Enter never submits: only the textarea takes it (a new line) and buttons act on their own.
  form.addEventListener("keydown", function (event) {
    if (event.key !== "Enter") {
      return;
    }
    var tag = event.target.tagName;
    if (tag !== "TEXTAREA" && tag !== "BUTTON" && tag !== "A") {
      event.preventDefault();
    }
  });

  // A submit that Send did not trigger on purpose (e.g. a stale gate) is stopped client-side;
  // the server checks the tone again in any case.
  form.addEventListener("submit", function (event) {
    var submitter = event.submitter;
    if (submitter && submitter.hasAttribute("data-send-reply")) {
      var box = findings.querySelector(".send-controls");
      if (!box || !gateOpen(box)) {
        event.preventDefault();
      }
    }
  });

  document.body.addEventListener("htmx:afterSettle", function (event) {
    if (event.target !== findings) {
      return;
    }
    checkedText = pendingText;
    var box = findings.querySelector(".send-controls");
    if (box) {
      showOverride(box.getAttribute("data-verdict"));
    }
    if (status && textarea.value === checkedText) {
      status.textContent = "";
    }
    if (textarea.value === checkedText) {
      applyGate();
    } else {
      markStale();
    }
    // The guard spoke while the seller was elsewhere (not typing): focus "Edit", never "Send".
    var edit = findings.querySelector("[data-autofocus]");
    if (edit && document.activeElement !== textarea) {
      edit.focus();
    }
  });

  applyGate();
})();
