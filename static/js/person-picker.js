// The person picker (issue 21.1): search as you type in "Find a known person", pick from the matches.
// Without this script the Find button re-posts the form and the server lists the matches as boxes to tick.
// CSP: a static file, no inline script or handler.
(function () {
  "use strict";

  function text(tag, content, className) {
    var element = document.createElement(tag);
    element.textContent = content;
    if (className) {
      element.className = className;
    }
    return element;
  }

  function setUp(picker) {
    var name = picker.getAttribute("data-person-picker");
    var url = picker.getAttribute("data-search-url");
    var minLength = parseInt(picker.getAttribute("data-min-length"), 10) || 3;
    var input = picker.querySelector("input[name='" + name + "_find']");
    var findButton = picker.querySelector("button[name='find_" + name + "']");
    var chosen = picker.querySelector("[data-picker-chosen]");
    var results = picker.querySelector("[data-picker-results]");
    var status = picker.querySelector("[data-picker-status]");
    var timer = null;
    var asked = 0;
    if (!input || !chosen || !results) {
      return;
    }
    results.setAttribute("aria-label", "People found");

    function isChosen(id) {
      var box = chosen.querySelector("input[type='checkbox'][value='" + id + "']");
      return box && box.checked;
    }

    function choose(person) {
      var box = chosen.querySelector("input[type='checkbox'][value='" + person.id + "']");
      if (!box) {
        var id = "id_" + name + "_p" + person.id;
        var item = document.createElement("li");
        item.className = "form-check";
        box = document.createElement("input");
        box.className = "form-check-input";
        box.type = "checkbox";
        box.name = name;
        box.value = person.id;
        box.id = id;
        var label = text("label", person.name + " ", "form-check-label");
        label.htmlFor = id;
        label.appendChild(text("span", "(" + person.summary + ")", "text-muted small"));
        item.appendChild(box);
        item.appendChild(label);
        chosen.appendChild(item);
      }
      box.checked = true;
      status.textContent = person.name + " chosen.";
      clear();
      input.value = "";
      input.focus();
    }

    function clear() {
      results.replaceChildren();
      results.hidden = true;
    }

    function show(data) {
      results.replaceChildren();
      var people = data.results.filter(function (person) { return !isChosen(person.id); });
      people.forEach(function (person) {
        var item = document.createElement("li");
        var button = document.createElement("button");
        button.type = "button";
        button.className = "btn btn-link text-start p-0 person-picker-result";
        button.appendChild(text("span", person.name, "fw-semibold"));
        button.appendChild(text("span", " (" + person.summary + ")", "text-muted small"));
        button.setAttribute("aria-label", "Choose " + person.name + ", " + person.summary);
        button.addEventListener("click", function () { choose(person); });
        item.appendChild(button);
        results.appendChild(item);
      });
      results.hidden = people.length === 0;
      status.textContent = people.length ? people.length + " found: Tab or the down arrow to reach them."
        : "Nobody found for “" + data.q + "”.";
    }

    function search() {
      var q = input.value.trim();
      if (q.length < minLength) {
        clear();
        status.textContent = q.length ? "Type at least " + minLength + " letters or digits." : "";
        return;
      }
      var ask = ++asked;
      fetch(url + "?q=" + encodeURIComponent(q), {headers: {"Accept": "application/json"}, credentials: "same-origin"})
        .then(function (response) {
          if (!response.ok) {
            throw new Error(response.status);
          }
          return response.json();
        })
        .then(function (data) {
          if (ask === asked) {
            show(data);
          }
        })
        .catch(function () {
          status.textContent = "The search did not answer: use the Find button.";
        });
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(search, 250);
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        // Search here rather than submit the form.
        event.preventDefault();
        window.clearTimeout(timer);
        search();
      } else if (event.key === "ArrowDown") {
        var first = results.querySelector("button");
        if (first) {
          event.preventDefault();
          first.focus();
        }
      } else if (event.key === "Escape") {
        clear();
      }
    });
    results.addEventListener("keydown", function (event) {
      var buttons = Array.prototype.slice.call(results.querySelectorAll("button"));
      var index = buttons.indexOf(document.activeElement);
      if (index < 0) {
        return;
      }
      if (event.key === "ArrowDown" && index < buttons.length - 1) {
        event.preventDefault();
        buttons[index + 1].focus();
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        (index > 0 ? buttons[index - 1] : input).focus();
      } else if (event.key === "Escape") {
        clear();
        input.focus();
      }
    });
    if (findButton) {
      findButton.addEventListener("click", function (event) {
        event.preventDefault();
        window.clearTimeout(timer);
        search();
      });
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-person-picker]").forEach(setUp);
  });
}());
