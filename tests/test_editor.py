"""The web editor (Decap CMS at /admin/): generated from the content model, and tried for real.

The browser test drives Decap in Chromium against Decap's own local backend (decap-server,
which writes into a copy of the repository) and checks the files it wrote with the validator.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from benchmarks.corpus import phone_photo
from PIL import Image

from conftest import FIXTURES, ROOT, Build, build, make_project, serve
from msme import editor, images, model
from msme.content import file_digest
from msme.siteconfig import load_site_config
from msme.translations import status
from msme.validate import load_site
from msme.vocab import load_vocab

SERVER = ROOT / "tools/node_modules/decap-server/dist/index.js"
LOCALES = ["en", "es", "fr", "it", "de"]


def _config(local_port: int | None = None) -> dict:
    return editor.config(load_vocab(), LOCALES, {"name": "github"}, "https://x.example/", local_port)


def _fields(cfg: dict, collection: str) -> dict[str, dict]:
    """Every field of a collection by dotted path (list items as [])."""
    out: dict[str, dict] = {}

    def walk(fields: list[dict], prefix: str) -> None:
        for f in fields:
            path = f"{prefix}.{f['name']}" if prefix else f["name"]
            out[path] = f
            if "fields" in f:
                walk(f["fields"], path + ("[]" if f["widget"] == "list" else ""))

    walk(next(c for c in cfg["collections"] if c["name"] == collection)["fields"], "")
    return out


def test_editor_fields_follow_the_content_model() -> None:
    fields = _fields(_config(), "stories")
    story = model.Story.model_fields
    # every field of the model is in the form, except the ones the build sets
    assert {n for n in story if n not in editor.HIDDEN} <= set(fields)
    assert not editor.HIDDEN & set(fields)
    # required where the model requires it
    assert fields["title"]["required"] and fields["collaboration_types"]["required"]
    assert not fields["duration_months"]["required"]
    assert (fields["duration_months"]["min"], fields["duration_months"]["max"]) == (1, 6)
    # controlled values come from the vocabularies the validator checks against
    countries = [o["value"] for o in fields["sending.country"]["options"]]
    assert countries == list(load_vocab().countries)
    assert fields["collaboration_types"]["multiple"] is True
    assert fields["images[].src"]["widget"] == "image"
    longest = fields["title"]["pattern"][0]  # the model's 140-character limit
    assert re.fullmatch(longest, "x" * 140) and not re.fullmatch(longest, "x" * 141)
    pattern = fields["period.start"]["pattern"][0]  # the model's YYYY-MM[-DD]
    assert re.fullmatch(pattern, "2023-05") and not re.fullmatch(pattern, "May 2023")
    # a translator sees exactly the fields a translation may set
    for path, field in fields.items():
        if "fields" not in field and path != "body":
            assert bool(field.get("i18n")) == model.is_translatable(path), path
    assert fields["sending"]["i18n"] and not fields.get("period", {}).get("i18n")


def test_editor_offers_no_list_of_people() -> None:
    """Consent ids are typed and checked against the slug pattern: the public config lists nobody."""
    expected = {
        "stories": {"people[].id", "quotes[].person", "images[].people"},
        "events": {"speakers[].person", "sessions[].speakers", "quotes[].person", "images[].people"},
    }
    for collection, paths in expected.items():
        fields = _fields(_config(), collection)
        for path in paths:
            field = fields[path].get("field", fields[path])  # a list of ids: one text per item
            assert (field["widget"], "options" in field, field["pattern"][1]) == ("string", False, editor.CONSENT_HINT)
            assert re.fullmatch(field["pattern"][0], "ana-lopez") and not re.fullmatch(field["pattern"][0], "Ana López")


def test_markdown_previews_are_sanitised() -> None:
    """Decap renders the text as HTML in its preview pane: every markdown widget sanitises it."""
    cfg = _config()
    markdown = [f for c in cfg["collections"] for f in _fields(cfg, c["name"]).values() if f["widget"] == "markdown"]
    assert len(markdown) == len(cfg["collections"])
    assert all(f["sanitize_preview"] is True for f in markdown)


def test_local_backend_only_when_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    """Decap's local backend is configured only under ./dev editor (MSME_EDITOR_LOCAL: its port)."""
    monkeypatch.delenv(editor.LOCAL_ENV, raising=False)
    assert editor.local_port() is None and "local_backend" not in _config(editor.local_port())
    monkeypatch.setenv(editor.LOCAL_ENV, "8081")
    cfg = _config(editor.local_port())
    assert cfg["local_backend"] == {"url": "http://localhost:8081/api/v1"}
    assert editor.origins(cfg)[0] == ["https://api.github.com", "http://localhost:8081"]
    monkeypatch.setenv(editor.LOCAL_ENV, "1; rm -rf")
    with pytest.raises(ValueError, match="port"):
        editor.local_port()


def test_the_built_site_serves_the_editor(real_site: Build) -> None:
    """/admin/ has Decap from the site itself, a strict policy, no local backend, and names nobody."""
    admin = real_site.site / "admin"
    text = (admin / "config.yml").read_text(encoding="utf-8")
    cfg = yaml.safe_load(text)
    assert "local_backend" not in cfg and "localhost" not in text
    for pid, record in load_site().consent.items():  # drafts' people included: nobody is named
        assert pid not in text and record.name not in text, pid
    assert cfg["i18n"] == {
        "structure": "multiple_files",
        "locales": load_site_config().locales,  # every language mkdocs.yml builds
        "default_locale": "en",
    }
    page = (admin / "index.html").read_text(encoding="utf-8")
    assert 'content="noindex, nofollow"' in page
    policy = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', page).group(1)
    assert "script-src 'self' 'unsafe-eval';" in policy and "connect-src 'self' blob: https://gitlab.com;" in policy
    assert "<script>" not in page  # no inline script: the policy allows none
    assert "//" not in "".join(re.findall(r'(?:src|href)="([^"]*)"', page))  # Decap's code from the site, no CDN
    assert (admin / "decap-cms.js").stat().st_size > 1_000_000
    assert "/admin/" not in (real_site.site / "sitemap.xml").read_text(encoding="utf-8")


def test_pkce_backends_need_no_server_of_our_own() -> None:
    """GitLab signs in with PKCE by default, its API under base_url; Gitea's and Forgejo's too."""
    gitlab = editor.backend_config({"name": "gitlab", "repo": "team/site", "app_id": "a1", "base_url": ""})
    assert gitlab == {
        "name": "gitlab",
        "repo": "team/site",
        "app_id": "a1",
        "auth_type": "pkce",
        "base_url": "https://gitlab.com",
        "auth_endpoint": "oauth/authorize",
        "api_root": "https://gitlab.com/api/v4",
    }
    forgejo = editor.backend_config({"name": "forgejo", "repo": "t/s", "app_id": "b2", "base_url": "https://git.test/"})
    assert forgejo["api_root"] == "https://git.test/api/v1" and "auth_type" not in forgejo
    assert editor.backend_config({"name": "github", "repo": "t/s", "app_id": ""}) == {"name": "github", "repo": "t/s"}


def test_deployed_editor_shows_its_gitlab_login(browser: object, tmp_path: Path) -> None:
    """With a PKCE backend and no local one, /admin/ loads under its policy and shows GitLab's
    sign-in, having asked no other host for anything."""
    backend = {"name": "gitlab", "repo": "fictional-team/site", "branch": "main", "app_id": "0123abcd"}
    cfg = editor.config(load_vocab(), LOCALES, backend, "https://x.example/")
    editor.write(tmp_path, ROOT / "tools", cfg)
    hosts: set[str] = set()
    with serve(tmp_path) as base:
        page = browser.new_page(viewport={"width": 1024, "height": 700})
        page.add_init_script(
            "window.msmeViolations = []; document.addEventListener('securitypolicyviolation', e =>"
            " window.msmeViolations.push(e.violatedDirective + ' ' + e.blockedURI));"
        )
        page.on("request", lambda r: hosts.add(urlsplit(r.url).hostname or r.url.split(":")[0]))
        page.goto(base + "admin/")
        button = page.get_by_role("button", name="Login with GitLab")
        button.wait_for()
        page.screenshot(path=str(tmp_path / "editor-login.png"))
        assert button.is_enabled()
        assert _violations(page) == []
        page.close()
    assert hosts <= {"127.0.0.1", "data", "blob"}, hosts


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def local_editor(tmp_path_factory: pytest.TempPathFactory) -> tuple[Build, int]:
    """A site built as `./dev editor` builds it: its editor uses the local backend on a free port."""
    port = _free_port()
    project = make_project(tmp_path_factory.mktemp("local"), FIXTURES / "xss", FIXTURES / "consent-empty.yml")
    result = build(project, {editor.LOCAL_ENV: str(port)})
    assert result.code == 0, result.output
    return result, port


@pytest.fixture
def repo(tmp_path: Path, local_editor: tuple[Build, int]) -> Iterator[tuple[Path, str]]:
    """A copy of the repository's content with decap-server writing into it, and the editor
    (from a build for the local backend) served next to it; yields (copy, editor URL)."""
    if not SERVER.is_file():
        pytest.fail(f"{SERVER} missing: run `npm ci --prefix tools` (./dev test does it)", pytrace=False)
    built, port = local_editor
    shutil.copytree(ROOT / "docs", tmp_path / "docs")
    shutil.copytree(ROOT / "data", tmp_path / "data")
    shutil.copytree(built.site / "admin", tmp_path / "site" / "admin")
    (tmp_path / "site/assets").mkdir()
    shutil.copy(built.site / "assets/logo.svg", tmp_path / "site/assets")  # the editor's icon
    env = {**os.environ, "MODE": "fs", "GIT_REPO_DIRECTORY": str(tmp_path), "PORT": str(port), "BIND_HOST": "127.0.0.1"}
    log = tmp_path / "decap-server.log"
    with log.open("w") as out:
        proc = subprocess.Popen(["node", str(SERVER)], env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.1)
        else:
            pytest.fail(f"decap-server did not start:\n{log.read_text()}", pytrace=False)
        with serve(tmp_path / "site") as base:
            yield tmp_path, base.replace("127.0.0.1", "localhost") + "admin/"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def _field(page: object, name: str, index: int = 0) -> str:
    """The id of the index-th input of a field named `name` (Decap numbers ids as it renders)."""
    ids = page.evaluate("(n) => Array.from(document.querySelectorAll(`[id^='${n}-field-']`)).map(e => e.id)", name)
    return "#" + ids[index]


def _in_pane(page: object, locale: str, name: str) -> str:
    """The id of field `name` in the side-by-side pane of one language."""
    script = """([locale, name]) => {
        const marker = Array.from(document.querySelectorAll('*'))
            .find(e => e.children.length === 0 && e.textContent.trim() === `Writing in ${locale}`);
        let pane = marker;
        while (pane && !pane.querySelector(`[id^='${name}-field-']`)) pane = pane.parentElement;
        return pane.querySelector(`[id^='${name}-field-']`).id;
    }"""
    return "#" + page.evaluate(script, [locale, name])


def _choose(page: object, name: str, text: str, index: int = 0) -> None:
    """Pick the option containing `text` in a select field (clicked, not guessed with Enter)."""
    page.click(_field(page, name, index))
    page.keyboard.type(text)
    page.locator("[id^='react-select'][id*='-option-']", has_text=text).first.click()


def _open(browser: object, url: str, hosts: set[str] | None = None) -> object:
    """A logged-in editor page (the local backend's login is one button); `hosts` collects
    the host of every request it makes; _violations() lists what its policy blocked."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.add_init_script(
        "window.msmeViolations = []; document.addEventListener('securitypolicyviolation', e =>"
        " window.msmeViolations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`));"
    )
    if hosts is not None:
        page.on("request", lambda r: hosts.add(urlsplit(r.url).hostname or r.url.split(":")[0]))
        page.on("response", lambda r: hosts.add(f"failed: {r.url}") if r.status >= 400 else None)
    page.goto(url)
    page.get_by_role("button", name="Login").click()
    page.get_by_text("Restoring pianos from Spain to Belgium").wait_for()  # existing stories are listed
    return page


def _violations(page: object) -> list[str]:
    """Everything the editor page's Content-Security-Policy blocked so far."""
    return page.evaluate("window.msmeViolations")


def _save(page: object) -> None:
    page.get_by_role("button", name="Save").first.click()  # Decap's "Publish"
    page.get_by_text("Save now").click()
    page.get_by_text("Entry saved").wait_for(timeout=15_000)


def _write_new_story(page: object, url: str, photo: Path) -> None:
    """Fill in a story as a communications officer would: facts, a source, a photo, two languages."""
    page.goto(url + "#/collections/stories/new")
    page.wait_for_selector("[id^=title-field-]")
    page.fill(_field(page, "title"), "Web editor test: a bakery learns to export")
    page.fill(_field(page, "summary"), "A baker from Spain spent three months with a Belgian bakery.")
    _choose(page, "status", "review")
    page.fill(_field(page, "published"), "2026-11-30")
    _choose(page, "country", "Spain", 0)
    _choose(page, "country", "Belgium", 1)
    page.fill(_field(page, "duration_months"), "3")
    _choose(page, "collaboration_types", "Know")
    page.get_by_role("button", name="Add sources").first.click()
    page.fill(_field(page, "url"), "https://mobilise-sme.eu/")
    page.fill(_field(page, "title", 1), "MobiliseSME")  # [1]: the source's title
    page.get_by_role("button", name="Add images").first.click()
    page.get_by_role("button", name="Choose an image").first.click()
    page.set_input_files("input[type=file]", str(photo))
    page.get_by_role("button", name="Choose selected").click()
    page.fill(_field(page, "alt"), "Bread on a workbench")
    page.fill(_field(page, "credit"), "MobiliseSME")
    page.fill(_in_pane(page, "ES", "title"), "Prueba del editor web")
    bodies = page.locator("[contenteditable=true]")  # English, then Spanish
    for index, text in enumerate(("A baker spent three months in Belgium.", "Un panadero pasó tres meses en Bélgica.")):
        for _ in range(5):  # the rich-text editor may take the focus a moment after the click
            bodies.nth(index).click()
            page.keyboard.press("Control+A")
            page.keyboard.type(text)
            if bodies.nth(index).inner_text().strip() == text:
                break


def test_a_story_written_in_the_web_editor_passes_validation(
    browser: object, repo: tuple[Path, str], tmp_path: Path
) -> None:
    root, url = repo
    photo = phone_photo(tmp_path / "workshop.jpg", 1600, 1200, gps=True)  # straight from a phone
    hosts: set[str] = set()
    page = _open(browser, url, hosts)
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        _write_new_story(page, url, photo)
        _save(page)
        violations = _violations(page)
    finally:
        page.screenshot(path=str(tmp_path / "editor.png"), full_page=True)
        page.close()
    assert not errors, errors
    assert violations == []
    # Decap's code, its configuration and its backend: all local, all found
    assert "localhost" in hosts and hosts <= {"localhost", "data", "blob"}, hosts
    folder = root / "docs/stories/web-editor-test-a-bakery-learns-to-export"
    written = sorted(p.name for p in folder.iterdir())
    # the original, the Spanish translation typed in, the photo; no empty fr/it/de files
    assert written == ["index.es.md", "index.md", "workshop.jpg"], written
    with Image.open(folder / "workshop.jpg") as stored:  # the position never reached the repository
        assert stored.size == (1600, 1200) and not stored.getexif() and not images.records_location(stored)
    original = (folder / "index.md").read_text(encoding="utf-8")
    translation = (folder / "index.es.md").read_text(encoding="utf-8")
    assert f'translation_of: "{file_digest((folder / "index.md").read_bytes())}"' in translation
    site = load_site(root / "docs", root / "data/consent.yml", load_site_config(ROOT / "mkdocs.yml"))
    rel = "stories/web-editor-test-a-bakery-learns-to-export/index.md"
    problems = [str(p) for p in site.problems if "web-editor-test" in p.path]
    assert problems == [], original + translation + "\n".join(problems)
    story = site.page("en", rel)
    assert story is not None and story.status == "review"
    assert (story.sending.country, story.host.country, story.duration_months) == ("ES", "BE", 3)
    assert story.images[0].src == "workshop.jpg"
    assert site.page("es", rel).title == "Prueba del editor web"


@pytest.mark.parametrize(
    ("edits", "outdated"),
    [
        ((("EN", " Revised."), ("ES", " Revisado.")), [x for x in load_site_config().locales[1:] if x != "es"]),
        ((("ES", " Revisado."),), []),  # a translator's fix: Decap rewrites the original's layout only
    ],
)
def test_editing_a_story_keeps_translations_honest(
    browser: object, repo: tuple[Path, str], edits: tuple[tuple[str, str], ...], outdated: list[str]
) -> None:
    """Changing the original's words outdates its translations, except one edited next to it;
    editing a translation alone outdates nothing."""
    root, url = repo
    page = _open(browser, url)
    try:
        page.get_by_text("Restoring pianos from Spain to Belgium").click()
        page.wait_for_selector("[id^=summary-field-]")
        for locale, extra in edits:
            field = _in_pane(page, locale, "summary")
            page.fill(field, page.input_value(field) + extra)
        _save(page)
        assert _violations(page) == []
    finally:
        page.close()
    folder = root / "docs/stories/silentium-piano-queens-pianos"
    site = load_site(root / "docs", root / "data/consent.yml", load_site_config(ROOT / "mkdocs.yml"))
    assert [str(p) for p in site.problems] == []
    rel = "stories/silentium-piano-queens-pianos/index.md"
    assert site.page("en", rel).summary.endswith("Revised.") == (len(edits) == 2)
    assert site.page("es", rel).summary.endswith("Revisado.")
    found = {st.lang: [path for path, _, _ in st.outdated] for st in status(site)}
    assert found == {lang: [rel.replace(".md", f".{lang}.md")] if lang in outdated else [] for lang in found}
    assert sorted(p.name for p in folder.glob("index*.md")) == sorted(
        f"index{'' if x == 'en' else '.' + x}.md" for x in load_site_config().locales
    )


def test_adapter_rules(browser: object, repo: tuple[Path, str]) -> None:
    """The adapter's file rules, run in the browser: names, front matter fences, blank and
    untranslated files, and the translation stamp."""
    _, url = repo
    page = _open(browser, url)
    try:
        result = page.evaluate(
            """async () => {
            const a = window.msmeAdapter;
            const table = '---\\nsteps:\\n  - title: Pay\\n    text: |\\n      | A | B |\\n'
                + '      |---|---|\\n---\\nBody\\n';
            return {
                repo: [a.toRepo('docs/stories/x/index.en.md'), a.toRepo('docs/stories/x/index.es.md'),
                       a.toRepo('docs/guides/faq.v2.en.md')],
                editor: [a.toEditor('docs/stories/x/index.md'), a.toEditor('docs/stories/x/index.fr.md'),
                         a.toEditor('docs/guides/faq.v2.md')],
                table: a.parts(table),
                kept: a.withoutEmpties('---\\ntitle: T\\ncollaboration_types: []\\nsending:\\n  name: ""\\n---\\nB'),
                blank: a.isUntranslated('---\\ncollaboration_types: []\\n---\\nWrite the story here.\\n', 'x'),
                copy: a.isUntranslated('---\\n---\\nSame text.\\n', '---\\ntitle: T\\n---\\nSame text.\\n'),
                written: a.isUntranslated('---\\ntitle: Título\\n---\\nSame text.\\n', '---\\n---\\nSame text.\\n'),
                stamped: a.stamp('---\\ntranslation_of: 0123\\ntitle: T\\n---\\n', '0e12345678ab'),
                read: a.stampOf('---\\ntranslation_of: "0e12345678ab"\\n---\\n'),
                tiff: await a.redraw(new File([new Uint8Array(8)], 'scan.tif', {type: 'image/tiff'}))
                    .then(() => 'stored', e => e.message),
                pdf: (await a.redraw(new File(['%PDF'], 'form.pdf', {type: 'application/pdf'}))).name,
            };
        }"""
        )
        assert _violations(page) == []
    finally:
        page.close()
    assert result["repo"] == ["docs/stories/x/index.md", "docs/stories/x/index.es.md", "docs/guides/faq.v2.md"]
    assert result["editor"] == ["docs/stories/x/index.en.md", "docs/stories/x/index.fr.md", "docs/guides/faq.v2.en.md"]
    assert "|---|---|" in result["table"]["front"] and result["table"]["body"] == "Body\n"
    assert result["kept"] == '---\ntitle: T\nsending:\n  name: ""\n---\nB'  # only top-level empties go
    assert result["blank"] and result["copy"] and not result["written"]
    assert result["stamped"] == '---\ntranslation_of: "0e12345678ab"\ntitle: T\n---\n'
    assert result["read"] == "0e12345678ab"
    assert result["tiff"].startswith("scan.tif: photos are stored as JPEG, PNG or WebP")  # could hold GPS
    assert result["pdf"] == "form.pdf"  # not a picture: passed on as it is
