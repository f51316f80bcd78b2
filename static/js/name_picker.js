// The name picker of entry by name (templates/elections/_counting_names.html): each name field offers its post's
// formal candidates as a list chosen with the keyboard alone (ArrowDown/ArrowUp, Enter; Escape closes), in the
// combobox pattern of WAI-ARIA. Chromium's own <datalist> popup cannot be chosen from by keyboard everywhere, so
// the field's list attribute is taken over here; without this script the <datalist> still works with the mouse.
// A name that is on no list is simply typed: the server takes it as a write-in.
(function () {
  "use strict";

  var box = null; // the one listbox, moved under the field being typed into
  var field = null;

  function listbox() {
    if (!box || !document.body.contains(box)) {
      box = document.createElement("ul");
      box.id = "name-picker";
      box.className = "name-picker";
      box.setAttribute("role", "listbox");
      box.hidden = true;
      // mousedown, not click: the field keeps its focus while a name is chosen with the mouse.
      box.addEventListener("mousedown", function (event) {
        var option = event.target.closest("[role=option]");
        if (option) { event.preventDefault(); choose(option); }
      });
    }
    return box;
  }

  function take(input) {
    // The field's <datalist> becomes the picker's source; the native popup is switched off with the attribute.
    if (!input.dataset.names) {
      input.dataset.names = input.getAttribute("list");
      input.removeAttribute("list");
      input.setAttribute("role", "combobox");
      input.setAttribute("aria-autocomplete", "list");
      input.setAttribute("aria-expanded", "false");
      input.setAttribute("aria-controls", "name-picker");
    }
  }

  function names(input) {
    var list = document.getElementById(input.dataset.names);
    var typed = input.value.trim();
    return Array.prototype.map.call(list ? list.options : [], function (o) { return o.value; })
      .filter(function (name) { return !typed || name.indexOf(typed) >= 0; });
  }

  function open(input) {
    var ul = listbox();
    var found = names(input);
    ul.textContent = "";
    found.forEach(function (name, i) {
      var li = document.createElement("li");
      li.id = "name-picker-" + i;
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", "false");
      li.textContent = name;
      ul.appendChild(li);
    });
    if (!found.length) { close(); return; }
    input.insertAdjacentElement("afterend", ul);
    // Under its field: the list and the field share their offset parent.
    ul.style.left = input.offsetLeft + "px";
    ul.style.top = input.offsetTop + input.offsetHeight + "px";
    ul.hidden = false;
    field = input;
    input.setAttribute("aria-expanded", "true");
  }

  function close() {
    if (box) { box.hidden = true; }
    if (field) {
      field.setAttribute("aria-expanded", "false");
      field.removeAttribute("aria-activedescendant");
    }
    field = null;
  }

  function options() { return box ? Array.prototype.slice.call(box.querySelectorAll("[role=option]")) : []; }

  function move(step) {
    var all = options();
    var at = all.findIndex(function (o) { return o.getAttribute("aria-selected") === "true"; });
    var next = all[(at + step + all.length) % all.length];
    all.forEach(function (o) { o.setAttribute("aria-selected", o === next ? "true" : "false"); });
    field.setAttribute("aria-activedescendant", next.id);
    next.scrollIntoView({block: "nearest"});
  }

  function choose(option) {
    var input = field;
    input.value = option.textContent;
    close();
  }

  function isNameField(el) {
    return el && el.tagName === "INPUT" && (el.hasAttribute("list") || el.dataset.names) && el.closest("form.entry");
  }

  document.addEventListener("focusin", function (event) {
    if (isNameField(event.target)) { take(event.target); }
  });
  document.addEventListener("focusout", function (event) {
    if (event.target === field) { close(); }
  });
  document.addEventListener("input", function (event) {
    if (!isNameField(event.target) || event.isComposing) { return; }
    if (event.target.value.trim()) { open(event.target); } else { close(); }
  });
  document.addEventListener("keydown", function (event) {
    var input = event.target;
    if (!isNameField(input) || event.isComposing) { return; }
    var shown = field === input && !box.hidden;
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      if (!shown) { open(input); }
      if (field === input) { move(event.key === "ArrowDown" ? 1 : -1); }
    } else if (event.key === "Enter" && shown) {
      var active = box.querySelector("[aria-selected=true]");
      // Enter on a highlighted name chooses it; with none highlighted it saves the paper as before.
      if (active) { event.preventDefault(); choose(active); }
    } else if (event.key === "Escape" && shown) {
      event.preventDefault();
      close();
    }
  });
})();
