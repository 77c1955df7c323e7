/* Behaviour of the portal's pages, wired by data- attributes (no inline script or on...=
   handler anywhere: the Content-Security-Policy allows only script files from the portal).
   Clicks and changes are delegated from the document, so content swapped in by htmx behaves
   the same; what must run once per element runs through htmx.onLoad, which covers the first
   page load and every swap. */
(function () {
  "use strict";

  // <button data-print>: print the page.
  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-print]")) {
      window.print();
    }
  });

  // <form data-confirm="… {date} …">: ask before sending; {date} is the value of the form's
  // [data-confirm-date] field. Captured before submit-once.js marks the form as sent, so a
  // "no" leaves the form usable.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.dataset.confirm) return;
    var dateField = form.querySelector("[data-confirm-date]");
    var question = form.dataset.confirm.replace("{date}", dateField ? dateField.value : "");
    if (!window.confirm(question)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);

  // <select data-autosubmit>: choosing a value submits its form (filters without a button).
  document.addEventListener("change", function (event) {
    var field = event.target.closest("[data-autosubmit]");
    if (field && field.form) {
      field.form.requestSubmit();
    }
  });

  function init(root) {
    // <div data-bar-width="37">: a bar as wide as its share, in per cent (0 to 100). Set
    // through the CSS object model, which the policy allows, unlike a style attribute.
    root.querySelectorAll("[data-bar-width]").forEach(function (bar) {
      var share = Math.max(0, Math.min(100, parseFloat(bar.dataset.barWidth) || 0));
      bar.style.width = share + "%";
    });
  }

  // The tab named in the address (#posts, #career ...) is shown, e.g. after a save.
  function showTabFromAddress() {
    var hash = window.location.hash;
    if (!hash || !window.bootstrap) {
      return;
    }
    var button = document.querySelector('[data-bs-toggle="tab"][data-bs-target="' + CSS.escape(hash) + '"]');
    if (button) {
      window.bootstrap.Tab.getOrCreateInstance(button).show();
    }
  }

  if (window.htmx) {
    window.htmx.onLoad(init);
  } else {
    document.addEventListener("DOMContentLoaded", function () { init(document); });
  }
  document.addEventListener("DOMContentLoaded", showTabFromAddress);
})();
