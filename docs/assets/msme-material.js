// Material's inline scripts (partials/javascripts/base.html and content.html of
// mkdocs-material 9.8.2) as a file, so the page policy (scripts/msme/csp.py) allows no inline
// script at all. Loaded by overrides/main.html just before Material's bundle, which uses these
// helpers; data-md-scope carries what Material wrote into the script (the site's root).
// Check them against Material's partials when upgrading the theme.
(function () {
  var scope = new URL(document.currentScript.getAttribute("data-md-scope"), location);
  window.__md_scope = scope;
  window.__md_hash = function (text) {
    return Array.from(text).reduce(function (hash, c) { return (hash << 5) - hash + c.charCodeAt(0); }, 0);
  };
  window.__md_get = function (key, storage, base) {
    storage = storage || localStorage;
    base = base || window.__md_scope;
    return JSON.parse(storage.getItem(base.pathname + "." + key));
  };
  window.__md_set = function (key, value, storage, base) {
    storage = storage || localStorage;
    base = base || window.__md_scope;
    try { storage.setItem(base.pathname + "." + key, JSON.stringify(value)); } catch (e) { /* storage full or off */ }
  };
  // A content tab named in the address opens (content.html); the page is parsed by now.
  var target = document.getElementById(location.hash.slice(1));
  if (target && target.name) target.checked = target.name.startsWith("__tabbed_");
})();
