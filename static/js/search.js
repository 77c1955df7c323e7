/* The navigation bar's search box (templates/base.html, portal/search.py): htmx asks the
   server as the user types and puts the grouped hits in the dropdown; this file shows and
   hides it and makes it work from the keyboard: ↓ from the box to the first hit, ↑/↓ between
   hits, Enter follows the hit (or, in the box, opens the results page), Escape closes. */
(function () {
  "use strict";

  function parts(element) {
    var form = element && element.closest("[data-search]");
    if (!form) {
      return null;
    }
    return { form: form, input: form.querySelector("input[name=q]"), menu: form.querySelector(".search-results") };
  }

  function open(search, shown) {
    search.menu.classList.toggle("show", shown);
    search.input.setAttribute("aria-expanded", shown ? "true" : "false");
  }

  function hits(search) {
    return Array.prototype.slice.call(search.menu.querySelectorAll("a.search-hit"));
  }

  document.addEventListener("htmx:afterSwap", function (event) {
    var search = parts(event.detail.target);
    if (search) {
      open(search, search.input.value.trim() !== "" && search.menu.textContent.trim() !== "");
    }
  });

  document.addEventListener("keydown", function (event) {
    var search = parts(event.target);
    if (!search) {
      return;
    }
    var list = hits(search);
    var index = list.indexOf(document.activeElement);
    if (event.key === "ArrowDown" && list.length) {
      event.preventDefault();
      open(search, true);
      list[Math.min(index + 1, list.length - 1)].focus();
    } else if (event.key === "ArrowUp" && index >= 0) {
      event.preventDefault();
      if (index === 0) {
        search.input.focus();
      } else {
        list[index - 1].focus();
      }
    } else if (event.key === "Escape") {
      open(search, false);
      search.input.focus();
    }
  });

  // A click elsewhere closes the dropdown.
  document.addEventListener("click", function (event) {
    document.querySelectorAll("[data-search]").forEach(function (form) {
      if (!form.contains(event.target)) {
        var search = parts(form);
        open(search, false);
      }
    });
  });
})();
