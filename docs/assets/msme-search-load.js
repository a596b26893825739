// Fetches the search (msme-search.js) only once the reader turns to it: reading costs nothing
// more. Meanwhile this opens the dialog and focuses the box, so the first tap or key is not lost
// (what is typed stays; the script then searches for it). A file: msme.csp allows no inline script.
(function () {
  var input = document.querySelector("[data-msme-search] .md-search__input");
  var toggle = document.getElementById("__search");
  if (!input || !toggle) return;
  var src = new URL("msme-search.js", document.currentScript.src), started = false;

  function start() {
    if (started) return;
    started = true;
    var script = document.createElement("script");
    script.src = src;
    document.body.append(script);
  }
  // The box (in the header on a desktop): open the dialog around it.
  input.addEventListener("focus", function () {
    if (started) return;
    start();
    if (toggle.checked) return;
    toggle.checked = true;
    toggle.dispatchEvent(new Event("change"));
  });
  // The search button (a phone): focus within the tap, so the phone shows its keyboard.
  toggle.addEventListener("change", function () {
    if (started || !toggle.checked) return;
    input.focus();
    start();
  });
  // "/", "s" or "f" outside a text field, as in Material (then msme-search.js handles them).
  document.addEventListener("keydown", function (e) {
    var el = document.activeElement;
    if (started || e.ctrlKey || e.metaKey || e.altKey || !/^[\/sf]$/.test(e.key)) return;
    if (el && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName))) return;
    e.preventDefault();
    input.focus();
  });
  if (toggle.checked) start(); // the browser restored an open dialog (back to this page)
})();
