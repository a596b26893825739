"""Static quality gates on the built site, all languages: valid HTML, links, head metadata, JSON-LD."""

from __future__ import annotations

import json
import subprocess
from collections import Counter

import pytest

from conftest import ROOT, Build, lang_of, record, require_tool
from msme import linkcheck, seo
from msme.siteconfig import load_site_config
from test_i18n import BUILT_LANGS

VNU = ROOT / "tools/node_modules/vnu-jar/build/dist/vnu.jar"
SITE_URL = "https://mobilise-sme.example.org/"


@pytest.fixture(scope="module")
def pages(real_site: Build) -> dict[str, linkcheck.ParsedPage]:
    """Every built HTML page, parsed once."""
    return linkcheck.html_pages(real_site.site)


def test_nu_html_checker_finds_no_errors(real_site: Build) -> None:
    """The current Nu HTML Checker reports 0 errors on every page in every language."""
    java = require_tool("java", "install a Java runtime (apt-get install default-jre-headless)")
    if not VNU.is_file():
        pytest.fail(f"{VNU} missing: run `npm ci --prefix tools` (./dev test does it)", pytrace=False)
    proc = subprocess.run(
        [java, "-jar", str(VNU), "--format", "json", "--skip-non-html", "--errors-only", str(real_site.site)],
        capture_output=True,
        text=True,
        check=False,
    )
    messages = json.loads(proc.stderr or proc.stdout or '{"messages": []}')["messages"]
    errors = [m for m in messages if m["type"] == "error" or m.get("subType") == "fatal"]
    per_lang = Counter(lang_of(m["url"].split(str(real_site.site) + "/", 1)[-1], BUILT_LANGS) for m in errors)
    for lang in BUILT_LANGS:
        record("HTML errors", lang, per_lang.get(lang, 0))
    assert [f"{m['url']}:{m.get('lastLine')}: {m['message']}" for m in errors] == []
    assert len(list(real_site.site.rglob("*.html"))) > 50


def test_every_link_and_anchor_resolves(real_site: Build, pages: dict) -> None:
    """Every internal link and #anchor on every page points to something that exists."""
    broken = linkcheck.broken_links(real_site.site, SITE_URL, pages)
    per_lang = Counter(lang_of(b.split(":", 1)[0], BUILT_LANGS) for b in broken)
    for lang in BUILT_LANGS:
        record("broken links and anchors", lang, per_lang.get(lang, 0))
    assert broken == []
    assert sum(len(p.links) for p in pages.values()) > 1000  # the checker really looked


def test_link_checker_catches_breakage(tmp_path) -> None:
    """A missing page and a missing anchor are both reported."""
    (tmp_path / "a").mkdir()
    (tmp_path / "index.html").write_text(
        '<p id="here"><a href="a/">ok</a> <a href="b/">gone</a> <a href="#here">ok</a> <a href="a/#nowhere">bad</a></p>'
    )
    (tmp_path / "a/index.html").write_text("<p>A</p>")
    broken = linkcheck.broken_links(tmp_path, SITE_URL)
    assert broken == [
        "index.html: a.href b/: no such file",
        "index.html: a.href a/#nowhere: no element with id 'nowhere' in a/index.html",
    ]


def test_every_page_has_its_meta_tags(pages: dict) -> None:
    """Title, unique description, canonical, og:title/description/image (absolute) and twitter:card."""
    missing = linkcheck.missing_meta(pages)
    per_lang = Counter(lang_of(m.split(":", 1)[0], BUILT_LANGS) for m in missing)
    for lang in BUILT_LANGS:
        record("pages missing meta tags", lang, per_lang.get(lang, 0))
    assert missing == []


def _types(page: linkcheck.ParsedPage) -> dict[str, dict]:
    return {item["@type"]: item for item in linkcheck.jsonld(page)}


def test_structured_data(real_site: Build, pages: dict) -> None:
    """JSON-LD parses everywhere; on every page the configured publisher as Organization (not the
    programme) and the site, about the programme; Article on stories, by the publisher; Event on the recap."""
    identity, programme_url = load_site_config().identity, seo.PROGRAMME_URL
    bad = []
    for rel, page in pages.items():
        if rel.endswith("404.html"):
            continue
        types = _types(page)
        org = types.get("Organization", {})
        if not all(org.get(k) for k in ("name", "url", "logo")):
            bad.append(f"{rel}: Organization incomplete")
        if org.get("name") != identity.publisher or programme_url in org.get("sameAs", []):
            bad.append(f"{rel}: Organization is not the configured publisher")
        if types.get("WebSite", {}).get("about", {}).get("url") != programme_url:
            bad.append(f"{rel}: WebSite is not about the programme")
        if '<article class="msme-story">' in (real_site.site / rel).read_text(encoding="utf-8"):
            art = types.get("Article", {})
            for key in ("headline", "image", "datePublished", "author", "publisher", "about"):
                if not art.get(key):
                    bad.append(f"{rel}: Article lacks {key}")
            if len(art.get("headline", "")) > 110:
                bad.append(f"{rel}: Article headline over 110 characters")
            by, about = art.get("author", {}).get("name"), art.get("about", {}).get("url")
            if by != identity.publisher or about != programme_url:
                bad.append(f"{rel}: Article not by the publisher about the programme")
        if rel.endswith("events/final-conference/index.html"):
            ev = types.get("Event", {})
            for key in ("name", "startDate", "location", "image", "description", "organizer"):
                if not ev.get(key):
                    bad.append(f"{rel}: Event lacks {key}")
            if ev.get("location", {}).get("address", {}).get("addressLocality") is None:
                bad.append(f"{rel}: Event location has no address")
    record("structured data problems", "en", len(bad))
    assert bad == []
    event = _types(pages["events/final-conference/index.html"])["Event"]
    assert event["startDate"] == "2023-03-14" and event["location"]["address"]["addressCountry"] == "BE"
