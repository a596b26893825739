"""The generated hosting configuration, served for real by Debian's nginx on a loopback port."""

from __future__ import annotations

import contextlib
import gzip
import http.client
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import brotli
import pytest

from conftest import CHROMIUM, ROOT, Build, record, require_tool
from msme import csp, hosting
from test_i18n import BUILT_LANGS

NGINX = "/usr/sbin/nginx"
BROTLI_MODULE = Path("/usr/lib/nginx/modules/ngx_http_brotli_static_module.so")
PAGES = ["", "stories/", "stories/silentium-piano-queens-pianos/", "guides/who-can-take-part/", "data/"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def nginx(site: Path, tmp: Path, port: int | None = None) -> Iterator[int]:
    """Run nginx in the foreground with the site's generated config; yield its port."""
    require_tool(NGINX, "install Debian's nginx (apt-get install nginx-light libnginx-mod-http-brotli-static)")
    if not BROTLI_MODULE.is_file():
        pytest.fail(f"{BROTLI_MODULE} missing: apt-get install libnginx-mod-http-brotli-static", pytrace=False)
    port = port or _free_port()
    tmp.mkdir(parents=True, exist_ok=True)
    rules = hosting.rules_for(site, "/", BUILT_LANGS[1:])
    (tmp / "site.conf").write_text(hosting.nginx_config(rules, str(site), listen=f"127.0.0.1:{port}"), encoding="utf-8")
    temp = "".join(f"{kind}_temp_path {tmp}/{kind};\n" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    (tmp / "nginx.conf").write_text(
        f"user root;\nworker_processes 1;\npid {tmp}/nginx.pid;\nerror_log {tmp}/error.log;\n"
        f"load_module {BROTLI_MODULE};\nevents {{}}\n"
        f"http {{\ninclude /etc/nginx/mime.types;\naccess_log off;\n{temp}include {tmp}/site.conf;\n}}\n",
        encoding="utf-8",
    )
    check = subprocess.run([NGINX, "-t", "-c", str(tmp / "nginx.conf")], capture_output=True, text=True, check=False)
    assert check.returncode == 0, check.stderr
    proc = subprocess.Popen([NGINX, "-c", str(tmp / "nginx.conf"), "-g", "daemon off;"])
    try:
        for _ in range(100):
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.2):
                break
            time.sleep(0.05)
        yield port
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def _get(port: int, path: str, encoding: str | None = None) -> tuple[int, dict[str, str], bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", path, headers={"Accept-Encoding": encoding} if encoding else {})
    resp = conn.getresponse()
    body = resp.read()
    conn.close()
    return resp.status, {k.lower(): v for k, v in resp.getheaders()}, body


@pytest.fixture(scope="module")
def served(real_site: Build, tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    """The real site behind nginx with the generated config."""
    with nginx(real_site.site, tmp_path_factory.mktemp("nginx")) as port:
        yield port


def test_host_files_are_generated(real_site: Build) -> None:
    """The build writes _headers and _redirects, and text files have gzip and Brotli copies."""
    headers = real_site.html("_headers")
    assert "X-Content-Type-Options: nosniff" in headers and "Content-Security-Policy:" in headers
    assert "frame-ancestors 'none'" in headers
    assert any("bundle." in line and ".min.js" in line for line in headers.splitlines())
    redirects = real_site.html("_redirects").splitlines()
    assert "/es/*  /es/404.html  404" in redirects and redirects[-1] == "/*  /404.html  404"
    index = real_site.site / "index.html"
    assert gzip.decompress((real_site.site / "index.html.gz").read_bytes()) == index.read_bytes()
    assert brotli.decompress((real_site.site / "index.html.br").read_bytes()) == index.read_bytes()
    assert not (real_site.site / "index.html.gz.gz").exists()


def test_security_headers_and_compression(served: int) -> None:
    """nginx sends every security header, the pages' CSP with frame-ancestors, and precompressed bodies."""
    status, headers, body = _get(served, "/", "br")
    assert status == 200
    assert headers["content-encoding"] == "br" and b"<html" in brotli.decompress(body)
    assert headers["content-security-policy"] == csp.page_policy(hosting.HEADER_ONLY)
    for name in ("strict-transport-security", "x-content-type-options", "referrer-policy", "permissions-policy"):
        assert headers.get(name), name
    assert headers["cache-control"] == hosting.REVALIDATE
    _, headers, body = _get(served, "/", "gzip")
    assert headers["content-encoding"] == "gzip" and b"<html" in gzip.decompress(body)
    _, headers, body = _get(served, "/")
    assert "content-encoding" not in headers and body.lstrip().startswith(b"<!doctype html>")


def test_cache_lifetimes(served: int, real_site: Build) -> None:
    """Only content-named assets are cached for a year; HTML, our CSS and images revalidate."""
    bundle = next(a for a in hosting.fingerprinted_assets(real_site.site) if a.endswith(".js"))
    assert _get(served, "/" + bundle)[1]["cache-control"] == hosting.LONG_CACHE
    for path in ("/stories/", "/assets/site.css", "/assets/logo.svg"):
        status, headers, _ = _get(served, path)
        assert status == 200 and headers["cache-control"] == hosting.REVALIDATE, path


def test_each_language_has_its_404_page(served: int) -> None:
    """A missing page answers 404 with the 404 page in the language of its folder, headers included."""
    for lang in BUILT_LANGS:
        prefix = "" if lang == "en" else f"{lang}/"
        status, headers, body = _get(served, f"/{prefix}no-such-page/")
        assert status == 404, lang
        assert f'<html lang="{lang}"'.encode() in body, lang
        assert headers["x-content-type-options"] == "nosniff"


def test_editor_is_kept_out_of_indexes(served: int, real_site: Build) -> None:
    """/admin/ carries noindex and the editor's own policy; the host files are not served."""
    status, headers, _ = _get(served, "/admin/")
    assert status == 200 and headers["x-robots-tag"] == "noindex, nofollow"
    editor_meta = hosting.meta_policy(real_site.site / "admin" / "index.html")
    assert editor_meta and headers["content-security-policy"].startswith(editor_meta)
    assert "frame-ancestors 'none'" in headers["content-security-policy"]
    assert "x-robots-tag" not in _get(served, "/")[1]
    assert _get(served, "/_headers")[0] == 404


def test_pages_load_under_the_enforced_policy(served: int, browser) -> None:
    """Chromium loads pages in every language from nginx with 0 CSP violations and 0 failed requests."""
    require_tool(CHROMIUM, "apt-get install chromium")
    context = browser.new_context()
    context.add_init_script(
        "window.__csp = []; document.addEventListener('securitypolicyviolation',"
        " e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));"
    )
    problems: list[str] = []
    for lang in BUILT_LANGS:
        prefix = "" if lang == "en" else f"{lang}/"
        count = 0
        for path in PAGES:
            page = context.new_page()
            page.on("requestfailed", lambda r, out=problems: out.append(f"failed {r.url}"))
            page.on("console", lambda m, out=problems: m.type == "error" and out.append(m.text))
            page.goto(f"http://127.0.0.1:{served}/{prefix}{path}", wait_until="load")
            violations = page.evaluate("window.__csp")
            count += len(violations)
            problems += [f"{prefix}{path}: {v}" for v in violations]
            page.close()
        record("CSP violations (nginx)", lang, count)
    context.close()
    assert problems == []


def test_nginx_config_is_deterministic(real_site: Build) -> None:
    """The same site and settings give the same config, so a deploy diff shows real changes only."""
    rules = hosting.rules_for(real_site.site, "/", BUILT_LANGS[1:])
    first = hosting.nginx_config(rules, "/srv/site")
    assert first == hosting.nginx_config(rules, "/srv/site")
    assert "location /es/ {" in first and "error_page 404 /es/404.html;" in first


def test_nginx_command_prints_the_config(real_site: Build) -> None:
    """`./dev msme nginx --root …` prints the file the tests serve with; without a site it says so."""
    cmd = [sys.executable, "-m", "msme", "nginx", "--root", "/srv/site"]
    env = {**os.environ, "PYTHONPATH": str(ROOT / "scripts")}
    proc = subprocess.run([*cmd, "--site", str(real_site.site)], capture_output=True, text=True, env=env, check=False)
    rules = hosting.rules_for(real_site.site, "/", BUILT_LANGS[1:])
    assert proc.returncode == 0 and proc.stdout == hosting.nginx_config(rules, "/srv/site")
    missing = subprocess.run([*cmd, "--site", "/nonexistent"], capture_output=True, text=True, env=env, check=False)
    assert missing.returncode == 1 and "no built site here (run ./dev build first)" in missing.stderr


def test_catalogue_is_served_as_rdf(served: int) -> None:
    """The DCAT-AP catalogue goes out with its RDF media type (mime.types lacks both), compressed,
    with the site's security headers; a missing file of that kind is still a 404."""
    for path, mime in (("/catalogue.ttl", "text/turtle"), ("/catalogue.jsonld", "application/ld+json")):
        status, headers, body = _get(served, path, "gzip")
        assert status == 200, path
        assert headers["content-type"] == f"{mime}; charset=utf-8", path
        assert headers["content-encoding"] == "gzip" and gzip.decompress(body).strip(), path
        assert headers["x-content-type-options"] == "nosniff", path
    assert _get(served, "/missing.ttl")[0] == 404
