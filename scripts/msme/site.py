"""The validated site: every content file read, every page in every language, the consent
register, and what a withdrawal changes on a page. `validate.load_site` builds it; the
catalogue, the views and the build read it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from msme import model
from msme.consent import PARTICIPANT, SPEAKER, ConsentRecord, Redaction, redactions
from msme.content import Problem, SourceFile
from msme.l10n import labels
from msme.paths import DATA_DIR
from msme.siteconfig import SiteConfig

GENERATED = "@generated/"  # key prefix of generated pages in Site.pages (see msme.virtual)


@dataclass
class Site:
    """Everything the build knows about the content, validated."""

    config: SiteConfig
    docs_dir: Path
    files: list[SourceFile]
    consent: dict[str, ConsentRecord]
    # (lang, original_rel) -> validated page in that language (translation merged over original)
    pages: dict[tuple[str, str], model.Page] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    # Worth a look but not wrong (an unreferenced file, prose close to a withdrawn quote):
    # printed by `validate` and the build, never a reason to stop.
    warnings: list[Problem] = field(default_factory=list)
    present: set[tuple[str, str]] = field(default_factory=set)  # (lang, original) of every file, read or not
    preview: bool = False  # local preview: drafts, stories in review and future stories are shown
    today: dt.date = field(default_factory=dt.date.today)  # stories dated later are held back
    data_dir: Path = DATA_DIR  # vocabularies, labels (i18n/), data tables

    def page(self, lang: str, original_rel: str) -> model.Page | None:
        """The page in `lang`, or None when that translation does not exist."""
        return self.pages.get((lang, original_rel))

    def originals(self) -> list[SourceFile]:
        """Default-language files that parsed."""
        return [f for f in self.files if f.is_original and f.problem is None]

    def translation_files(self) -> dict[str, dict[str, SourceFile]]:
        """Every translation file, by its original's path and language (one pass: a loop over
        originals asks for each original's translations)."""
        out: dict[str, dict[str, SourceFile]] = {}
        for f in self.files:
            if not f.is_original:
                out.setdefault(f.original_rel, {})[f.lang] = f
        return out

    def translations(self, original_rel: str) -> dict[str, SourceFile]:
        """Translation files of one original, by language."""
        return self.translation_files().get(original_rel, {})


def stand_ins(site: Site, lang: str, page: model.Page) -> dict[str, str]:
    """What replaces each withdrawn person's name on one page in `lang`: their record's replacement,
    else a description that fits many people ('a speaker' for the page's speakers, 'a participant'
    otherwise), never their role, which names the one person who held it."""
    phrases = labels(lang, site.config.default.locale, site.data_dir / "i18n")["withdrawn_as"]
    speakers = {s.person for s in getattr(page, "speakers", [])}
    return {
        pid: rec.stand_in(lang, phrases, SPEAKER if pid in speakers else PARTICIPANT)
        for pid, rec in site.consent.items()
        if rec.withdrawn
    }


def page_redactions(site: Site, lang: str, page: model.Page) -> list[Redaction]:
    """How withdrawn people are removed from one page's text in `lang` (see stand_ins)."""
    return redactions(site.consent, stand_ins(site, lang, page))
