"""Search benchmark (not run in CI): what a reader's first search downloads and how long its
results take on a throttled phone.

    PYTHONPATH=scripts:. .venv/bin/python -m benchmarks.search --site /tmp/site [--stories 10000]

`first_query(site_dir, lang, query)` is what the build benchmark calls on the site it built.
With `--stories N`, each language's index of a copy of the site is replaced by one of N
synthetic stories (`synthetic_records`), so the script is measured at a size no real build here
reaches quickly; the records have the shape and vocabulary size of real ones (title, summary,
companies, countries, sector, 600 characters of text).
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from msme import searchindex

ROOT = Path(__file__).resolve().parents[1]
THROTTLE = 4  # Chromium's CPU slow-down: a mid-range phone
COUNTRIES = ["Spain", "Belgium", "Italy", "France", "Germany", "Poland", "Portugal", "Greece", "Croatia", "Serbia"]
SECTORS = ["Manufacturing", "Retail", "Tourism", "Information", "Consulting", "Agriculture", "Education", "Culture"]


def synthetic_records(n: int, seed: int = 0) -> list[dict[str, Any]]:
    """N fictional story records: two companies, two countries, a sector and about 90 words of
    text drawn from a 5,000-word vocabulary with a Zipf-like spread, as real text has."""
    rng = random.Random(seed)
    vocab = [f"w{rng.randrange(36**4):x}{i}" for i in range(5000)]
    weights = [1 / (rank + 1) for rank in range(len(vocab))]
    out = []
    for i in range(n):
        title = f"Fictional exchange {i}: Example Widgets {i} and Imaginary Tools {i}"
        summary = f"A fictional story number {i}, about two companies that do not exist."
        countries = f"{COUNTRIES[i % len(COUNTRIES)]} {COUNTRIES[(i * 7 + 3) % len(COUNTRIES)]}"
        facts = f"{summary} Example Widgets {i} Imaginary Tools {i} {countries} {SECTORS[i % len(SECTORS)]} training"
        text = " ".join(rng.choices(vocab, weights, k=90))
        out.append(searchindex.record(f"stories/fictional-{i:05d}/", title, text, facts, summary))
    return out


def _for_search(url: str) -> bool:
    """A request a search makes: the index files or the search script (not its small loader)."""
    return "/search/" in url or url.endswith("/msme-search.js")


def first_query(site_dir: Path, lang: str, query: str, default: str = "en") -> tuple[int, float]:
    """Bytes a reader's first search for `query` fetches on `lang`'s home page (the index files and
    the search script, which is loaded on the first search too), and the
    milliseconds from the query entered to the first result shown, in Chromium at 390 px under
    4× CPU throttling (CDP Emulation.setCPUThrottlingRate)."""
    sys.path.insert(0, str(ROOT / "tests"))
    from playwright.sync_api import sync_playwright

    from conftest import CHROMIUM, CHROMIUM_ARGS, PREFIX, serve

    home = "" if lang == default else f"{lang}/"
    with serve(site_dir) as base, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            tab = browser.new_page(viewport={"width": 390, "height": 844}, device_scale_factor=3, is_mobile=True)
            fetched: list[str] = []
            tab.on("request", lambda r: fetched.append(r.url) if _for_search(r.url) else None)
            tab.goto(base + home, wait_until="networkidle")
            if fetched:
                raise AssertionError(f"index fetched before any search: {fetched}")
            cdp = tab.context.new_cdp_session(tab)
            cdp.send("Emulation.setCPUThrottlingRate", {"rate": THROTTLE})
            tab.click("label.md-header__button[for=__search]")
            # Timed in the page: from the query entered to the first result put in the list.
            start = tab.evaluate(
                """q => { window.msmeShown = 0;
                new MutationObserver(() => { window.msmeShown = window.msmeShown || performance.now(); })
                  .observe(document.querySelector('.md-search-result__list'), {childList: true});
                const i = document.querySelector('.md-search__input'); i.value = q;
                i.dispatchEvent(new Event('input')); return performance.now(); }""",
                query,
            )
            tab.wait_for_selector(".md-search-result__item", timeout=30000)
            ms = tab.evaluate("window.msmeShown") - start
            tab.wait_for_load_state("networkidle")
        finally:
            browser.close()
    files = [site_dir / urlsplit(u).path.removeprefix(PREFIX) for u in fetched]
    return sum(f.stat().st_size for f in files), ms


def replace_indexes(site_dir: Path, langs: list[str], default: str, n: int) -> dict[str, int]:
    """Write an index of `n` synthetic stories in every language folder; bytes per language."""
    records = synthetic_records(n)
    out = {}
    for lang in langs:
        sizes = searchindex.write(records, site_dir / ("" if lang == default else lang) / "search")
        out[lang] = sum(sizes.values())
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, required=True, help="a built site (./dev build --dest DIR)")
    parser.add_argument("--stories", type=int, default=0, help="replace the indexes by N synthetic stories")
    parser.add_argument("--query", default="Spain")
    parser.add_argument("--langs", default="en,es,fr,it,de")
    args = parser.parse_args()
    langs = args.langs.split(",")
    site = args.site
    tmp = None
    if args.stories:
        tmp = Path(tempfile.mkdtemp(prefix="msme-search-bench-"))
        site = tmp / "site"
        shutil.copytree(args.site, site, symlinks=True)
        started = time.perf_counter()
        totals = replace_indexes(site, langs, langs[0], args.stories)
        took = time.perf_counter() - started
        print(f"synthetic index: {args.stories} stories × {len(langs)} languages written in {took:.1f} s")
        for lang, total in totals.items():
            print(f"search index {lang}: {total / 2**20:.2f} MiB on disk")
    try:
        for lang in langs:
            index = site / ("" if lang == langs[0] else lang) / "search"
            _, files = searchindex.first_query(index, args.query)
            got, ms = first_query(site, lang, args.query, langs[0])
            print(
                f"search {lang} {args.query!r}: first query {got / 1000:.0f} KB in {len(files)} files "
                f"(core says {sum(files.values()) / 1000:.0f} KB), first result after {ms:.0f} ms at {THROTTLE}× CPU"
            )
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
