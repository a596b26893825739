"""A peer's audit: Lighthouse (mobile profile, Debian's Chromium) on the site served by nginx
with the generated configuration. Accessibility, best practices and SEO must score 100;
performance depends on timing and is reported by the benchmark, not asserted."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from conftest import CHROMIUM, ROOT, build, make_project, record, require_tool
from test_hosting import _free_port, nginx
from test_i18n import BUILT_LANGS

LIGHTHOUSE = ROOT / "tools" / "lighthouse.mjs"
PAGES = ["", "stories/", "stories/silentium-piano-queens-pianos/", "guides/who-can-take-part/"]
ASSERTED = ("accessibility", "best-practices", "seo")


def run_lighthouse(urls: list[str], categories: tuple[str, ...]) -> list[dict]:
    """One result per URL: category scores (0–1), the audits that lost points, CLS."""
    node = require_tool("node", "install Node.js (apt-get install nodejs npm)")
    if not (ROOT / "tools/node_modules/lighthouse").is_dir():
        pytest.fail("Lighthouse missing: run `npm ci --prefix tools` (./dev test does it)", pytrace=False)
    proc = subprocess.run(
        [node, str(LIGHTHOUSE), "--categories", ",".join(categories), *urls],
        capture_output=True,
        text=True,
        check=False,
        env={"CHROME_PATH": CHROMIUM, "PATH": "/usr/bin:/bin"},
        timeout=1800,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    return [json.loads(line) for line in proc.stdout.splitlines() if line.startswith("{")]


def test_lighthouse_scores_100(tmp_path: Path) -> None:
    """Home, the story list, a story and a guide in every language: accessibility, best practices
    and SEO at 100, served as deployed (nginx, headers, compression, canonical URLs on its origin)."""
    require_tool(CHROMIUM, "apt-get install chromium")
    port = _free_port()
    origin = f"http://127.0.0.1:{port}/"
    result = build(make_project(tmp_path, keep_nav=True), env={"MSME_SITE_URL": origin})
    assert result.code == 0, result.output
    urls = [f"{origin}{'' if lang == 'en' else lang + '/'}{page}" for lang in BUILT_LANGS for page in PAGES]
    with nginx(result.site, tmp_path / "nginx", port=port):
        results = run_lighthouse(urls, ASSERTED)
    assert [r["url"] for r in results] == urls
    below = []
    for r in results:
        lang = next((lang for lang in BUILT_LANGS if r["url"].startswith(f"{origin}{lang}/")), "en")
        lost = [k for k in ASSERTED if r["scores"].get(k) != 1]
        record("Lighthouse categories < 100", lang, len(lost))
        if lost or r["runtimeError"]:
            below.append(f"{r['url']}: {r['scores']} {r['lost']} {r['runtimeError'] or ''}")
    assert below == []
