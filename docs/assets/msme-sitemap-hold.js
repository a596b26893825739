// One request Material's bundle makes on every page load, dropped (ARCHITECTURE.md, "Requests
// held back"): setupAlternate fetches sitemap.xml relative to EVERY <link rel="alternate"> of the
// page, for an instant language switch this site does not use (its menu links point straight at
// the page in each language). Those links (hreflang, the Atom feed) must stay in the markup for
// search engines and feed readers, and no template override reaches that code, so the request is
// dropped here, never sent. Loaded by overrides/main.html before Material's bundle; a file, not
// an inline script, because the page policy (scripts/msme/csp.py) allows none.
(function () {
  var open = XMLHttpRequest.prototype.open, send = XMLHttpRequest.prototype.send;
  XMLHttpRequest.prototype.open = function (method, url) {
    this.msmeDrop = /sitemap\.xml$/.test(String(url));
    return open.apply(this, arguments);
  };
  XMLHttpRequest.prototype.send = function () {
    if (this.msmeDrop) return;
    return send.apply(this, arguments);
  };
})();
