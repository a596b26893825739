// The site's search (ARCHITECTURE.md, "Search"): reads the static index msme.searchindex writes
// in the reader's language folder, a few small files at a time, and shows results in Material's
// search dialog (overrides/partials/search.html). msme-search-load.js loads it when the reader
// turns to the search; no file of the index is fetched before that either.
// The folding, the shard choice and the ranking mirror scripts/msme/searchindex.py, which the
// tests use as the reference: keep both the same. No eval, no inline script, no HTML strings:
// every text from the index is put in with textContent.
(function () {
  "use strict";
  var root = document.querySelector("[data-msme-search]");
  if (!root) return;
  var input = root.querySelector(".md-search__input");
  var form = root.querySelector("form");
  var meta = root.querySelector(".md-search-result__meta");
  var list = root.querySelector(".md-search-result__list");
  var more = root.querySelector(".msme-search-more");
  var moreBand = more.parentElement; // hidden while every ranked result is listed
  var toggle = document.getElementById("__search");
  var indexUrl = new URL(root.getAttribute("data-msme-search"), document.baseURI);
  var docsBase = new URL("../", indexUrl);
  var MIN_PREFIX = 3, EXPAND = 4, MAX_TERMS = 8, MAX_SHARDS = 10, PAGE = 10;
  var FOLD_MAP = { "ß": "ss", "đ": "d", "ς": "σ", "ø": "o", "ł": "l", "æ": "ae", "œ": "oe", "ı": "i" };
  var files = {}; // file name -> promise of its JSON: each file is fetched once
  var ranked = [], shown = 0, serial = 0, timer = 0;

  function fold(text) {
    return text.toLowerCase().normalize("NFKD").replace(/\p{M}/gu, "")
      .replace(/[ßđςøłæœı]/g, function (c) { return FOLD_MAP[c]; });
  }
  function queryWords(query) {
    var seen = [];
    (fold(query).match(/[\p{L}\p{N}]+/gu) || []).forEach(function (w) {
      if (w.length > 1 && seen.indexOf(w) < 0) seen.push(w);
    });
    return seen.slice(0, MAX_TERMS);
  }
  function load(name) {
    if (!files[name]) {
      files[name] = fetch(new URL(name, indexUrl)).then(function (r) {
        if (!r.ok) throw new Error(name + ": " + r.status);
        return r.json();
      });
      files[name].catch(function () { delete files[name]; });
    }
    return files[name];
  }
  function hex(key) {
    return Array.from(new TextEncoder().encode(key), function (b) {
      return b.toString(16).padStart(2, "0");
    }).join("");
  }
  function shardsFor(keys, word) {
    var base = null;
    keys.forEach(function (k) {
      if (word.startsWith(k) && (base === null || k.length > base.length)) base = k;
    });
    var out = base === null ? [] : [base];
    if (word.length >= MIN_PREFIX) {
      var deeper = keys.filter(function (k) { return k.length > word.length && k.startsWith(word); });
      if (deeper.length <= EXPAND) out = out.concat(deeper);
    }
    return out;
  }
  function plan(keys, words) {
    var wanted = words.map(function (w) { return shardsFor(keys, w); }), out = [];
    var ordered = wanted.filter(function (w) { return w.length; }).map(function (w) { return w[0]; });
    wanted.forEach(function (w) { ordered = ordered.concat(w.slice(1)); });
    ordered.forEach(function (k) { if (out.indexOf(k) < 0) out.push(k); });
    return out.slice(0, MAX_SHARDS);
  }
  // A word whose list is partial (negative idf: too common) adds to scores, not to words matched.
  function rank(shards, words) {
    var matched = new Map(), score = new Map();
    words.forEach(function (word) {
      var best = new Map(), partial = false;
      shards.forEach(function (shard) {
        Object.keys(shard).forEach(function (term) {
          var exact = term === word;
          if (!exact && !(word.length >= MIN_PREFIX && term.startsWith(word))) return;
          var flat = shard[term], factor = exact ? 2 : 1, idf = Math.abs(flat[0]), doc = 0;
          partial = partial || flat[0] < 0;
          for (var i = 1; i < flat.length; i += 2) {
            doc += flat[i];
            var value = flat[i + 1] * idf * factor;
            if (value > (best.get(doc) || 0)) best.set(doc, value);
          }
        });
      });
      best.forEach(function (value, doc) {
        matched.set(doc, (matched.get(doc) || 0) + (partial ? 0 : 1));
        score.set(doc, (score.get(doc) || 0) + value);
      });
    });
    return Array.from(score.keys()).sort(function (a, b) {
      return (matched.get(b) - matched.get(a)) || (score.get(b) - score.get(a)) || (a - b);
    });
  }
  function search(query) {
    var words = queryWords(query);
    if (!words.length) return Promise.resolve({ docs: [], words: words });
    return load("manifest.json").then(function (manifest) {
      var keys = plan(manifest.k, words);
      return Promise.all(keys.map(function (k) { return load("t-" + hex(k) + ".json"); })).then(function (shards) {
        return { docs: rank(shards, words), words: words, chunk: manifest.c };
      });
    });
  }
  function label(count) {
    var key = count === 0 ? "none" : count === 1 ? "one" : "other";
    // A plain number, as Material's search wrote it: toLocaleString's first call costs a phone
    // some 100-300 ms (ICU data), more than the rest of a search.
    return root.getAttribute("data-" + key).replace("#", String(count));
  }
  function item(doc, words) {
    var li = document.createElement("li"), a = document.createElement("a");
    var article = document.createElement("article"), h = document.createElement("h1"), p = document.createElement("p");
    li.className = "md-search-result__item";
    a.className = "md-search-result__link";
    a.href = new URL(doc[0], docsBase).href;
    article.className = "md-search-result__article md-typeset";
    h.textContent = doc[1];
    mark(p, doc[2], words);
    article.append(h, p);
    a.append(article);
    li.append(a);
    return li;
  }
  // The snippet with the query's words in <mark>, built from text nodes only.
  function mark(el, text, words) {
    (text.match(/[\p{L}\p{N}]+|[^\p{L}\p{N}]+/gu) || []).forEach(function (part) {
      var f = fold(part), hit = words.some(function (w) {
        return f === w || (w.length >= MIN_PREFIX && f.startsWith(w));
      });
      if (hit) {
        var m = document.createElement("mark");
        m.textContent = part;
        el.append(m);
      } else {
        el.append(document.createTextNode(part));
      }
    });
  }
  function showPage(result, mine) {
    var page = ranked.slice(shown, shown + PAGE);
    return Promise.all(page.map(function (doc) {
      return load("d-" + Math.floor(doc / result.chunk) + ".json").then(function (c) { return c[doc % result.chunk]; });
    })).then(function (docs) {
      if (mine !== serial) return;
      docs.forEach(function (d) { list.append(item(d, result.words)); });
      shown += docs.length;
      moreBand.hidden = shown >= ranked.length;
    });
  }
  var current = null;
  function run() {
    var mine = ++serial, query = input.value;
    if (!queryWords(query).length) {
      list.replaceChildren();
      moreBand.hidden = true;
      meta.textContent = root.getAttribute("data-placeholder");
      return Promise.resolve();
    }
    return search(query).then(function (result) {
      if (mine !== serial) return;
      current = result;
      ranked = result.docs;
      shown = 0;
      list.replaceChildren();
      var page = showPage(result, mine); // the chunks are on their way while the count is written
      meta.textContent = label(ranked.length);
      return page;
    }).catch(function () {
      if (mine === serial) meta.textContent = label(0);
    });
  }
  function open() {
    if (!toggle.checked) {
      toggle.checked = true;
      toggle.dispatchEvent(new Event("change"));
    }
  }
  function close() {
    toggle.checked = false;
    toggle.dispatchEvent(new Event("change"));
    input.blur();
  }
  function results() { return Array.from(list.querySelectorAll(".md-search-result__link")); }

  form.addEventListener("submit", function (e) {
    e.preventDefault();
    clearTimeout(timer);
    run().then(function () { var r = results(); if (r.length) r[0].focus(); });
  });
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(run, 80);
  });
  // Focusing the box starts a search: the manifest comes now, not after the first word.
  input.addEventListener("focus", function () {
    open();
    load("manifest.json").catch(function () {});
  });
  form.addEventListener("reset", function () {
    setTimeout(function () { run(); input.focus(); }, 0);
  });
  more.addEventListener("click", function () {
    var next = shown;
    if (current) showPage(current, serial).then(function () { var r = results(); if (r[next]) r[next].focus(); });
  });
  toggle.addEventListener("change", function () {
    if (toggle.checked && document.activeElement !== input) input.focus();
  });
  // Keyboard: "/" or "s" opens the search (as Material's did); Escape closes it; the arrow keys
  // move between the query and the results.
  document.addEventListener("keydown", function (e) {
    var el = document.activeElement, typing = el && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName));
    if (!toggle.checked) {
      if (!typing && !e.ctrlKey && !e.metaKey && !e.altKey && (e.key === "/" || e.key === "s" || e.key === "f")) {
        e.preventDefault();
        open();
        input.focus();
      }
      return;
    }
    if (e.key === "Escape") {
      e.preventDefault();
      close();
      return;
    }
    if (e.key !== "ArrowDown" && e.key !== "ArrowUp") return;
    var links = results(), at = links.indexOf(el);
    if (el !== input && at < 0) return;
    e.preventDefault();
    var next = e.key === "ArrowDown" ? at + 1 : at - 1;
    if (next < 0) input.focus();
    else if (next < links.length) links[next].focus();
  });
  // A result followed within the page (an anchor) closes the dialog.
  list.addEventListener("click", function (e) {
    if (e.target.closest && e.target.closest("a")) toggle.checked = false;
  });
  // Loaded once the reader opened the search (msme-search-load.js opened the dialog and focused
  // the box): carry on from there, with whatever was typed while this file arrived.
  if (toggle.checked || document.activeElement === input) {
    load("manifest.json").catch(function () {});
    if (input.value) run();
  }
  // For the tests: the ranking of a query (document ids), compared with msme.searchindex.ranked.
  window.msmeSearch = { fold: fold, words: queryWords, ranked: function (q) { return search(q).then(function (r) { return r.docs; }); } };
})();
