// Runs before Decap (a file, not inline: the page's Content-Security-Policy allows no inline script).
// The local preview (mkdocs serve) reloads a page whenever the site rebuilds, which every
// save here causes; the editor keeps what is on screen instead.
Object.defineProperty(window, "livereload", { value: function () {}, writable: false });
window.CMS_MANUAL_INIT = true; // adapter.js starts Decap once the backends are adapted
