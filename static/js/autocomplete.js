/* Searchable pickers: every <select data-autocomplete="URL"> becomes a Tom Select that asks
   URL?q=... as the user types (portal/autocomplete.py). Wired on page load and again on
   whatever htmx swaps in. The JSON answer: {"results": [{"value", "text"}], "more": bool}. */
(function () {
  "use strict";

  function optionsUrl(base, query) {
    return base + (base.indexOf("?") >= 0 ? "&" : "?") + "q=" + encodeURIComponent(query);
  }

  function wire(select) {
    if (select.tomselect || typeof TomSelect === "undefined") {
      return;
    }
    var base = select.getAttribute("data-autocomplete");
    var empty = select.getAttribute("data-autocomplete-empty") || "";
    new TomSelect(select, {
      valueField: "value",
      labelField: "text",
      searchField: [],
      maxOptions: null,
      preload: "focus",
      loadThrottle: 250,
      allowEmptyOption: !select.required,
      // The server has filtered and ordered the options: show them as they came.
      score: function () {
        return function () {
          return 1;
        };
      },
      // Every keystroke asks the server (Tom Select would otherwise reuse the first answer).
      shouldLoad: function () {
        return true;
      },
      load: function (query, callback) {
        var self = this;
        fetch(optionsUrl(base, query), {
          credentials: "same-origin",
          headers: { Accept: "application/json" },
        })
          .then(function (response) {
            return response.ok ? response.json() : { results: [] };
          })
          .then(function (data) {
            self.clearOptions();
            callback(data.results);
          })
          .catch(function () {
            callback();
          });
      },
      render: {
        no_results: function () {
          var div = document.createElement("div");
          div.className = "no-results";
          div.textContent = empty;
          return div;
        },
      },
    });
  }

  function wireAll(root) {
    var scope = root && root.querySelectorAll ? root : document;
    if (scope.matches && scope.matches("select[data-autocomplete]")) {
      wire(scope);
    }
    scope.querySelectorAll("select[data-autocomplete]").forEach(wire);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () {
      wireAll(document);
    });
  } else {
    wireAll(document);
  }
  document.addEventListener("htmx:load", function (event) {
    wireAll(event.target);
  });
})();
