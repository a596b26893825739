"""Files written whole or not at all (msme.atomic), readable by a server running as another user."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from msme import atomic


def test_written_file_is_readable_by_others_and_replaces_whole(tmp_path: Path) -> None:
    target = tmp_path / "deep/folder/page.html.br"
    atomic.write_bytes(target, b"old")
    atomic.write_bytes(target, b"new bytes")
    assert target.read_bytes() == b"new bytes"
    assert stat.S_IMODE(target.stat().st_mode) & 0o044 == 0o044  # not mkstemp's owner-only 0600
    assert [p.name for p in target.parent.iterdir()] == ["page.html.br"]  # no temporary file left


def test_failed_write_keeps_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "entry.json"
    atomic.write_text(target, "kept")

    def interrupted(src: str, dst: str) -> None:
        raise KeyboardInterrupt  # Ctrl-C between writing and renaming

    monkeypatch.setattr(atomic.os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        atomic.write_text(target, "half")
    assert target.read_text(encoding="utf-8") == "kept"
    assert [p.name for p in tmp_path.iterdir()] == ["entry.json"]  # the temporary file is gone


def test_link_or_copy_replaces_the_target_and_never_writes_into_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    kept, target = tmp_path / "cache/variant.webp", tmp_path / "site/a/variant.webp"
    kept.parent.mkdir()
    target.parent.mkdir(parents=True)
    kept.write_bytes(b"cached bytes")
    target.write_bytes(b"last build's")
    atomic.link_or_copy(kept, target)
    assert target.read_bytes() == b"cached bytes" and target.stat().st_ino == kept.stat().st_ino
    atomic.write_bytes(target, b"rewritten")  # a later writer replaces the link
    assert kept.read_bytes() == b"cached bytes"

    def other_file_system(src: object, dst: object) -> None:
        raise OSError(18, "Invalid cross-device link")

    monkeypatch.setattr(atomic.os, "link", other_file_system)
    atomic.link_or_copy(kept, target)
    assert target.read_bytes() == b"cached bytes" and target.stat().st_ino != kept.stat().st_ino
