"""The authoring loop's scope: on a large site (more stories than the preview keeps) the local
preview builds a subset, fast.

One language besides the default, every page that is not a story, and the stories edited most
recently (the one being written is always among them: saving it makes it the newest). The full
site is still what `./dev build`, the tests and CI build.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

STORY_DIR = "stories"


@dataclass(frozen=True)
class Scope:
    """What a scoped preview builds."""

    lang: str
    stories: frozenset[str]  # story folders, relative to docs/ ("stories/x")

    def keeps(self, lang: str, original_rel: str, default: str) -> bool:
        """True for a file the preview reads and builds."""
        if lang not in (default, self.lang):
            return False
        parts = original_rel.split("/")
        if parts[0] != STORY_DIR or len(parts) < 3:
            return True
        return "/".join(parts[:2]) in self.stories


def recent_stories(docs_dir: Path, count: int) -> frozenset[str]:
    """The `count` story folders whose files changed last."""
    folders = []
    root = docs_dir / STORY_DIR
    if root.is_dir():
        for folder in root.iterdir():
            if folder.is_dir():
                newest = max((f.stat().st_mtime for f in folder.iterdir()), default=0.0)
                folders.append((newest, f"{STORY_DIR}/{folder.name}"))
    return frozenset(name for _, name in sorted(folders, reverse=True)[:count])


def scope(docs_dir: Path, options: Any) -> Scope | None:
    """The scope `./dev serve` asks for (`BuildOptions.serve_scope`), or None for a full build."""
    if not options.serve_scope:
        return None
    count = options.serve_stories
    root = docs_dir / STORY_DIR
    if not root.is_dir() or sum(1 for p in root.iterdir() if p.is_dir()) <= count:
        return None  # a small site is previewed whole, in every language
    return Scope(options.serve_lang, recent_stories(docs_dir, count))
