// Three requests Material's bundle makes on every page load, held back (ARCHITECTURE.md, "Three
// requests held back"). Each is patched here only because no template override can do it:
// - the search index: bundle.ts runs `document.forms.namedItem("search") ? fetchSearchIndex()
//   : NEVER` at start-up; markup can only keep the form (index fetched at once) or drop it
//   (search gone). Wrapping XMLHttpRequest lets it wait until the reader starts a search
//   (focuses or opens the search box).
// - the search worker: setupSearchWorker calls `new Worker(url)` at once; the config block
//   (overrides/main.html) can move its URL, not its start. Wrapping Worker starts it on the
//   first message, which Material sends once the index above has arrived.
// - sitemap.xml: setupAlternate fetches it relative to EVERY <link rel="alternate"> of the page,
//   for an instant language switch this site does not use (its menu links point straight at the
//   page in each language). Those links (hreflang, the Atom feed) must stay in the markup for
//   search engines and feed readers, so the fetch is dropped here, never sent.
// Loaded by overrides/main.html before Material's bundle, so the wrappers are in place when it
// starts; a file, not an inline script, because the page policy (scripts/msme/csp.py) allows none.
(function () {
  var open = XMLHttpRequest.prototype.open, send = XMLHttpRequest.prototype.send;
  var held = [], started = /[?&]q=/.test(location.search);
  XMLHttpRequest.prototype.open = function (method, url) {
    this.msmeHold = /search\/search_index\.json$/.test(String(url)) ? "index"
      : /sitemap\.xml$/.test(String(url)) ? "never" : "";
    return open.apply(this, arguments);
  };
  XMLHttpRequest.prototype.send = function () {
    if (this.msmeHold === "never") return;
    if (this.msmeHold === "index" && !started) { held.push([this, arguments]); return; }
    return send.apply(this, arguments);
  };
  function start() {
    if (started) return;
    started = true;
    held.splice(0).forEach(function (h) { send.apply(h[0], h[1]); });
  }
  // Material starts its search worker on load; start it on the first message instead, which
  // it sends once the index above has arrived, i.e. after the reader started a search.
  var RealWorker = window.Worker;
  if (RealWorker) {
    window.Worker = function (url, options) {
      if (!/workers\/search\./.test(String(url))) return new RealWorker(url, options);
      var real = null, listeners = [], lazy = {
        onmessage: null, onerror: null,
        addEventListener: function (type, fn, opts) { listeners.push([type, fn, opts]); if (real) real.addEventListener(type, fn, opts); },
        removeEventListener: function (type, fn) { if (real) real.removeEventListener(type, fn); },
        terminate: function () { if (real) real.terminate(); },
        postMessage: function (data, transfer) {
          if (!real) {
            real = new RealWorker(url, options);
            listeners.forEach(function (l) { real.addEventListener(l[0], l[1], l[2]); });
            real.onmessage = function (e) { if (lazy.onmessage) lazy.onmessage(e); };
            real.onerror = function (e) { if (lazy.onerror) lazy.onerror(e); };
          }
          real.postMessage(data, transfer);
        }
      };
      return lazy;
    };
  }
  document.addEventListener("focusin", function (e) {
    if (e.target.classList && e.target.classList.contains("md-search__input")) start();
  });
  document.addEventListener("change", function (e) {
    if (e.target.id === "__search" && e.target.checked) start();
  });
})();
