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
