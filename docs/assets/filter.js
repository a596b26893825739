/* Story filter: a progressive enhancement of the story list (the facet pages do the same job
   without JavaScript). Reads this language's open-data file, keeps its state in the address
   (?country=ES&type=training) so a filtered view can be shared, and announces the number of
   matches to screen readers. Text is set with textContent only: data never becomes markup. */
(function () {
  "use strict";
  var form = document.getElementById("msme-filter");
  if (!form || !window.fetch || !window.URLSearchParams || !window.history.replaceState) return;
  var list = document.getElementById("msme-cards");
  var pager = document.querySelector(".msme-pages");
  var status = form.querySelector("[role=status]");
  var selects = Array.prototype.slice.call(form.querySelectorAll("select[data-kind]"));
  var site = form.getAttribute("data-site");
  var root = form.getAttribute("data-root");
  var results = document.createElement("ul");
  results.className = "msme-cards";
  results.hidden = true;
  if (list) list.parentNode.insertBefore(results, list.nextSibling);

  function local(url) {
    return url && url.indexOf(site) === 0 ? root + url.slice(site.length) : url;
  }
  function values(record, kind) {
    if (kind === "country") return [record.sending_country, record.host_country];
    if (kind === "sector") return [record.sending_sector, record.host_sector];
    if (kind === "type") return record.collaboration_types;
    return [record.published.slice(0, 4)];
  }
  function label(kind, key) {
    var select = form.querySelector("select[data-kind=" + kind + "]");
    var option = select && select.querySelector("option[value='" + key + "']");
    return option ? option.textContent : key;
  }
  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text) node.textContent = text;
    return node;
  }
  function card(r) {
    var li = el("li", "msme-card");
    li.lang = r.language;
    if (r.image) {
      var img = el("img", "msme-card__img");
      img.src = local(r.image);
      img.alt = "";
      img.loading = "lazy";
      li.appendChild(img);
    }
    var body = el("div", "msme-card__body");
    var h = el("h3", "msme-card__title");
    var a = el("a", null, r.title);
    a.href = local(r.url);
    h.appendChild(a);
    var sectors = [r.sending_sector, r.host_sector].filter(Boolean).map(function (s) { return label("sector", s); });
    var line = r.sending_country_name + " \u2192 " + r.host_country_name +
      (sectors.length ? " \u00b7 " + sectors.join(", ") : "") + " \u00b7 " + r.published.slice(0, 4);
    body.appendChild(h);
    body.appendChild(el("p", "msme-card__exchange", line));
    body.appendChild(el("p", "msme-card__summary", r.summary));
    li.appendChild(body);
    return li;
  }
  function apply(records, push) {
    var params = new URLSearchParams();
    var active = selects.filter(function (s) { return s.value; });
    active.forEach(function (s) { params.set(s.name, s.value); });
    if (push) {
      var query = params.toString();
      window.history.replaceState(null, "", query ? "?" + query : window.location.pathname);
    }
    if (!active.length) {
      results.hidden = true;
      if (list) list.hidden = false;
      if (pager) pager.hidden = false;
      status.textContent = "";
      return;
    }
    var hits = records.filter(function (r) {
      return active.every(function (s) { return values(r, s.name).indexOf(s.value) !== -1; });
    });
    while (results.firstChild) results.removeChild(results.firstChild);
    hits.forEach(function (r) { results.appendChild(card(r)); });
    results.hidden = false;
    if (list) list.hidden = true;
    if (pager) pager.hidden = true;
    status.textContent = hits.length
      ? form.getAttribute("data-count").replace("{n}", String(hits.length))
      : form.getAttribute("data-none");
  }
  fetch(form.getAttribute("data-data"))
    .then(function (response) { return response.json(); })
    .then(function (data) {
      var params = new URLSearchParams(window.location.search);
      selects.forEach(function (s) { if (params.get(s.name)) s.value = params.get(s.name); });
      form.addEventListener("change", function () { apply(data.records, true); });
      form.addEventListener("reset", function () { window.setTimeout(function () { apply(data.records, true); }, 0); });
      form.addEventListener("submit", function (event) { event.preventDefault(); });
      apply(data.records, false);
    })
    .catch(function () { /* the list and the facet pages still work */ });
})();
