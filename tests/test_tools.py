"""The tools around the site: the web editor's code (one npm tarball, pinned by its integrity hash,
checked before extraction) and the fast/slow split of the tests (`./dev test --fast`)."""

from __future__ import annotations

import io
import json
import re
import tarfile
from pathlib import Path

import pytest

from conftest import ROOT, build, is_slow, make_project, require_tool
from msme import catalogue, editor, vendor
from msme.vocab import load_vocab

# A package laid out as Decap's: the bundle, a chunk and a wasm file it loads, and what the site
# does not ship (source maps, the duplicate cms.js bundle, a file one folder deeper).
FILES = {
    "package/package.json": b'{"name": "decap-cms"}',
    "package/dist/decap-cms.js": b"/* bundle */",
    "package/dist/103.decap-cms.js": b"/* chunk */",
    "package/dist/ab12.wasm": b"\0asm",
    "package/dist/decap-cms.js.map": b"{}",
    "package/dist/cms.js": b"/* same bundle, other name */",
    "package/dist/sub/deeper.wasm": b"\0asm",
}


def _tarball(folder: Path, files: dict[str, bytes]) -> Path:
    """A gzipped tarball as npm pack writes it."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "decap-cms-3.16.3.tgz"
    with tarfile.open(path, "w:gz") as tar:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return path


def _pin(tarball: Path) -> vendor.Pin:
    """The repository's pin for decap-cms, with the integrity of `tarball`."""
    (real,) = [p for p in vendor.pins() if p.name == "decap-cms"]
    return vendor.Pin(real.name, real.version, vendor.integrity_of(tarball), real.files)


def test_the_pinned_tarball_gives_only_what_the_editor_loads(tmp_path: Path) -> None:
    tarball = _tarball(tmp_path, FILES)
    dest = tmp_path / "vendor" / "decap-cms"
    names = vendor.install(tarball, _pin(tarball), dest)
    assert names == ["103.decap-cms.js", "ab12.wasm", "decap-cms.js"]
    assert (dest / "decap-cms.js").read_bytes() == b"/* bundle */"
    assert vendor.installed(_pin(tarball), dest)
    # editor.write serves exactly those files from tools/vendor/decap-cms/, and no bookkeeping file.
    site = tmp_path / "site"
    editor.write(site, tmp_path, editor.config(load_vocab(), ["en"], {"name": "github"}, "https://x.example/"))
    served = {p.name for p in (site / "admin").iterdir()}
    assert set(names) <= served and not any(n.startswith(".") for n in served)


def test_a_tampered_tarball_is_refused_and_nothing_extracted(tmp_path: Path) -> None:
    genuine = _tarball(tmp_path, FILES)
    pin = _pin(genuine)
    tampered = tmp_path / "tampered" / genuine.name
    tampered.parent.mkdir()
    data = bytearray(genuine.read_bytes())
    data[len(data) // 2] ^= 0x01  # one bit
    tampered.write_bytes(bytes(data))
    dest = tmp_path / "vendor" / "decap-cms"
    with pytest.raises(vendor.IntegrityError, match=r"refused, its hash is not the one pinned for decap-cms@3\.16\.3"):
        vendor.install(tampered, pin, dest)
    assert not (tmp_path / "vendor").exists()  # not even a temporary folder


def test_dev_stops_on_a_tampered_download(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """What `./dev` runs (msme.vendor) exits 1 naming the package, when npm hands it another tarball."""
    pin = _pin(_tarball(tmp_path, FILES))
    other = _tarball(tmp_path / "download", {**FILES, "package/dist/decap-cms.js": b"/* changed */"})
    monkeypatch.setattr(vendor, "pins", lambda: [pin])
    monkeypatch.setattr(vendor, "npm_pack", lambda _pin, _folder: other)
    monkeypatch.setattr(vendor, "VENDOR", tmp_path / "vendor")
    assert vendor.main() == 1
    assert "error: decap-cms-3.16.3.tgz: refused" in capsys.readouterr().err
    assert not (tmp_path / "vendor").exists()


def test_a_tampered_tarball_leaves_the_installed_version_alone(tmp_path: Path) -> None:
    genuine = _tarball(tmp_path, FILES)
    dest = tmp_path / "vendor" / "decap-cms"
    vendor.install(genuine, _pin(genuine), dest)
    other = _tarball(tmp_path / "vendor", {**FILES, "package/dist/decap-cms.js": b"/* changed */"})
    with pytest.raises(vendor.IntegrityError):
        vendor.install(other, _pin(genuine), dest)
    assert (dest / "decap-cms.js").read_bytes() == b"/* bundle */"


def test_a_tarball_without_the_bundle_is_refused(tmp_path: Path) -> None:
    tarball = _tarball(tmp_path, {k: v for k, v in FILES.items() if not k.endswith("/decap-cms.js")})
    with pytest.raises(vendor.IntegrityError, match=r"has no dist/decap-cms\.js"):
        vendor.install(tarball, _pin(tarball), tmp_path / "vendor" / "decap-cms")
    assert not (tmp_path / "vendor" / "decap-cms").exists()


def test_the_pin_is_npms_and_names_no_registry() -> None:
    """The pin is the integrity npm's lock files use; no file names a registry host (npm resolves it),
    and npm installs no part of Decap CMS."""
    (pin,) = vendor.pins()
    assert (pin.name, pin.version) == ("decap-cms", "3.16.3")
    assert re.fullmatch(r"sha512-[A-Za-z0-9+/]{86}==", pin.integrity)
    manifest = json.loads((ROOT / "tools/package.json").read_text(encoding="utf-8"))
    assert "decap-cms" not in manifest.get("dependencies", {}) | manifest.get("devDependencies", {})
    assert "://" not in (ROOT / "tools/package.json").read_text(encoding="utf-8")
    lock = (ROOT / "tools/package-lock.json").read_text(encoding="utf-8")
    assert '"resolved"' not in lock and "decap-cms" not in lock


# Functions the fast/slow rule reads (never run): what reaches a build or an outside program is slow.
def _unit(tmp_path: Path) -> Path:
    return tmp_path / "x"


def _attribute_named_build() -> object:
    return catalogue.build  # a catalogue, not a site


def _needs_java() -> None:
    require_tool("java", "apt-get install default-jre-headless")


def _through_a_helper() -> None:
    _needs_java()


def _in_a_comprehension(projects: list[Path]) -> list[object]:
    return [build(p) for p in projects]


def _atomic_build_imported_inside() -> object:
    from msme.publish import atomic_build

    return atomic_build


def _a_project_to_build(tmp_path: Path) -> Path:
    return make_project(tmp_path)


def test_tests_are_slow_exactly_when_they_build_or_start_a_program() -> None:
    # Looked up by name: naming them in this test's code would make it slow by the same rule.
    expected = {
        "_unit": False,
        "_attribute_named_build": False,
        "_needs_java": True,
        "_through_a_helper": True,
        "_in_a_comprehension": True,
        "_atomic_build_imported_inside": True,
        "_a_project_to_build": True,
    }
    assert {name: is_slow(globals()[name]) for name in expected} == expected


def test_the_suite_is_marked(request: pytest.FixtureRequest) -> None:
    """Every collected test carries exactly one of the two markers, and this one is fast."""
    items = request.session.items
    assert all(len({m.name for m in i.iter_markers()} & {"fast", "slow"}) == 1 for i in items)
    assert request.node.get_closest_marker("fast") and not request.node.get_closest_marker("slow")
