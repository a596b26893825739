"""Going live: one publisher identity, the production build's refusals, robots.txt and the sitemap
index, and the deploy pipelines checked against GitHub's and GitLab's own schemas."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from html import unescape
from pathlib import Path

import pytest
import yaml
from mkdocs.config import load_config

from conftest import ROOT, Build, build, make_project
from msme import golive, linkcheck, publisher, seo, sitemap
from msme.build import ENV as BUILD_ENV
from msme.build import BuildOptions
from msme.siteconfig import EnvTag, Identity, Language, SiteConfig, dump_editable, load_editable, load_site_config
from msme.validate import load_site

CONFIG = ROOT / "mkdocs.yml"
WORKFLOW = ROOT / ".github/workflows/deploy.yml"
GITLAB = ROOT / ".gitlab-ci.yml"
# What today's mkdocs.yml, with nothing set in the environment, is refused for.
REFUSED_TODAY = [
    (
        "mkdocs.yml: site_url: 'https://mobilise-sme.example.org/' is a placeholder: example.org is reserved for "
        "examples (RFC 2606) (set MSME_SITE_URL, or extra.identity.site_url in mkdocs.yml, to the address the site "
        "is published at)"
    ),
    (
        "mkdocs.yml: extra.identity.legal_name: not set: the legal notice must name who is responsible for the site "
        "(set MSME_LEGAL_NAME, or extra.identity.legal_name in mkdocs.yml, to the publisher's legal name)"
    ),
    (
        "mkdocs.yml: extra.identity.email: 'editors@mobilise-sme.example.org' is a placeholder: example.org is "
        "reserved for examples (RFC 2606) (set MSME_CONTACT_EMAIL, or extra.identity.email in mkdocs.yml, to an "
        "address someone reads: the privacy, accessibility and legal pages give it for removal requests)"
    ),
    (
        "mkdocs.yml: extra.identity.editor_backend.repo: 'OWNER/REPOSITORY' is a placeholder (set MSME_EDITOR_REPO, "
        "or extra.identity.editor_backend.repo in mkdocs.yml, to the repository the web editor saves to, as "
        "owner/name)"
    ),
    (
        "mkdocs.yml: extra.identity.editor_backend.app_id: not set: editors could not sign in (set "
        "MSME_EDITOR_APP_ID, or extra.identity.editor_backend.app_id in mkdocs.yml, to the id of an OAuth application "
        "registered on the Git host, with the site's admin/ address as its redirect URL; DEPLOY.md)"
    ),
]
# A fictional publisher with real-looking values (no reserved name): what a deployment sets.
REAL = {
    "MSME_SITE_URL": "https://stories.fictional-agency.eu/",
    "MSME_PUBLISHER": "Fictional Agency",
    "MSME_LEGAL_NAME": "Fictional Agency Ltd",
    "MSME_CONTACT_EMAIL": "editors@fictional-agency.eu",
    "MSME_EDITOR_REPO": "fictional-agency/knowledge-site",
    "MSME_EDITOR_APP_ID": "fictional-oauth-application-id",
}


def _identity_variables() -> set[str]:
    """Every environment variable mkdocs.yml's identity block reads (!ENV), in any order of fallback."""

    def walk(node: object) -> set[str]:
        if isinstance(node, EnvTag):
            return set(node[:-1] if len(node) > 1 else node)
        if isinstance(node, dict):
            return {name for value in node.values() for name in walk(value)}
        return set()

    return walk(load_editable(CONFIG)["extra"]["identity"])


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """No MSME_* variable set (a CI machine may have some); returns the environment for subprocesses."""
    for name in [n for n in os.environ if n.startswith("MSME_")]:
        monkeypatch.delenv(name)
    return {**os.environ, "PYTHONPATH": f"{ROOT / 'scripts'}:{ROOT}", "NO_MKDOCS_2_WARNING": "1"}


def test_placeholders_are_refused_one_line_each(clean_env: dict) -> None:
    """Today's configuration is refused for its placeholder URL, e-mail and repository and its missing
    legal name: one line each, naming the setting and the fix (as DEPLOY.md shows them)."""
    assert [str(p) for p in golive.check(CONFIG)] == REFUSED_TODAY
    assert "\n".join(REFUSED_TODAY) in (ROOT / "DEPLOY.md").read_text(encoding="utf-8")


def test_production_command_refuses_and_builds_nothing(clean_env: dict, tmp_path: Path) -> None:
    """`./dev build --production` prints exactly those lines, exits 1 and writes no site."""
    proc = subprocess.run(
        [sys.executable, "-m", "msme", "build", "--production", "--dest", str(tmp_path / "site")],
        capture_output=True,
        text=True,
        env=clean_env,
        check=False,
    )
    assert proc.returncode == 1
    assert proc.stderr.splitlines() == [*REFUSED_TODAY, "Not ready for production: 5 problem(s); nothing was built."]
    assert not (tmp_path / "site").exists()


def test_real_values_pass(clean_env: dict, monkeypatch: pytest.MonkeyPatch) -> None:
    """With a real address, publisher, legal name, mailbox and repository nothing is refused, also for an
    address given without its trailing slash (as a pipeline's variable may be)."""
    for name, value in REAL.items():
        monkeypatch.setenv(name, value)
    assert golive.check(CONFIG) == []
    monkeypatch.setenv("MSME_SITE_URL", "https://stories.fictional-agency.eu/knowledge")
    assert golive.check(CONFIG) == []


def test_authoring_modes_and_local_editing_are_refused(
    clean_env: dict, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Preview, a fixed date, Decap's local backend and a second, differing editor backend are refused."""
    for name, value in REAL.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("MSME_BUILD", '{"preview": true, "today": "2030-01-01"}')
    monkeypatch.setenv("MSME_EDITOR_LOCAL", "8081")
    cfg = load_editable(CONFIG)
    cfg["extra"]["editor"] = {"backend": {"name": "github", "repo": "someone/else"}, "local_backend": True}
    (tmp_path / "mkdocs.yml").write_text(dump_editable(cfg), encoding="utf-8")
    refused = [f"{p.path}: {p.field}" for p in golive.check(tmp_path / "mkdocs.yml")]
    assert refused == [
        "mkdocs.yml: extra.editor.backend",
        "mkdocs.yml: local_backend",
        "environment: MSME_BUILD.preview",
        "environment: MSME_BUILD.today",
        "environment: MSME_EDITOR_LOCAL",
    ]


@pytest.mark.parametrize(
    ("host", "is_reserved"),
    [
        ("example.org", True),
        ("www.EXAMPLE.com", True),
        ("mobilise-sme.example.net.", True),
        ("site.example", True),
        ("x.test", True),
        ("a.invalid", True),
        ("localhost", True),
        ("app.localhost", True),
        ("127.0.0.1", True),
        ("10.1.2.3", True),
        ("fictional-agency.eu", False),
        ("example.org.uk", False),
        ("notexample.org", False),
    ],
)
def test_reserved_names(host: str, is_reserved: bool) -> None:
    """RFC 2606/6761 names, loopback and private addresses are placeholders; look-alikes are not."""
    assert bool(golive.reserved(host)) is is_reserved


def test_core_reads_env_like_mkdocs(clean_env: dict, monkeypatch: pytest.MonkeyPatch) -> None:
    """The core resolves !ENV with MkDocs' own library: site URL, identity and editor backend agree with
    what MkDocs reads, with and without the variables set (an empty variable counts as not set)."""
    for env in ({}, {**REAL, "MSME_PUBLISHER_IS_PROGRAMME": "true", "MSME_LEGAL_NAME": ""}):
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        load_site_config.cache_clear()
        core = load_site_config(CONFIG)
        mk = load_config(str(CONFIG))
        ident = mk["extra"]["identity"]
        assert core.site_url == mk["site_url"]
        assert (core.identity.publisher, core.identity.legal_name, core.identity.email) == (
            ident["publisher"],
            ident["legal_name"] or "",
            ident["email"],
        )
        assert core.identity.publisher_is_programme is bool(env)
        assert core.identity.backend == mk["extra"]["editor"]["backend"]  # the editor reads the identity's
    load_site_config.cache_clear()


def test_identity_from_the_environment_reaches_every_page(clean_env: dict, tmp_path: Path) -> None:
    """MSME_SITE_URL=https://x.test/ (and the publisher's variables) build, and show in canonical and
    hreflang links, sitemaps, robots.txt, legal pages, JSON-LD, feeds and open data; no placeholder
    address and no unreplaced token is left anywhere."""
    langs = [{"locale": x, "name": x, "default": x == "en", "build": True} for x in ("en", "de")]
    env = {**clean_env, **REAL, "MSME_SITE_URL": "https://x.test/"}
    result = build(make_project(tmp_path, keep_nav=True, languages=langs), env)
    assert result.code == 0, result.output
    site = result.site
    assert '<link rel="canonical" href="https://x.test/de/guides/financial-support/">' in result.html(
        "de/guides/financial-support/index.html"
    )
    assert 'hreflang="en" href="https://x.test/guides/financial-support/"' in result.html(
        "de/guides/financial-support/index.html"
    )
    assert "Sitemap: https://x.test/sitemap-index.xml" in result.html("robots.txt")
    for page in ("legal-notice", "privacy", "de/legal-notice", "de/privacy"):
        html = unescape(result.html(f"{page}/index.html"))  # Markdown writes addresses as entities
        for value in ("Fictional Agency", "Fictional Agency Ltd", "mailto:editors@fictional-agency.eu"):
            assert value in html, (page, value)
    assert "Fictional Agency" in result.html("de/accessibility/index.html")
    types = {i["@type"]: i for i in linkcheck.jsonld(linkcheck.parse(site / "legal-notice/index.html"))}
    assert types["Organization"]["legalName"] == "Fictional Agency Ltd"
    assert '"publisher": "Fictional Agency"' in result.html("de/data/stories.json")
    assert "<name>Fictional Agency</name>" in result.html("feed.xml")
    leftovers = [
        p.relative_to(site).as_posix()
        for p in site.rglob("*")
        if p.suffix in (".html", ".xml", ".json", ".txt", ".csv", ".yml")
        and re.search(
            r"mobilise-sme\.example\.org|\{\{ ?(publisher|legal_name|email) ?\}\}", unescape(p.read_text("utf-8"))
        )
    ]
    assert leftovers == []


def test_mkdocs_build_with_the_production_flag_refuses_placeholders(clean_env: dict, tmp_path: Path) -> None:
    """A plain `mkdocs build` with production options (as the pipelines run it) stops on the same lines."""
    result = build(make_project(tmp_path), {**clean_env, "MSME_BUILD": '{"production": true}'})
    assert result.code != 0
    assert "Not ready for production, 5 problem(s):" in result.output
    assert all(line in result.output for line in REFUSED_TODAY)


def test_tokens() -> None:
    """Tokens become the identity (names printed as written, the address a mailto: link); a mistyped
    token stops the build instead of being published."""
    ident = Identity(publisher="A_B & <C>", email="x@fictional-agency.eu")
    assert publisher.fill("{{ publisher }} / {{legal_name}} / {{ email }}", ident) == (
        r"A\_B &amp; &lt;C&gt; / A\_B &amp; &lt;C&gt; / <x@fictional-agency.eu>"
    )
    with pytest.raises(ValueError, match=r"\{\{ emial \}\}: unknown token"):
        publisher.fill("write to {{ emial }}", ident)


def _story_jsonld(config: SiteConfig) -> dict[str, dict]:
    site = load_site()
    story = next(p for (lang, _), p in site.pages.items() if lang == "en" and p.type == "story")
    items = seo.structured_data(story, lang="en", url="u", image="i", config=config, logo_url="l")
    return {item["@type"]: item for item in items}


def test_jsonld_names_the_publisher_and_is_about_the_programme() -> None:
    """Stories are written and published by the configured publisher and are about the programme;
    only a configuration saying the programme publishes the site makes it the publisher."""
    langs = (Language("en", "English", True),)
    ident = Identity(publisher="Fictional Agency", legal_name="Fictional Agency Ltd", email="e@fictional-agency.eu")
    items = _story_jsonld(SiteConfig(langs, "https://x.test/", "MobiliseSME", ident))
    for who in (items["Article"]["author"], items["Article"]["publisher"], items["Organization"]):
        assert who["name"] == "Fictional Agency" and "sameAs" not in who and who["url"] == "https://x.test/"
    assert items["Article"]["about"]["url"] == seo.PROGRAMME_URL == items["WebSite"]["about"]["url"]
    programme = Identity(publisher="MobiliseSME", email="e@fictional-agency.eu", publisher_is_programme=True)
    items = _story_jsonld(SiteConfig(langs, "https://x.test/", "MobiliseSME", programme))
    assert items["Article"]["publisher"]["sameAs"] == [seo.PROGRAMME_URL]


def test_robots_and_sitemap_index_under_a_sub_path(tmp_path: Path) -> None:
    """Under a sub-path robots.txt disallows the editor by its full path and says it belongs at the host's
    root; the index lists one sitemap per language, and those split the whole sitemap between them."""
    langs = (Language("en", "English", True), Language("fr", "Français", False))
    config = SiteConfig(langs, "https://fictional-agency.eu/programmes/mobilise/", "MobiliseSME")
    base = config.site_url
    entries = [(f"{base}{p}", []) for p in ("", "about/", "fr/", "fr/about/", "french-fries/")]
    sitemap.write(tmp_path, entries, config)
    robots = (tmp_path / "robots.txt").read_text(encoding="utf-8")
    assert "Disallow: /programmes/mobilise/admin/\n" in robots
    assert f"Sitemap: {base}sitemap-index.xml\n" in robots
    assert "https://fictional-agency.eu/robots.txt" in robots  # the comment: copy it to the host's root
    index = ET.parse(tmp_path / "sitemap-index.xml").getroot()
    locs = [e.text for e in index.iter(f"{{{sitemap.SM}}}loc")]
    assert locs == [f"{base}sitemap-en.xml", f"{base}fr/sitemap.xml"]

    def urls(rel: str) -> list[str]:
        return [e.text for e in ET.parse(tmp_path / rel).getroot().iter(f"{{{sitemap.SM}}}loc")]

    assert urls("sitemap-en.xml") == [base, f"{base}about/", f"{base}french-fries/"]
    assert urls("fr/sitemap.xml") == [f"{base}fr/", f"{base}fr/about/"]
    assert sorted(urls("sitemap-en.xml") + urls("fr/sitemap.xml")) == urls("sitemap.xml")


def test_real_site_robots_and_sitemap_index(real_site: Build) -> None:
    """The real site has robots.txt at its root pointing at the index, whose every sitemap exists."""
    robots = real_site.html("robots.txt")
    assert "User-agent: *\nDisallow: /admin/\nSitemap: https://mobilise-sme.example.org/sitemap-index.xml\n" in robots
    index = ET.parse(real_site.site / "sitemap-index.xml").getroot()
    locs = [e.text for e in index.iter(f"{{{sitemap.SM}}}loc")]
    assert len(locs) == len(load_site_config().locales)  # one sitemap per language
    for loc in locs:
        assert (real_site.site / loc.removeprefix("https://mobilise-sme.example.org/")).is_file(), loc


def test_menus_do_not_say_about_us(real_site: Build) -> None:
    """The German and Italian menus name the About page for what it is, not "about us"."""
    for rel, us, label in (("de/index.html", "Über uns", "Über das Programm"), ("it/index.html", "Chi siamo", "")):
        html = real_site.html(rel)
        assert us not in html and label in html


def _check_jsonschema(schema: str, path: Path) -> subprocess.CompletedProcess:
    """check-jsonschema with a built-in schema; any attempt to reach the network fails at once (proxy on a
    closed local port), so a schema that is not really offline fails this test clearly."""
    exe = Path(sys.executable).with_name("check-jsonschema")
    dead = "http://127.0.0.1:9"
    env = {**os.environ, "HTTP_PROXY": dead, "HTTPS_PROXY": dead, "http_proxy": dead, "https_proxy": dead}
    return subprocess.run(
        [str(exe), "--builtin-schema", schema, str(path)], capture_output=True, text=True, env=env, check=False
    )


@pytest.mark.parametrize(("schema", "path"), [("vendor.github-workflows", WORKFLOW), ("vendor.gitlab-ci", GITLAB)])
def test_pipelines_match_the_official_schemas(schema: str, path: Path, tmp_path: Path) -> None:
    """The deploy pipelines validate against GitHub's and GitLab's schemas, offline; a misspelt key fails."""
    proc = _check_jsonschema(schema, path)
    assert "ProxyError" not in proc.stdout + proc.stderr, f"{schema} needed the network: {proc.stderr}"
    assert proc.returncode == 0, proc.stdout + proc.stderr
    broken = tmp_path / path.name
    broken.write_text(path.read_text(encoding="utf-8").replace("runs-on:", "run-on:").replace("stage:", "stag:"))
    assert _check_jsonschema(schema, broken).returncode == 1


def test_github_workflow_publishes_the_production_build_daily() -> None:
    """Daily and on push: validate, test against the placeholders, build for production with the repository's
    variables (only in that step), upload the artifact, deploy it to Pages."""
    flow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    assert flow[True]["schedule"][0]["cron"].split()[2:] == ["*", "*", "*"]  # YAML 1.1 reads `on` as true
    build_job = flow["jobs"]["build"]
    assert build_job["container"] == "python:3.11-bookworm"
    steps = build_job["steps"]
    runs = [s.get("run", "") for s in steps]
    order = ["./dev msme validate", "./dev test", "./dev build --production"]
    where = [next(i for i, r in enumerate(runs) if cmd in r) for cmd in order]
    assert where == sorted(where)
    prod = steps[where[2]]
    assert BuildOptions.from_json(prod["env"][BUILD_ENV]).production
    assert set(prod["env"]) - {BUILD_ENV} == _identity_variables()
    assert all("env" not in s for i, s in enumerate(steps) if i != where[2])
    assert "env" not in build_job and "env" not in flow
    uses = [s.get("uses", "").split("@")[0] for s in steps]
    assert uses.index("actions/upload-pages-artifact") > where[2]
    assert flow["jobs"]["deploy"]["steps"][0]["uses"].startswith("actions/deploy-pages@")


def test_gitlab_pipeline_publishes_the_production_build() -> None:
    """Validate, test (production values unset), build for production into public/, and a pages job
    publishing it; the schedule and the variables are documented."""
    ci = yaml.safe_load(GITLAB.read_text(encoding="utf-8"))
    assert ci["stages"] == ["validate", "test", "build", "deploy"]
    assert "unset" in ci["test"]["script"][0] and ci["test"]["script"][-1] == "./dev test"
    assert ci["build"]["script"] == ["./dev build --production --dest site", "cp -RL site public"]
    assert BuildOptions.from_json(ci["build"]["variables"][BUILD_ENV]).production
    assert ci["pages"]["artifacts"]["paths"] == ["public"] and ci["pages"]["needs"] == ["build"]
    assert {"if": '$CI_PIPELINE_SOURCE == "schedule"'} in ci["workflow"]["rules"]
    text = GITLAB.read_text(encoding="utf-8") + (ROOT / "DEPLOY.md").read_text(encoding="utf-8")
    assert all(name in text for name in _identity_variables())
