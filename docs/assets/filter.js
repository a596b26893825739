/* Story filter: a progressive enhancement of the story list (the facet pages do the same job
   without JavaScript). It only shows, hides and orders what the build wrote: this language's
   stories/filter.json holds each story's facet keys (the catalogue's) and its card, rendered by
   the build from the list's own template with every value escaped. The state is kept in the
   address (?country=ES&type=training) so a filtered view can be shared, and the number of
   matches is announced to screen readers. */
(function () {
  "use strict";
  var form = document.getElementById("msme-filter");
  if (!form || !window.fetch || !window.URLSearchParams || !window.URL || !window.history.replaceState) return;
  var list = document.getElementById("msme-cards");
  var pager = document.querySelector(".msme-pages");
  var status = form.querySelector("[role=status]");
  var selects = Array.prototype.slice.call(form.querySelectorAll("select[data-kind]"));
  var results = document.createElement("ul");
  results.className = "msme-cards";
  results.hidden = true;
  if (list) list.parentNode.insertBefore(results, list.nextSibling);

  // A card as the build wrote it, parsed in an inert <template> (nothing runs or loads there);
  // its links are relative to the data file, so they are resolved against its address.
  function card(html, base) {
    var tpl = document.createElement("template");
    tpl.innerHTML = html;
    var node = tpl.content.firstElementChild;
    Array.prototype.forEach.call(node.querySelectorAll("[href], [src]"), function (el) {
      ["href", "src"].forEach(function (attr) {
        if (el.hasAttribute(attr)) el.setAttribute(attr, new URL(el.getAttribute(attr), base).href);
      });
    });
    return node;
  }
  function apply(stories, push) {
    var params = new URLSearchParams();
    var active = selects.filter(function (s) { return s.value; });
    active.forEach(function (s) { params.set(s.name, s.value); });
    if (push) {
      var query = params.toString();
      window.history.replaceState(null, "", query ? "?" + query : window.location.pathname);
    }
    var hits = stories.filter(function (story) {
      return active.every(function (s) { return (story.keys[s.name] || []).indexOf(s.value) !== -1; });
    });
    while (results.firstChild) results.removeChild(results.firstChild);
    if (active.length) hits.forEach(function (story) { results.appendChild(story.node); });
    results.hidden = !active.length;
    if (list) list.hidden = !!active.length;
    if (pager) pager.hidden = !!active.length;
    status.textContent = !active.length ? "" : hits.length
      ? form.getAttribute("data-count").replace("{n}", String(hits.length))
      : form.getAttribute("data-none");
  }
  fetch(form.getAttribute("data-data"))
    .then(function (response) { return response.json().then(function (data) { return [data, response.url]; }); })
    .then(function (loaded) {
      var stories = loaded[0].stories.map(function (s) { return { keys: s.keys, node: card(s.card, loaded[1]) }; });
      var params = new URLSearchParams(window.location.search);
      selects.forEach(function (s) { if (params.get(s.name)) s.value = params.get(s.name); });
      form.addEventListener("change", function () { apply(stories, true); });
      form.addEventListener("reset", function () { window.setTimeout(function () { apply(stories, true); }, 0); });
      form.addEventListener("submit", function (event) { event.preventDefault(); });
      apply(stories, false);
    })
    .catch(function () { /* the list and the facet pages still work */ });
})();
