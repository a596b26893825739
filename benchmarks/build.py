"""Build benchmark (not run in CI): N fictional stories in the first L configured languages.

    ./dev bench [--stories 1000] [--languages 5] [--photos 10] [--keep DIR] [--parallel]

Prints in one run: the cold build (empty image and page caches), the clean render (image cache
warm, page cache off), the stock configuration (Material + static-i18n, no project code, stories
out of the nav) on the same Markdown and the ratio between the two, the builds after nothing and
after one story changed (page cache on), the peak memory of each build, the site's size, the
index bytes a reader's first search fetches, photos per second, what a 390-pixel phone
downloads for a story page on first visit and the time the preview takes to show a saved change.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from benchmarks.corpus import write_corpus
from msme.build import BuildOptions
from msme.siteconfig import dump_editable, load_editable, load_site_config

ROOT = Path(__file__).resolve().parents[1]
ENV = {**os.environ, "PYTHONPATH": f"{ROOT / 'scripts'}:{ROOT}", "NO_MKDOCS_2_WARNING": "1"}


def project(tmp: Path, docs: Path, langs: list[str], *, stock: bool = False) -> Path:
    """A config for the corpus in `langs` (the first configured ones): the project's own, or a
    stock Material + static-i18n one."""
    cfg = load_editable(ROOT / "mkdocs.yml")
    cfg["docs_dir"] = str(docs)
    for plugin in cfg["plugins"]:
        if isinstance(plugin, dict) and "i18n" in plugin:
            i18n = plugin["i18n"]
            i18n["languages"] = [lang for lang in i18n["languages"] if lang["locale"] in langs]
    if stock:
        cfg["theme"] = {"name": "material", "font": False, "language": "en"}
        cfg.pop("hooks", None)
        cfg.pop("extra_css", None)
    else:
        cfg["theme"]["custom_dir"] = str(ROOT / "overrides")
        cfg["hooks"] = [str(ROOT / "scripts/mkdocs_hooks.py")]
        cfg.setdefault("extra", {})["consent_file"] = str(ROOT / "data/consent.yml")
        cfg["extra"]["image_cache"] = str(tmp / "cache")
        cfg["extra"]["page_cache"] = str(tmp / "cache-pages")
    tmp.mkdir(parents=True, exist_ok=True)
    (tmp / "mkdocs.yml").write_text(dump_editable(cfg), encoding="utf-8")
    return tmp / "mkdocs.yml"


def timed_build(config: Path, out: Path, env: dict[str, str] | None = None) -> tuple[float, float]:
    """Wall seconds and peak resident memory (MiB, largest process) of one strict build."""
    shutil.rmtree(out, ignore_errors=True)
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config), "-d", str(out)],
        env=env or ENV,
        cwd=config.parent,
    )
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    if status != 0:
        raise SystemExit(f"build of {config} failed")
    return seconds, usage.ru_maxrss / 1024


def timed_parallel(config: Path, out: Path) -> tuple[float, float]:
    """Wall seconds and peak memory of the parallel build (one process per language, merged)."""
    shutil.rmtree(out, ignore_errors=True)
    start = time.perf_counter()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "msme",
            "build",
            "--dest",
            str(out),
            "--config",
            str(config),
            "--jobs",
            str(os.cpu_count() or 2),
        ],
        env=ENV,
        cwd=config.parent,
        stdout=subprocess.DEVNULL,
    )
    _, status, usage = os.wait4(proc.pid, 0)
    if status != 0:
        raise SystemExit("parallel build failed")
    return time.perf_counter() - start, usage.ru_maxrss / 1024


def size(path: Path) -> int:
    """Bytes under a folder."""
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def phone_load(site: Path, page: str) -> tuple[int, int]:
    """Bytes (uncompressed, read from the files) and requests of a first visit at 390×844, 3×."""
    sys.path.insert(0, str(ROOT / "tests"))
    from urllib.parse import urlsplit

    from playwright.sync_api import sync_playwright

    from conftest import CHROMIUM, CHROMIUM_ARGS, PREFIX, serve

    with serve(site) as base, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        tab = browser.new_page(viewport={"width": 390, "height": 844}, device_scale_factor=3, is_mobile=True)
        urls: list[str] = []
        tab.on("request", lambda r: urls.append(r.url))
        tab.goto(base + page, wait_until="networkidle")
        tab.wait_for_timeout(300)
        browser.close()
    files = [site / (urlsplit(u).path.removeprefix(PREFIX) or ".") for u in urls]
    return sum((f / "index.html" if f.is_dir() else f).stat().st_size for f in files), len(urls)


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def serve_loop(config: Path, story: Path) -> float:
    """Seconds from saving a change to one story until the preview serves it."""
    port = _free_port()
    env = {**ENV, "MSME_BUILD": BuildOptions(preview=True, serve_scope=True).to_json()}
    proc = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "-f", str(config), "-a", f"127.0.0.1:{port}"],
        env=env,
        cwd=config.parent,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/stories/{story.parent.name}/"
    try:
        deadline = time.time() + 600
        while time.time() < deadline and proc.poll() is None:
            try:  # ready once the home page is served (the story may be outside the preview's scope)
                urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2).read()
                break
            except OSError:
                time.sleep(0.5)
        if proc.poll() is not None:
            raise SystemExit("the preview server stopped")
        token = f"benchmark-edit-{int(time.time())}"
        start = time.perf_counter()
        story.write_text(story.read_text(encoding="utf-8") + f"\n{token}\n", encoding="utf-8")
        while time.perf_counter() - start < 120:
            try:
                if token in urllib.request.urlopen(url, timeout=2).read().decode():
                    return time.perf_counter() - start
            except OSError:
                pass
            time.sleep(0.1)
        return float("inf")
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def options_env(**options: bool) -> dict[str, str]:
    """The build environment with these `BuildOptions` (an option this version lacks is left out)."""
    known = {f.name for f in dataclasses.fields(BuildOptions)}
    return {**ENV, "MSME_BUILD": BuildOptions(**{k: v for k, v in options.items() if k in known}).to_json()}


def edit_story(story: Path) -> None:
    """Change one story's text, as an editor would."""
    story.write_text(story.read_text(encoding="utf-8") + "\nOne more fictional sentence.\n", encoding="utf-8")


def search_bytes(site: Path, lang: str) -> str:
    """The index bytes and time of a reader's first search (benchmarks/search.py), or why not."""
    try:
        from benchmarks.search import first_query
    except ImportError as exc:
        return f"not measured: benchmarks/search.py has no first_query ({exc})"
    data, ms = first_query(site, lang, "widgets")
    return f"{data / 1000:.0f} KB of index, first result after {ms:.0f} ms (Chromium, 4× CPU throttling)"


def photos_rate(folder: Path, count: int) -> str:
    """Cold photos per second of the image pipeline on phone-sized photos (benchmarks/images.py)."""
    try:
        from benchmarks.images import photos_per_second
    except ImportError as exc:
        return f"not measured: benchmarks/images.py has no photos_per_second ({exc})"
    from benchmarks.corpus import phone_photo

    sources = [phone_photo(folder / f"photo-{i:03d}.jpg", seed=i) for i in range(count)]
    return f"{photos_per_second(sources):.2f} photos/s ({count} photos of 4000×3000, cold, {os.cpu_count()} cores)"


class Runs(dict[str, tuple[float, float]]):
    """Build name -> (seconds, peak MiB); each line is printed as it comes (a run at 10,000
    stories takes most of an hour)."""

    def __setitem__(self, name: str, value: tuple[float, float]) -> None:
        super().__setitem__(name, value)
        print(f"  {name}: {value[0]:.1f} s, {value[1]:.0f} MiB", flush=True)


def build_runs(ours: Path, stock: Path, tmp: Path, *, no_booklet: bool, parallel: bool) -> Runs:
    """Every timed build of the corpus in `tmp/docs` into `tmp/site`, in an order where each finds
    the caches it is meant to find."""
    site, docs = tmp / "site", tmp / "docs"
    # --no-booklet: every build of ours leaves the booklet PDFs out (BuildOptions.booklet); they are
    # remade whenever a story changes, minutes at 1,000 stories, and would hide the page pipeline.
    base = {"booklet": False} if no_booklet else {}
    full = options_env(**base)
    runs = Runs()
    runs["cold build (empty image and page caches)"] = timed_build(ours, site, full)
    runs["nothing changed (page cache)"] = timed_build(ours, site, full)
    edit_story(docs / "stories/fictional-0000/index.md")
    runs["one story changed (page cache)"] = timed_build(ours, site, full)
    runs["clean render (images warm, page cache off)"] = timed_build(ours, site, options_env(**base, page_cache=False))
    runs["stock Material + static-i18n"] = timed_build(stock, tmp / "site-stock")
    if not no_booklet:  # the same change with the booklet left out: what the pages alone cost
        lean = options_env(booklet=False)
        runs["nothing changed, booklet left out"] = timed_build(ours, tmp / "site-lean", lean)
        edit_story(docs / "stories/fictional-0000/index.md")
        runs["one story changed, booklet left out"] = timed_build(ours, tmp / "site-lean", lean)
    if parallel:
        runs[f"parallel, warm ({os.cpu_count()} processes)"] = timed_parallel(ours, tmp / "site-par")
    return runs


def main() -> None:
    """Generate, build every way, print the table."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--stories", type=int, default=1000)
    parser.add_argument("--languages", type=int, default=5, help="the first N configured languages")
    parser.add_argument("--photos", type=int, default=10, help="distinct photos shared by the stories")
    parser.add_argument("--image-photos", type=int, default=8, help="phone photos for photos per second")
    parser.add_argument("--keep", type=Path, help="keep the corpus and sites in this folder")
    parser.add_argument("--parallel", action="store_true", help="also time the parallel build")
    parser.add_argument("--no-booklet", action="store_true", help="leave the booklet PDFs out of every build")
    args = parser.parse_args()
    langs = load_site_config().locales[: args.languages]
    tmp = args.keep or Path(tempfile.mkdtemp(prefix="msme-bench-"))
    print(f"corpus: {args.stories} fictional stories × {len(langs)} languages ({', '.join(langs)}) in {tmp}")
    start = time.perf_counter()
    shutil.rmtree(tmp / "docs", ignore_errors=True)
    docs = write_corpus(tmp / "docs", args.stories, langs, photos=args.photos, base=ROOT / "docs")
    print(f"corpus written in {time.perf_counter() - start:.1f} s", flush=True)
    ours, stock = project(tmp / "ours", docs, langs), project(tmp / "stock", docs, langs, stock=True)
    for cache in ("cache", "cache-pages"):
        shutil.rmtree(tmp / "ours" / cache, ignore_errors=True)
    site = tmp / "site"
    runs = build_runs(ours, stock, tmp, no_booklet=args.no_booklet, parallel=args.parallel)
    pages = len(list(site.rglob("index.html")))
    clean = runs["clean render (images warm, page cache off)"][0]
    print(f"\n{'build':<56}{'seconds':>9}{'peak MiB':>10}")
    for name, (seconds, mib) in runs.items():
        print(f"{name:<56}{seconds:>9.1f}{mib:>10.0f}")
    print(f"\npages built: {pages}, {pages / clean:.0f} pages/s (clean render)")
    print(f"ratio to stock (clean render): {clean / runs['stock Material + static-i18n'][0]:.2f}×")
    print(f"one story changed: {runs['one story changed (page cache)'][0]:.1f} s")
    print(f"nothing changed: {runs['nothing changed (page cache)'][0]:.1f} s")
    if "one story changed, booklet left out" in runs:
        print(f"one story changed, booklet left out: {runs['one story changed, booklet left out'][0]:.1f} s")
    print(f"peak memory: {max(mib for _, mib in runs.values()):.0f} MiB (largest process of any build)")
    mib = size(site) / 2**20
    print(f"site size: {mib:.1f} MiB ({mib / args.stories * 1000:.0f} MiB per 1,000 stories)")
    print(f"search, first query on the {langs[0]} home page: {search_bytes(site, langs[0])}", flush=True)
    print(f"images: {photos_rate(tmp / 'phone-photos', args.image_photos)}", flush=True)
    phone_bytes, requests = phone_load(site, "stories/fictional-0000/")
    print(f"story page on a 390 px phone, first visit: {phone_bytes / 1000:.0f} KB in {requests} requests")
    print(f"preview shows a saved story after: {serve_loop(ours, docs / 'stories/fictional-0000/index.md'):.1f} s")
    if not args.keep:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
