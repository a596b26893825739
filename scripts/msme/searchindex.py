"""A static search index in small files, read on demand by `docs/assets/msme-search.js`.

One index per language folder (`<lang>/search/`):
- `manifest.json`: the number of documents, the chunk size and the sorted shard keys;
- `t-<hex of key>.json`: the terms whose longest shard key is `key`, each with its inverse
  document frequency and postings (document id, weight);
- `d-<n>.json`: documents n*CHUNK … n*CHUNK+CHUNK-1 as [url, title, snippet].

A first query fetches the manifest, the shards of its words and the chunks of its first page of
results (`plan`, `run`), so what a reader downloads grows with the query, not with the site. Shards
are split by longer prefixes until they fit `SHARD_BYTES`, so their size stays bounded as the site
grows. Words are folded (lower case, accents dropped, a few letters mapped) the same way here and
in the script, and matched as written or as a prefix: no stemmer, so Greek and Croatian are
treated like every other language.

`run` is the reference of the script's ranking: the quality tests query the written files with it
and a browser test checks the script returns the same results.
"""

from __future__ import annotations

import json
import math
import re
import shutil
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

MANIFEST = "manifest.json"
SHARD_BYTES = 16_000  # a shard is split by a longer prefix above this (unless it holds one word)
MAX_POSTINGS = 3_000  # a word in more documents keeps its best ones: it hardly tells them apart
CHUNK = 10  # documents per chunk file: a page of results touches at most PAGE chunks
PAGE = 10  # results shown at once
MIN_PREFIX = 3  # a word this long also matches longer words that start with it
EXPAND = 4  # a short word pulls in at most this many deeper shards for its prefix matches
MAX_TERMS = 8  # words of a query used
MAX_SHARDS = 10  # shards a query reads: with SHARD_BYTES, what bounds a first query's bytes
SNIPPET = 200  # characters of a document shown under its title
# Weights of where a word occurs: title, then fact-box words (companies, countries, sectors).
TITLE, FACTS, TEXT_CAP = 10, 5, 3

# Letters NFKD does not split into base + mark; the script maps the same ones (FOLD_MAP there).
_LETTERS = str.maketrans({"ß": "ss", "đ": "d", "ς": "σ", "ø": "o", "ł": "l", "æ": "ae", "œ": "oe", "ı": "i"})
_WORD = re.compile(r"[^\W_]+")


def fold(text: str) -> str:
    """Lower case without accents: what both sides compare (`Ελλάδα` → `ελλαδα`, `Đakovo` → `dakovo`)."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.category(c).startswith("M")).translate(_LETTERS)


def words(text: str) -> list[str]:
    """The folded words of a text, in order (letters and digits; one-letter words dropped)."""
    return [w for w in _WORD.findall(fold(text)) if len(w) > 1]


def snippet(text: str, limit: int = SNIPPET) -> str:
    """The start of a text, cut at a word boundary."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    return cut + " …"


def record(url: str, title: str, text: str, facts: str = "", summary: str = "") -> dict[str, Any]:
    """One searchable document, JSON-able: its address, title, snippet and word weights.

    Computed once per page, so a build that reuses a page's output reuses its record too. The
    weights are one string (`word:weight word:weight`): a build keeps every page's records, and
    one string costs a tenth of the memory of a dictionary (about 80 MiB less per 10,000 pages)."""
    weights: Counter[str] = Counter()
    for word in set(words(title)):
        weights[word] += TITLE
    for word in set(words(facts)):
        weights[word] += FACTS
    for word, count in Counter(words(text)).items():
        weights[word] += min(count, TEXT_CAP)
    packed = " ".join(f"{word}:{weight}" for word, weight in sorted(weights.items()))
    return {"u": url, "t": title, "s": snippet(summary or text), "w": packed}


def weights(rec: dict[str, Any]) -> dict[str, int]:
    """A record's word weights."""
    return {word: int(weight) for word, _, weight in (item.rpartition(":") for item in rec["w"].split())}


def shard_name(key: str) -> str:
    """The file of the shard `key`: ASCII whatever the alphabet."""
    return f"t-{key.encode('utf-8').hex()}.json"


def chunk_name(doc: int, chunk: int = CHUNK) -> str:
    """The file holding document `doc` (`chunk`: documents per file, the manifest's `c`)."""
    return f"d-{doc // chunk}.json"


def _dump(value: Any) -> str:
    """Compact JSON with <, > and & as escapes: titles are text, and no file of the index holds
    markup, even if it were ever served as HTML."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


def _postings(records: list[dict[str, Any]]) -> dict[str, list[int]]:
    """Per word: [idf, id, weight, id-delta, weight, …], ids ascending, idf a whole number so
    both sides rank with exact integer arithmetic. A word in more than MAX_POSTINGS documents
    keeps its best MAX_POSTINGS and a negative idf, which tells `rank` the list is partial."""
    found: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for doc, rec in enumerate(records):
        for word, weight in weights(rec).items():
            found[word].append((doc, weight))
    total = len(records)
    out = {}
    for word, hits in found.items():
        idf = max(1, round(10 * math.log(1 + total / len(hits))))
        kept = hits
        if len(hits) > MAX_POSTINGS:
            kept, idf = sorted(sorted(hits, key=lambda h: (-h[1], h[0]))[:MAX_POSTINGS]), -idf
        flat, last = [idf], 0
        for doc, weight in kept:
            flat += [doc - last, weight]
            last = doc
        out[word] = flat
    return out


def _split(
    key: str, entries: dict[str, list[int]], sizes: dict[str, int], out: dict[str, dict[str, list[int]]]
) -> None:
    """Put `entries` (words starting with `key`) in shards no bigger than SHARD_BYTES where a
    longer prefix can split them; words exactly `key` long stay in `key`'s shard. `sizes`: each
    word's bytes in a shard, measured once."""
    size = sum(sizes[w] for w in entries)
    longer = {w: v for w, v in entries.items() if len(w) > len(key)}
    if size <= SHARD_BYTES or not longer:
        out[key] = entries
        return
    exact = {w: v for w, v in entries.items() if len(w) == len(key)}
    if exact:
        out[key] = exact
    groups: dict[str, dict[str, list[int]]] = defaultdict(dict)
    for word, value in longer.items():
        groups[word[: len(key) + 1]][word] = value
    for sub, group in groups.items():
        _split(sub, group, sizes, out)


def write(records: Iterable[dict[str, Any]], out_dir: Path) -> dict[str, int]:
    """Write the index of `records` into `out_dir` (replacing what was there); return file → bytes."""
    docs = sorted(records, key=lambda r: r["u"])
    postings = _postings(docs)
    shards: dict[str, dict[str, list[int]]] = {}
    firsts: dict[str, dict[str, list[int]]] = defaultdict(dict)
    for word, value in postings.items():
        firsts[word[0]][word] = value
    sizes = {word: len(_dump(value)) + len(word.encode("utf-8")) + 4 for word, value in postings.items()}
    for key, group in firsts.items():
        _split(key, group, sizes, shards)
    if out_dir.exists():
        shutil.rmtree(out_dir)
    out_dir.mkdir(parents=True)
    files = {MANIFEST: _dump({"v": 1, "n": len(docs), "c": CHUNK, "k": sorted(shards)})}
    for key, group in shards.items():
        files[shard_name(key)] = _dump(dict(sorted(group.items())))
    for start in range(0, len(docs), CHUNK):
        files[chunk_name(start)] = _dump([[r["u"], r["t"], r["s"]] for r in docs[start : start + CHUNK]])
    sizes = {}
    for name, text in files.items():
        data = text.encode("utf-8")
        (out_dir / name).write_bytes(data)
        sizes[name] = len(data)
    return sizes


def documents(index_dir: Path) -> list[list[str]]:
    """Every document of a written index as [url, title, snippet], in id order."""
    manifest = json.loads((index_dir / MANIFEST).read_text(encoding="utf-8"))
    out: list[list[str]] = []
    for start in range(0, manifest["n"], manifest["c"]):
        out += json.loads((index_dir / chunk_name(start, manifest["c"])).read_text(encoding="utf-8"))
    return out


def query_words(query: str) -> list[str]:
    """The distinct words of a query, in order, at most MAX_TERMS."""
    return list(dict.fromkeys(words(query)))[:MAX_TERMS]


def shards_for(keys: list[str], word: str) -> list[str]:
    """The shard keys that hold `word` and, for a word of MIN_PREFIX letters or more, the words
    starting with it: the longest key `word` starts with, plus up to EXPAND deeper keys."""
    base = max((k for k in keys if word.startswith(k)), key=len, default=None)
    out = [base] if base is not None else []
    if len(word) >= MIN_PREFIX:
        deeper = [k for k in keys if len(k) > len(word) and k.startswith(word)]
        if len(deeper) <= EXPAND:
            out += deeper
    return out


def plan(keys: list[str], qwords: list[str]) -> list[str]:
    """The shards a query reads, in order, at most MAX_SHARDS: each word's own shard first."""
    wanted = [shards_for(keys, w) for w in qwords]
    ordered = [w[0] for w in wanted if w] + [k for w in wanted for k in w[1:]]
    return list(dict.fromkeys(ordered))[:MAX_SHARDS]


def rank(shards: dict[str, dict[str, list[int]]], qwords: list[str]) -> list[int]:
    """Document ids best first: most query words matched, then the highest score. A word scores
    weight × idf for each indexed word equal to it (twice) or, at MIN_PREFIX letters, starting
    with it (once); a document takes its best match per query word. A word whose list is
    partial (too common) adds to scores but not to the words matched."""
    matched: Counter[int] = Counter()
    score: Counter[int] = Counter()
    for word in qwords:
        best: dict[int, int] = {}
        partial = False
        for shard in shards.values():
            for term, flat in shard.items():
                exact = term == word
                if not exact and not (len(word) >= MIN_PREFIX and term.startswith(word)):
                    continue
                factor, idf, doc = (2 if exact else 1), abs(flat[0]), 0
                partial = partial or flat[0] < 0
                for i in range(1, len(flat), 2):
                    doc += flat[i]
                    value = flat[i + 1] * idf * factor
                    if value > best.get(doc, 0):
                        best[doc] = value
        for doc, value in best.items():
            matched[doc] += 0 if partial else 1
            score[doc] += value
    return sorted(score, key=lambda d: (-matched[d], -score[d], d))


def ranked(load: Callable[[str], Any], query: str) -> list[int]:
    """Every document id matching `query`, best first, reading the shards through `load`."""
    qwords = query_words(query)
    if not qwords:
        return []
    shards = {k: load(shard_name(k)) for k in plan(load(MANIFEST)["k"], qwords)}
    return rank(shards, qwords)


def run(load: Callable[[str], Any], query: str, limit: int = PAGE) -> list[dict[str, str]]:
    """The first page of results for `query`, reading the index through `load(file name)`:
    [{url, title, snippet}], best first. `load` sees exactly the files the script fetches."""
    manifest = load(MANIFEST) if query_words(query) else {}
    results = []
    for doc in ranked(load, query)[:limit]:
        url, title, snip = load(chunk_name(doc, manifest["c"]))[doc % manifest["c"]]
        results.append({"url": url, "title": title, "snippet": snip})
    return results


class Folder:
    """`load` for `run` over a written index; remembers the files read and their bytes."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.fetched: dict[str, int] = {}
        self._cache: dict[str, Any] = {}

    def __call__(self, name: str) -> Any:
        if name not in self._cache:
            data = (self.path / name).read_bytes()
            self.fetched[name] = len(data)
            self._cache[name] = json.loads(data)
        return self._cache[name]


def first_query(index_dir: Path, query: str) -> tuple[list[dict[str, str]], dict[str, int]]:
    """Results of a reader's first query and the files (name → bytes) it fetches."""
    folder = Folder(index_dir)
    return run(folder, query), folder.fetched
