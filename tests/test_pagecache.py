"""The page cache: an incremental full build re-renders exactly the pages that depend on what
changed, and its output is byte-identical to a clean build (msme.pagecache)."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import zlib
from pathlib import Path

import pytest
from benchmarks.corpus import write_corpus

from conftest import ROOT, Build, build, make_project
from msme import pagecache
from msme.build import BuildOptions, prepare
from msme.content import file_digest
from msme.urls import lang_prefix

LANGS = [
    {"locale": "en", "name": "English", "default": True, "build": True},
    {"locale": "fr", "name": "Français", "build": True},
]
CHANGED = "stories/fictional-0003"  # the story the incremental build sees changed
EDITED = "stories/fictional-0005"  # the story whose text alone changes next
CLEAN = {"MSME_BUILD": BuildOptions(page_cache=False).to_json()}


def _files(site: Path) -> dict[str, str]:
    """Every file of a built site: path -> hash of its bytes."""
    return {
        p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in site.rglob("*")
        if p.is_file()
    }


def _reused(result: Build) -> int:
    """How many pages the build took from the cache before MkDocs read them (msme.pagereuse)."""
    found = re.findall(r"(\d+) of them never read by MkDocs", result.output)
    return int(found[0]) if found else 0


def _counts(result: Build) -> tuple[int, int]:
    """(rendered, from cache) as the build logged them."""
    found = re.findall(r"pages: (\d+) rendered, (\d+) from cache", result.output)
    assert len(found) == 1, result.output
    return int(found[0][0]), int(found[0][1])


def _entries(project: Path) -> dict[Path, str]:
    """The cache's entries: file -> the URL of the page it holds."""
    folder = project / pagecache.DEFAULT_FOLDER / "html"
    return {p: json.loads(zlib.decompress(p.read_bytes()))["url"] for p in folder.glob("*/*")}


def _ok(result: Build) -> Build:
    assert result.code == 0, result.output
    return result


def _retitle(docs: Path) -> None:
    """Give the story a new title in both languages; the translation follows the new original."""
    original = docs / CHANGED / "index.md"
    original.write_text(original.read_text(encoding="utf-8").replace("Fictional exchange 3:", "Retitled exchange 3:"))
    fr = docs / CHANGED / "index.fr.md"
    text = re.sub(r"translation_of: \w+", f"translation_of: {file_digest(original.read_bytes())}", fr.read_text())
    fr.write_text(text.replace("[fr] Fictional exchange 3:", "[fr] Retitled exchange 3:"), encoding="utf-8")


def _dependents(project: Path) -> set[str]:
    """The URLs of every page that shows the changed story, from the catalogues: the story itself,
    each list and facet page listing it, each story offering it among its related stories."""
    build_, _ = prepare(
        project / "mkdocs.yml", project / "docs", {"consent_file": str(ROOT / "data/consent.yml")}, BuildOptions()
    )
    rel = f"{CHANGED}/index.md"
    out = set()
    for lang, cat in build_.catalogues.items():
        prefix = lang_prefix(lang, build_.default)
        (entry,) = [e for e in cat.entries if e.rel == rel]
        out.add(prefix + entry.path)
        out |= {prefix + li.path for li in cat.listings if entry in li.entries}
        out |= {prefix + e.path for e in cat.entries if any(r.rel == rel for r in cat.related(e.rel))}
    return out


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """A two-language project with 12 fictional stories, built: cold, again unchanged, after one
    story changed; then the changed project built clean (no cache)."""
    tmp = tmp_path_factory.mktemp("pagecache")
    docs = write_corpus(tmp / "corpus", 12, ["en", "fr"], base=ROOT / "docs")
    project = make_project(tmp / "p", docs, keep_nav=True, languages=LANGS)
    out: dict[str, object] = {"project": project}
    out["cold"] = _ok(build(project))
    out["cold_files"] = _files(project / "site")
    out["unchanged"] = _ok(build(project))
    out["unchanged_files"] = _files(project / "site")
    before = set(_entries(project))
    _retitle(project / "docs")
    out["changed"] = _ok(build(project))
    out["changed_files"] = _files(project / "site")
    out["rerendered"] = {url for path, url in _entries(project).items() if path not in before}
    out["dependents"] = _dependents(project)
    before = set(_entries(project))
    story = project / "docs" / EDITED / "index.md"
    story.write_text(story.read_text(encoding="utf-8") + "\nOne more fictional sentence.\n", encoding="utf-8")
    out["edited"] = _ok(build(project))
    out["edited_files"] = _files(project / "site")
    out["edited_rendered"] = {url for path, url in _entries(project).items() if path not in before}
    out["clean"] = _ok(build(project, CLEAN))
    out["clean_files"] = _files(project / "site")
    return out


def test_nothing_changed_renders_nothing(builds: dict) -> None:
    """A second build with no change takes every page from the cache and writes the same site."""
    rendered, cached = _counts(builds["cold"])
    assert rendered > 0 and cached == 0
    assert _counts(builds["unchanged"]) == (0, rendered)
    assert builds["unchanged_files"] == builds["cold_files"]


def test_one_story_changed_renders_its_dependents(builds: dict) -> None:
    """Exactly the pages that show the story are rendered again: the story in each language, its
    list and facet pages, the stories that offer it as related."""
    total = _counts(builds["cold"])[0]
    rendered, cached = _counts(builds["changed"])
    dependents = builds["dependents"]
    assert len(dependents) > 2 * 2  # the story and at least one list per language, and more
    assert builds["rerendered"] == dependents
    assert (rendered, cached) == (len(dependents), total - len(dependents))


def test_text_edit_reuses_every_other_page_unread(builds: dict) -> None:
    """After a change to one story's text alone, only that page is rendered, and the pages no
    other page links to, outside the nav, are written from the cache without MkDocs reading them;
    a change to what lists show (the retitle) reuses none that way."""
    total = _counts(builds["cold"])[0]
    assert builds["edited_rendered"] == {EDITED + "/"}
    assert _counts(builds["edited"]) == (1, total - 1)
    reused = _reused(builds["edited"])
    assert total // 2 < reused < total - 1  # the story lists, nav and linked pages went through MkDocs
    assert _reused(builds["unchanged"]) >= reused
    assert _reused(builds["changed"]) == 0


def test_incremental_output_equals_clean_build(builds: dict) -> None:
    """Every file of the incremental builds is byte for byte the clean build's."""
    assert _counts(builds["clean"])[1] == 0
    assert builds["edited_files"] == builds["clean_files"]
    assert builds["changed_files"] != builds["cold_files"]  # the change did reach the site
    assert builds["edited_files"] != builds["changed_files"]


def test_template_change_renders_everything(builds: dict, tmp_path: Path) -> None:
    """A change to a template (or anything in the build's digest) misses every page."""
    project = builds["project"]
    templates = tmp_path / "overrides"
    shutil.copytree(ROOT / "overrides", templates)
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(str(ROOT / "overrides"), str(templates)))
    total = _counts(builds["cold"])[0]
    assert _counts(_ok(build(project))) == (total, 0)  # mkdocs.yml changed: a new digest
    assert _counts(_ok(build(project))) == (0, total)
    base = templates / "base.html"
    base.write_text(base.read_text(encoding="utf-8") + "{# changed #}\n", encoding="utf-8")
    assert _counts(_ok(build(project))) == (total, 0)


def test_digest_covers_labels_templates_config_and_options(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The build digest changes with a label, a template, mkdocs.yml or a build option, not
    with where the pages are rendered."""
    data, templates = tmp_path / "data", tmp_path / "overrides"
    shutil.copytree(ROOT / "data", data)
    shutil.copytree(ROOT / "overrides", templates)
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: x\n", encoding="utf-8")
    monkeypatch.setattr(pagecache, "DATA_DIR", data)
    first = pagecache.digest(config, templates, options={})
    assert pagecache.digest(config, templates, options={"only_langs": ["fr"], "page_cache": False}) == first
    assert pagecache.digest(config, templates, options={"preview": True}) != first
    label = data / "i18n" / "fr.yml"
    label.write_text(label.read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
    second = pagecache.digest(config, templates, options={})
    assert second != first
    (templates / "page.html").write_text("{# changed #}", encoding="utf-8")
    third = pagecache.digest(config, templates, options={})
    assert third != second
    config.write_text("site_name: y\n", encoding="utf-8")
    assert pagecache.digest(config, templates, options={}) != third


def test_unknown_values_are_not_cached(tmp_path: Path) -> None:
    """A value with no canonical form makes the page uncached (rendered), never a wrong hit."""
    cache = pagecache.PageCache(tmp_path, "d")

    def key(view: dict) -> str | None:
        return cache.key("en", "a.md", "a/", markdown="text", meta={}, view=view, links=[])

    assert key({"x": [1]}) is not None
    assert key({"x": object()}) is None
    assert key({"x": [1]}) != key({"x": [2]})
    assert key({"t": {"a": 1}}) == key({"t": {"a": 2}})  # labels are in the build's digest


def test_store_load_prune(tmp_path: Path) -> None:
    """Entries are written whole, read back with their state, and pruned when a build of the whole
    site did not use them."""
    cache = pagecache.PageCache(tmp_path, "d")
    entry = pagecache.Entry(
        "<p>x</p>", "a/", "a/index.html", ["top"], {"b.md": {"s": "b/#s"}}, {"search_records": [{"t": 1}]}
    )
    cache.store("ab" + "0" * 62, entry)
    assert cache.load("ab" + "0" * 62) == entry
    assert cache.load("cd" + "0" * 62) is None
    assert not list(tmp_path.rglob(".tmp-*"))
    later = pagecache.PageCache(tmp_path, "d")
    later.started += 10
    assert later.prune() == 1
    assert later.load("ab" + "0" * 62) is None


def test_link_targets() -> None:
    """The files a page's Markdown links, resolved from its folder, each with where it is."""
    text = "See [a](../other.md#x) and [b](https://example.org) and [c](sub/page.md).\n\n[r]: ref.md\n"
    found = pagecache.link_targets(text, "guides/page.md", lambda path: f"url:{path}")
    assert found == [
        ["../other.md", "url:other.md"],
        ["sub/page.md", "url:guides/sub/page.md"],
        ["ref.md", "url:guides/ref.md"],
    ]


def test_compressed_copies_are_kept_by_content(tmp_path: Path) -> None:
    """The hosting step compresses a file once: a later build with the same file takes its copies
    from the cache (same bytes); a changed file gets new ones and the old ones are removed."""
    from msme import hosting

    site, cache = tmp_path / "site", tmp_path / "cache"
    site.mkdir()
    (site / "a.html").write_text("<p>same</p>" * 200, encoding="utf-8")
    (site / "b.html").write_text("<p>before</p>" * 200, encoding="utf-8")
    first = hosting.precompress(site, cache)
    copies = {p.name: p.read_bytes() for p in site.glob("*.*.*")}
    kept = sorted(p.name for p in cache.rglob("*.*"))
    assert first[0] == 2 and len(copies) == 4 and len(kept) == 4
    assert hosting.precompress(site, cache) == first
    assert {p.name: p.read_bytes() for p in site.glob("*.*.*")} == copies
    assert sorted(p.name for p in cache.rglob("*.*")) == kept
    (site / "b.html").write_text("<p>after</p>" * 200, encoding="utf-8")
    for path in cache.rglob("*.*"):  # made by an earlier build
        os.utime(path, (path.stat().st_mtime - 10,) * 2)
    hosting.precompress(site, cache)
    now = sorted(p.name for p in cache.rglob("*.*"))
    assert len(now) == 4 and len(set(now) & set(kept)) == 2  # a.html's copies stay, b.html's replaced
    uncached = tmp_path / "plain"
    uncached.mkdir()
    for name in ("a.html", "b.html"):
        (uncached / name).write_bytes((site / name).read_bytes())
    hosting.precompress(uncached)
    assert {p.name: p.read_bytes() for p in uncached.glob("*.*.*")} == {
        p.name: p.read_bytes() for p in site.glob("*.*.*")
    }
