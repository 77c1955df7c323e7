// A courtesy against double taps: once a form is sent, its submit buttons are disabled until
// the page answers. The guarantee is on the server (a one-time submission key per form).
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || event.defaultPrevented) return;
    if (form.hasAttribute("hx-post") || form.hasAttribute("data-allow-resubmit")) return;
    if (form.dataset.submitting === "1") {
      event.preventDefault();
      return;
    }
    form.dataset.submitting = "1";
    // Disable after the browser has taken the submitter's name and value into the request.
    window.setTimeout(function () {
      form.querySelectorAll("button[type=submit], button:not([type]), input[type=submit]")
        .forEach(function (button) {
          button.disabled = true;
          button.setAttribute("aria-busy", "true");
        });
    }, 0);
  });
  // Coming back to the page from the history cache: the form is usable again.
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) return;
    document.querySelectorAll("form[data-submitting]").forEach(function (form) {
      delete form.dataset.submitting;
      form.querySelectorAll("[aria-busy]").forEach(function (button) {
        button.disabled = false;
        button.removeAttribute("aria-busy");
      });
    });
  });
})();
