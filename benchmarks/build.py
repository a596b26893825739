"""Build benchmark (not run in CI): N fictional stories in every configured language.

    ./dev bench [--stories 1000] [--photos 10]

Prints wall time, pages per second and peak memory of each build, the site's size, the search
index per language, what a 390-pixel phone downloads for a story page on first visit, the time
the local preview takes to show a saved change, and the same Markdown built with a stock
configuration (Material + static-i18n, no project code, stories out of the nav) for comparison.
"""

from __future__ import annotations

import argparse
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


def project(tmp: Path, docs: Path, *, stock: bool = False) -> Path:
    """A config for the corpus: the project's own, or a stock Material + static-i18n one."""
    cfg = load_editable(ROOT / "mkdocs.yml")
    cfg["docs_dir"] = str(docs)
    if stock:
        cfg["theme"] = {"name": "material", "font": False, "language": "en"}
        cfg.pop("hooks", None)
        cfg.pop("extra_css", None)
    else:
        cfg["theme"]["custom_dir"] = str(ROOT / "overrides")
        cfg["hooks"] = [str(ROOT / "scripts/mkdocs_hooks.py")]
        cfg.setdefault("extra", {})["consent_file"] = str(ROOT / "data/consent.yml")
        cfg["extra"]["image_cache"] = str(tmp / "cache")
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


def main() -> None:
    """Generate, build every way, print the table."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--stories", type=int, default=1000)
    parser.add_argument("--photos", type=int, default=10, help="distinct photos shared by the stories")
    parser.add_argument("--keep", type=Path, help="keep the corpus and sites in this folder")
    args = parser.parse_args()
    langs = load_site_config().locales
    tmp = args.keep or Path(tempfile.mkdtemp(prefix="msme-bench-"))
    print(f"corpus: {args.stories} fictional stories × {len(langs)} languages ({', '.join(langs)}) in {tmp}")
    docs = write_corpus(tmp / "docs", args.stories, langs, photos=args.photos, base=ROOT / "docs")
    ours, stock = project(tmp / "ours", docs), project(tmp / "stock", docs, stock=True)
    runs = {
        "project, cold image cache": timed_build(ours, tmp / "site"),
        "project, warm cache": timed_build(ours, tmp / "site"),
        f"project, warm, parallel ({os.cpu_count()} processes)": timed_parallel(ours, tmp / "site-par"),
        "project without lists/feeds/data (generators: false)": timed_build(
            ours, tmp / "site-nogen", {**ENV, "MSME_BUILD": BuildOptions(generators=False).to_json()}
        ),
        "stock Material + static-i18n": timed_build(stock, tmp / "site-stock"),
    }
    timed_build(ours, tmp / "site")  # leave the full site in place for the measurements below
    pages = len(list((tmp / "site").rglob("index.html")))
    warm, with_gen, without_gen = (
        runs["project, warm cache"],
        runs["project, warm cache"][0],
        runs["project without lists/feeds/data (generators: false)"][0],
    )
    print(f"\n{'build':<56}{'seconds':>9}{'peak MiB':>10}")
    for name, (seconds, mib) in runs.items():
        print(f"{name:<56}{seconds:>9.1f}{mib:>10.0f}")
    print(f"\npages built: {pages}, {pages / warm[0]:.0f} pages/s (warm)")
    print(f"ratio to stock: {warm[0] / runs['stock Material + static-i18n'][0]:.2f}×")
    print(f"generators' share of the warm build: {(with_gen - without_gen) / with_gen:.0%}")
    print(f"site size: {size(tmp / 'site') / 2**20:.1f} MiB")
    for lang in langs:
        index = tmp / "site" / ("" if lang == langs[0] else lang) / "search/search_index.json"
        print(f"search index {lang}: {index.stat().st_size / 2**20:.2f} MiB (fetched on the first search only)")
    phone_bytes, requests = phone_load(tmp / "site", "stories/fictional-0000/")
    print(f"story page on a 390 px phone, first visit: {phone_bytes / 1000:.0f} KB in {requests} requests")
    print(f"preview shows a saved story after: {serve_loop(ours, docs / 'stories/fictional-0000/index.md'):.1f} s")
    if not args.keep:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
