// Adapts Decap CMS to the site's suffix layout, for every backend (local and Git hosts).
//
// Decap writes one file per language as `index.<locale>.md`, the default language included;
// the site keeps originals as `index.md` (mkdocs-static-i18n's suffix layout). This adapter
// renames paths between the two at the backend boundary, so Decap sees `index.en.md` and the
// repository holds `index.md`. It also keeps three promises Decap does not make by itself:
//   - a photo is stored without its hidden data (GPS position above all);
//   - it never writes an empty translation file (a language opened but left blank);
//   - a translation written or edited here records which version of the original it
//     follows (`translation_of`, the same hash the translation status compares).
(function () {
  "use strict";
  const settings = JSON.parse(document.getElementById("msme-editor-settings").textContent);
  const DEFAULT = settings.defaultLocale;
  const LOCALE = /^[a-z]{2}([_-][A-Za-z]{2,4})?$/;

  function split(path) {
    const m = /^(.*?)(?:\.([^./]+))?\.md$/.exec(path);
    return m ? { base: m[1], locale: m[2] } : null;
  }

  // Decap's name for a file -> the repository's.
  function toRepo(path) {
    const s = split(path);
    return s && s.locale === DEFAULT ? s.base + ".md" : path;
  }

  // An original has no language suffix (a dot in its name is not one: `faq.v2.md`).
  function isOriginal(path) {
    const s = split(path);
    return !(s && s.locale && LOCALE.test(s.locale));
  }

  // The repository's name -> Decap's: an original gains the default locale's suffix.
  function toEditor(path) {
    return split(path) && isOriginal(path) ? path.replace(/\.md$/, "." + DEFAULT + ".md") : path;
  }

  // Stories live one per folder: the folder's own index.md is the list page, not a story.
  function atDepth(folder, path) {
    const depth = settings.depths[folder.replace(/\/$/, "")];
    if (!depth) return true;
    return path.slice(folder.length).replace(/^\//, "").split("/").length === depth;
  }

  // A folder's listing as Decap should see it: only files at the collection's depth.
  function listing(folder, entries) {
    return entries.filter(function (e) { return atDepth(folder, e.file.path); });
  }

  function renamed(entry) {
    return entry && entry.file ? Object.assign({}, entry, { file: Object.assign({}, entry.file, { path: toEditor(entry.file.path) }) }) : entry;
  }

  function parts(raw) {
    // The closing fence is a line of its own: "---" inside a value (a table, a rule) is text.
    const m = /^---\r?\n(?:([\s\S]*?)\r?\n)?---[ \t]*(?:\r?\n|$)([\s\S]*)$/.exec(raw);
    return m ? { front: m[1] || "", body: m[2] } : { front: "", body: raw };
  }

  // Decap gives every language the fields' empty values ([] for a multiple select, and so on);
  // in a translation they would be fields it may not set, so they go.
  const EMPTY = String.raw`(""|''|\[\]|\{\}|null|~)`;
  const TOP_LEVEL_EMPTY = new RegExp(String.raw`^[^\s:#][^:]*:\s*` + EMPTY + String.raw`\s*$`);
  const VALUELESS = new RegExp(String.raw`^\s*(-\s*)?([\w-]+:)?\s*` + EMPTY + String.raw`?\s*$`);

  function withoutEmpties(raw) {
    const p = parts(raw);
    const front = p.front.split(/\r?\n/).filter(function (line) { return !TOP_LEVEL_EMPTY.test(line); }).join("\n").trim();
    return (front ? "---\n" + front + "\n---\n" : "") + p.body;
  }

  // A translation nobody wrote: no value in its front matter, and a body that is empty, a copy
  // of the original's, or the template every language of a new page starts from.
  function isUntranslated(raw, originalRaw) {
    const p = parts(raw);
    const filled = p.front.split(/\r?\n/).filter(function (line) { return !VALUELESS.test(line); });
    const body = p.body.trim();
    return filled.length === 0 && (body === "" || body === parts(originalRaw).body.trim() || settings.templates.indexOf(body) >= 0);
  }

  async function digest(text) {
    const bytes = new TextEncoder().encode(text);
    const hash = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
    return Array.from(hash, function (b) { return b.toString(16).padStart(2, "0"); }).join("").slice(0, 12);
  }

  // What a person wrote, without the layout Decap may change when it rewrites a file.
  function words(raw) {
    return raw.replace(/^translation_of:.*$/m, "").replace(/[^\p{L}\p{N}]+/gu, "");
  }

  // A translation written or edited next to its original is recorded as following the
  // original's version being saved; one left alone keeps the version it was made from.
  // Quoted: a hash of digits (or digits and an "e") would otherwise be read back as a number.
  function stamp(raw, hash) {
    raw = raw.replace(/^translation_of:.*\r?\n/m, "");
    const line = 'translation_of: "' + hash + '"\n';
    return /^---\r?\n/.test(raw) ? raw.replace(/^---\r?\n/, "---\n" + line) : "---\n" + line + "---\n" + raw;
  }

  function stampOf(raw) {
    const m = /^translation_of:\s*["']?([0-9a-f]+)["']?\s*$/m.exec(raw);
    return m ? m[1] : null;
  }

  // A photo leaves the browser without its hidden data (GPS position, camera serial number):
  // its pixels are drawn upright into a new file, so nothing else travels with them.
  const REDRAWN = { "image/jpeg": 0.92, "image/webp": 0.92, "image/png": undefined };

  async function redraw(file) {
    if (!file) return file;
    if (!Object.prototype.hasOwnProperty.call(REDRAWN, file.type)) {
      if (/^image\//.test(file.type) || /\.(tiff?|heic|heif|gif|bmp)$/i.test(file.name)) {
        throw new Error(file.name + ": photos are stored as JPEG, PNG or WebP; export it as JPEG and upload it again");
      }
      return file; // not a picture (a PDF, for example): nothing hidden to remove
    }
    const bitmap = await createImageBitmap(file, { imageOrientation: "from-image" });
    const canvas = document.createElement("canvas");
    canvas.width = bitmap.width;
    canvas.height = bitmap.height;
    canvas.getContext("2d").drawImage(bitmap, 0, 0);
    const blob = await new Promise(function (resolve) { canvas.toBlob(resolve, file.type, REDRAWN[file.type]); });
    if (!blob) {
      throw new Error(file.name + ": too large for this browser to prepare; resize it (about 3000 pixels wide) and upload it again");
    }
    return new File([blob], file.name, { type: file.type, lastModified: file.lastModified });
  }

  async function withoutHiddenData(asset) {
    if (!asset || !asset.fileObj) return asset;
    const file = await redraw(asset.fileObj);
    if (file === asset.fileObj) return asset;
    const clean = Object.assign(Object.create(Object.getPrototypeOf(asset)), asset, { fileObj: file });
    clean.toBase64 = function () {
      return new Promise(function (resolve, reject) {
        const reader = new FileReader();
        reader.onload = function () { resolve(String(reader.result).split(",")[1]); };
        reader.onerror = reject;
        reader.readAsDataURL(file);
      });
    };
    return clean;
  }

  function wrap(inner) {
    const loaded = new Map(); // repository path -> text as read from the backend
    function remember(entries) {
      entries.forEach(function (e) { if (e && e.file && e.data != null) loaded.set(e.file.path, e.data); });
      return entries;
    }
    const overrides = {
      entriesByFolder: async function (folder, extension, depth) {
        return remember(listing(folder, await inner.entriesByFolder(folder, extension, depth))).map(renamed);
      },
      allEntriesByFolder: inner.allEntriesByFolder && async function (folder, extension, depth, pathRegex) {
        return remember(listing(folder, await inner.allEntriesByFolder(folder, extension, depth, pathRegex))).map(renamed);
      },
      entriesByFiles: async function (files) {
        const entries = await inner.entriesByFiles(files.map(function (f) { return Object.assign({}, f, { path: toRepo(f.path) }); }));
        return remember(entries).map(renamed);
      },
      getEntry: async function (path) {
        const entry = await inner.getEntry(toRepo(path));
        remember([entry]);
        return renamed(entry);
      },
      persistEntry: async function (entry, options) {
        const files = (entry.dataFiles || [entry]).map(function (f) {
          return Object.assign({}, f, { path: toRepo(f.path), newPath: f.newPath && toRepo(f.newPath) });
        });
        const original = files.find(function (f) { return isOriginal(f.path); });
        const hash = original ? await digest(original.raw) : null;
        // Decap rewrites every file in its own layout (line breaks, lists, quotes). When the
        // original's words are unchanged, a translation that followed it still does.
        const previous = original && loaded.get(original.path);
        const sameWords = previous !== undefined && previous !== null && words(previous) === words(original.raw);
        const previousHash = sameWords ? await digest(previous) : null;
        const kept = [];
        for (const f of files) {
          if (f === original) { kept.push(f); continue; }
          const raw = withoutEmpties(f.raw);
          if (isUntranslated(raw, original ? original.raw : "")) continue;
          const before = loaded.get(f.path);
          const edited = before === undefined || words(before) !== words(raw);
          const followed = previousHash !== null && stampOf(raw) === previousHash;
          kept.push(Object.assign({}, f, { raw: (edited || followed) && hash ? stamp(raw, hash) : raw }));
        }
        kept.forEach(function (f) { loaded.set(f.newPath || f.path, f.raw); });
        const assets = await Promise.all((entry.assets || []).map(withoutHiddenData));
        const out = Object.assign({}, entry, entry.dataFiles ? { dataFiles: kept } : kept[0], { assets: assets });
        return inner.persistEntry(out, options);
      },
      persistMedia: async function (asset, options) {
        return inner.persistMedia(await withoutHiddenData(asset), options);
      },
      deleteFiles: function (paths, message) { return inner.deleteFiles(paths.map(toRepo), message); },
      deleteFile: inner.deleteFile && function (path, message) { return inner.deleteFile(toRepo(path), message); },
    };
    return new Proxy(inner, {
      get: function (target, key) {
        if (Object.prototype.hasOwnProperty.call(overrides, key) && overrides[key]) return overrides[key];
        const value = target[key];
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
  }

  ["proxy", "test-repo", "github", "gitlab", "gitea", "forgejo", "bitbucket", "azure", "git-gateway", "aws-cognito-github-proxy"].forEach(function (name) {
    const registered = window.CMS.getBackend(name);
    if (!registered) return;
    const init = registered.init;
    registered.init = function () { return wrap(init.apply(null, arguments)); };
  });
  // "Publish" in Decap means "write to the repository"; on this site a page goes live only
  // when its status says published, so the buttons say what they do.
  const phrases = window.CMS.getLocale("en");
  if (phrases && phrases.editor && phrases.editor.editorToolbar) {
    Object.assign(phrases.editor.editorToolbar, {
      publish: "Save",
      publishing: "Saving…",
      published: "Saved",
      publishNow: "Save now",
      publishAndCreateNew: "Save and create new",
      publishAndDuplicate: "Save and duplicate",
    });
  }
  window.CMS.init();
  // For the tests, which check these rules in the browser that runs them.
  window.msmeAdapter = { toRepo: toRepo, toEditor: toEditor, parts: parts, withoutEmpties: withoutEmpties,
    isUntranslated: isUntranslated, stamp: stamp, stampOf: stampOf, words: words, redraw: redraw };
})();
