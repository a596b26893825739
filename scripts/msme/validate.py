"""Validate all content at once: every problem in one run, as `path: field: problem (fix)`; every
rule by a stable id in RULES, with its message template where this module words it."""

from __future__ import annotations

import difflib
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from msme import cards, images, model, references
from msme.catalogue import FACETS, LIST_ROOT
from msme.consent import ConsentRecord, load_register, redact_data, redactions
from msme.content import Problem, SourceFile, discover, merge_translation, split_lang
from msme.datafiles import DATA_TABLES, DataFileError, read_yaml
from msme.describe import pydantic_error
from msme.images import ImageProblem, inspect
from msme.l10n import labels
from msme.media import url_path
from msme.paths import CONSENT_FILE, DATA_DIR, DOCS_DIR
from msme.sanitize import body_problems
from msme.scaffold import PLACEHOLDERS, slugify
from msme.site import Site, stand_ins
from msme.siteconfig import SiteConfig, load_site_config
from msme.urls import lang_path
from msme.vocab import Vocab, load_vocab


@dataclass(frozen=True)
class Rule:
    """One validation rule: what it checks and, when this module words the problem, the message
    (a str.format template); `source` names the module that words it otherwise."""

    checks: str
    message: str = ""
    source: str = "validate"
    warning: bool = False  # reported, never a reason to stop the build


# Every rule of the validation pass, by a stable id; tests/test_rules.py pins each one's message.
RULES: dict[str, Rule] = {
    "data-file": Rule("every data file is UTF-8 YAML of the expected layout", source="datafiles"),
    "consent-record": Rule("every consent record has a valid id, scope and date", source="consent"),
    "consent-replacement-wording": Rule(
        "a record's replacement names a wording under withdrawn_as:",
        "{replacement!r} is not a wording under withdrawn_as: in data/i18n/{default}.yml "
        "(use one of {keys}, or give the words per language: {{{default}: …}})",
    ),
    "consent-replacement-languages": Rule(
        "a record's own replacement words exist in every language",
        "has no words for {missing} (add {first}: … for every language "
        "the site is built in, or use a key under withdrawn_as:)",
    ),
    "file-encoding": Rule("a content file is UTF-8", source="datafiles"),
    "front-matter-yaml": Rule("the front matter parses as YAML", source="datafiles"),
    "front-matter-mapping": Rule("the front matter is a mapping of fields", source="content"),
    "text-raw-html": Rule("the text holds no HTML the page would lose", source="sanitize"),
    "text-address": Rule("the text links only http, https, mailto or relative addresses", source="sanitize"),
    "text-attribute": Rule("the text sets no attribute the page would lose", source="sanitize"),
    "file-name": Rule(
        "folders and file names are URL slugs",
        "{part!r} cannot be part of a web address (use lower-case letters a–z, digits and "
        "hyphens only: rename the {what} to {slug})",
    ),
    "translation-of-in-original": Rule(
        "only translations record translation_of", "belongs in translations only (delete it from the original)"
    ),
    "translation-orphan": Rule(
        "a translation has an original",
        "translates {original}, which does not exist (rename the file to match its original, or delete it)",
    ),
    "translation-hash": Rule(
        "a translation records the original's hash",
        "is required in a translation (run `./dev msme status` and copy the hash it shows for {original})",
    ),
    "translation-fixed-field": Rule(
        "a translation sets translatable fields only",
        "is not translatable; set it in the original {original} only (delete it here)",
    ),
    "translation-item-count": Rule(
        "a translated list has its original's items",
        "has {count} items but the original has {original_count} (translate each item once, in the same order)",
    ),
    "unknown-type": Rule("the page's type is a content type", "unknown type {ctype!r} (use one of {types})"),
    "schema": Rule("every field fits the content model", source="describe"),
    "story-published-needs": Rule("a story in review or published has countries, date, sources", source="model"),
    "event-date-order": Rule("an event does not end before it starts", source="model"),
    "event-session-speaker": Rule("a session's speakers are the event's speakers", source="model"),
    "placeholder": Rule(
        "a page about to be published keeps none of the template's text",
        "still holds the template's example text (write it from the sources, or set status: draft)",
    ),
    "quote-repeated": Rule(
        "a quote is not repeated word for word in the text",
        "is repeated word for word in the text (paraphrase it there, so that withdrawing consent can remove it)",
    ),
    "consent-missing": Rule(
        "everyone named, quoted or pictured has a consent record",
        "{pid!r} has no consent record (add people.{pid} with scope [{scope}] to data/consent.yml, or remove them)",
    ),
    "consent-scope": Rule(
        "their record covers naming, quoting or picturing them",
        "{pid!r} has not consented to '{scope}' (extend their scope in data/consent.yml, or remove the {scope})",
    ),
    "image-file": Rule("a picture exists and can be published", source="images"),
    "source-index": Rule(
        "a quote's or figure's source is one of the page's sources",
        "points to source {index}, but the page lists {count} (use an index into sources)",
    ),
    "url-generated": Rule(
        "no page takes the URL of a generated page",
        "would be built at {url}, among the pages the site generates (lists, facets, map, data) (rename or move it)",
    ),
    "url-unique": Rule(
        "no two pages claim one URL in any language",
        "would be built at {url}, the same URL as {other} (rename or move one of them)",
    ),
    "card-glyphs": Rule(
        "every title can be drawn on its social card",
        "has characters the social-card font cannot draw, which would show as empty boxes: {shown} ({codes}) "
        "(write the title in Latin, Greek or Cyrillic letters, without emoji)",
    ),
    "svg-refused": Rule("content folders hold no SVG", source="references"),
    "unlinked-file": Rule("every file beside the pages is linked", source="references", warning=True),
    "withdrawn-quote-close": Rule(
        "no sentence keeps most of a withdrawn person's quote",
        "is close to a quote by {person}, who withdrew consent: {sentence!r} "
        "(rewrite it so the quote cannot be recognised, or remove it)",
        warning=True,
    ),
}


def report(rule: str, path: str, where: str, **values: Any) -> Problem:
    """The problem `rule` finds in `path` at `where`, in the rule's own words."""
    return Problem(path, where, RULES[rule].message.format(**values))


def _describe(err: dict[str, Any], ctype: str) -> tuple[str, str]:
    """Turn one pydantic error into (field path, the project's own message with a fix)."""
    return pydantic_error(err, model.MODELS[ctype])


def _validate_meta(meta: dict[str, Any], sf: SourceFile, vocab: Vocab) -> tuple[model.Page | None, list[Problem]]:
    ctype = sf.content_type
    cls = model.MODELS.get(ctype)
    if cls is None:
        return None, [report("unknown-type", sf.rel, "type", ctype=ctype, types=", ".join(model.MODELS))]
    data = {"type": ctype, **meta}
    try:
        return cls.model_validate(data, context={"vocab": vocab}), []
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            where, msg = _describe(err, ctype)
            problems.append(Problem(sf.rel, where, msg))
        return None, problems


def _overlay_paths(value: Any, prefix: list[Any]) -> list[list[Any]]:
    """Every leaf path in a translation's front matter."""
    if isinstance(value, dict):
        return [p for k, v in value.items() for p in _overlay_paths(v, [*prefix, k])]
    if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        return [p for i, v in enumerate(value) for p in _overlay_paths(v, [*prefix, i])]
    return [prefix]


def _check_translation(sf: SourceFile, original: SourceFile | None) -> list[Problem]:
    if original is None:
        return [report("translation-orphan", sf.rel, "(file)", original=sf.original_rel)]
    problems = []
    if not sf.meta.get("translation_of"):
        problems.append(report("translation-hash", sf.rel, "translation_of", original=sf.original_rel))
    for path in _overlay_paths(sf.meta, []):
        dotted = model.normalise_path(path)
        if not model.is_translatable(dotted):
            problems.append(report("translation-fixed-field", sf.rel, dotted, original=sf.original_rel))
    for key, value in sf.meta.items():
        orig = original.meta.get(key)
        if isinstance(value, list) and isinstance(orig, list) and len(value) != len(orig):
            problems.append(report("translation-item-count", sf.rel, key, count=len(value), original_count=len(orig)))
    return problems


def _items(meta: dict[str, Any], key: str) -> list[dict[str, Any]]:
    value = meta.get(key)
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _check_references(
    sf: SourceFile, meta: dict[str, Any], docs_dir: Path, consent: dict[str, ConsentRecord]
) -> list[Problem]:
    """Cross-file rules on the raw front matter, so they run even when other fields are wrong:
    images exist and are not too big; everyone named, quoted or pictured has a consent record."""
    problems = []

    def need(pid: Any, scope: str, where: str) -> None:
        rec = consent.get(pid) if isinstance(pid, str) else None
        if rec is None:
            problems.append(report("consent-missing", sf.rel, where, pid=pid, scope=scope))
        elif scope not in rec.scope:
            problems.append(report("consent-scope", sf.rel, where, pid=pid, scope=scope))

    for i, ref in enumerate(_items(meta, "people")):
        need(ref.get("id"), "name", f"people[{i}].id")
    for i, quote in enumerate(_items(meta, "quotes")):
        need(quote.get("person"), "quote", f"quotes[{i}].person")
    for i, sp in enumerate(_items(meta, "speakers")):
        need(sp.get("person"), "name", f"speakers[{i}].person")
    for i, img in enumerate(_items(meta, "images")):
        src = str(img.get("src", ""))
        try:
            inspect(docs_dir / sf.folder / src)
        except ImageProblem as exc:
            where = f"in {sf.folder or '.'}/ (put the photo"
            problems.append(Problem(sf.rel, f"images[{i}].src", str(exc).replace("(put the photo", where)))
        for who in img.get("people") or []:
            need(who, "photo", f"images[{i}].people")
    n_sources = len(meta.get("sources") or [])
    for key in ("quotes", "key_figures"):
        for i, item in enumerate(_items(meta, key)):
            if isinstance(item.get("source", 0), int) and item.get("source", 0) >= max(n_sources, 1):
                problems.append(
                    report("source-index", sf.rel, f"{key}[{i}].source", index=item["source"], count=n_sources)
                )
    return problems


def load_site(
    docs_dir: Path = DOCS_DIR,
    consent_file: Path = CONSENT_FILE,
    config: SiteConfig | None = None,
    only: Callable[[str, str], bool] | None = None,
    data_dir: Path = DATA_DIR,
) -> Site:
    """Parse and validate every content file (or those `only(lang, original)` keeps) and the data
    files; problems are collected, never raised."""
    config = config or load_site_config()
    vocab, data_problems = _load_data(data_dir, config)
    files = discover(docs_dir, config.locales, config.default.locale, only)
    present = {
        split_lang(p.relative_to(docs_dir).as_posix(), config.locales, config.default.locale)
        for p in docs_dir.rglob("*.md")
    }
    consent, consent_problems = load_register(consent_file)
    site = Site(config, docs_dir, files, consent, present=present, data_dir=data_dir)
    site.problems += data_problems
    site.problems += [Problem(f"data/{consent_file.name}", *p) for p in consent_problems]
    if not data_problems:
        site.problems += _check_replacements(site, consent_file)
    by_rel = {f.rel: f for f in files}
    locales = set(config.locales)
    for sf in files:
        if sf.problem:
            site.problems.append(sf.problem)
            continue
        site.problems += body_problems(sf, docs_dir / sf.rel)  # raw HTML and links the page would lose
        if sf.is_original:
            meta = sf.meta
            site.problems += _check_names(sf)
            if "translation_of" in meta:
                site.problems.append(report("translation-of-in-original", sf.rel, "translation_of"))
        else:
            original = by_rel.get(sf.original_rel)
            site.problems += _check_translation(sf, original)
            if original is None or original.problem:
                continue
            meta = merge_translation(original.meta, sf.meta)
        page, problems = _validate_meta(meta, sf, vocab) if vocab else (None, [])
        site.problems += problems
        if page is not None and getattr(page, "status", "published") != "draft":
            site.problems += _check_placeholders(sf, meta)
        for i, quote in enumerate(getattr(page, "quotes", []) or []):
            if quote.text.casefold() in " ".join(sf.body.split()).casefold():
                site.problems.append(report("quote-repeated", sf.rel, f"quotes[{i}]"))
        if sf.is_original:
            site.problems += _check_references(sf, meta, docs_dir, consent)
        if page is not None and sf.lang in locales:
            site.pages[(sf.lang, sf.original_rel)] = page
    site.problems += _check_unique_slugs(files, config)
    site.problems += _check_card_glyphs(site)
    site.warnings += _close_to_withdrawn_quotes(site)
    images.default_memo().save()
    # Files beside the pages: SVG refused; unreferenced ones (never published) worth a warning.
    refused, unused = references.check(docs_dir, files, config.locales, config.default.locale, complete=only is None)
    site.problems += refused
    site.warnings += unused
    if not site.problems and vocab:
        _apply_withdrawals(site, vocab)
    for p in site.problems + site.warnings:  # name files as people see them in the repository: docs/stories/…
        if not p.path.startswith("data/"):
            p.path = f"{docs_dir.name}/{p.path}"
    return site


def _strings(value: Any, path: str = "") -> list[tuple[str, str]]:
    """(dotted path, text) of every string in nested front matter."""
    if isinstance(value, str):
        return [(path, value)]
    if isinstance(value, dict):
        return [x for k, v in value.items() for x in _strings(v, f"{path}.{k}" if path else str(k))]
    if isinstance(value, list):
        return [x for i, v in enumerate(value) for x in _strings(v, f"{path}[{i}]")]
    return []


def _check_placeholders(sf: SourceFile, meta: dict[str, Any]) -> list[Problem]:
    """Template text left in a page that is about to be published."""
    problems = [report("placeholder", sf.rel, where) for where, text in _strings(meta) if text.strip() in PLACEHOLDERS]
    if any(ph in sf.body for ph in PLACEHOLDERS):
        problems.append(report("placeholder", sf.rel, "(text)"))
    return problems


def _apply_withdrawals(site: Site, vocab: Vocab) -> None:
    """Rewrite every page whose text names someone who withdrew consent (titles, summaries, lists…)."""
    if not any(rec.withdrawn for rec in site.consent.values()):
        return
    for (lang, rel), page in list(site.pages.items()):
        words = stand_ins(site, lang, page)
        data = redact_data(page.model_dump(mode="json"), redactions(site.consent, words))
        _forget(data, words)
        site.pages[(lang, rel)] = type(page).model_validate(data, context={"vocab": vocab})


def _forget(data: dict[str, Any], words: dict[str, str]) -> None:
    """Take withdrawn people out of a page's fields: their quotes and their places in the programme
    go, and their role (which names them as surely as their name) becomes the stand-in. A speaker
    stays in `speakers`, so the text keeps calling them 'a speaker'."""
    if "quotes" in data:
        data["quotes"] = [q for q in data["quotes"] if q["person"] not in words]
    for ref in data.get("people", []):
        ref["role"] = words.get(ref["id"], ref["role"])
    for speaker in data.get("speakers", []):
        if speaker["person"] in words:
            speaker["role"] = speaker["affiliation"] = words[speaker["person"]]
    for session in data.get("sessions", []):
        session["speakers"] = [pid for pid in session["speakers"] if pid not in words]


def _load_data(data_dir: Path, config: SiteConfig) -> tuple[Vocab | None, list[Problem]]:
    """Read every data file the site uses (vocabularies, the guides' tables, each language's labels);
    a broken one is a Problem, and without the vocabularies the pages' fields are not checked."""
    problems, vocab = [], None

    def check(rel: str, read: Callable[[Path], Any]) -> Any:
        try:
            return read(data_dir / rel)
        except DataFileError as exc:
            problems.append(Problem(f"data/{rel}", "(file)", str(exc)))
            return None

    vocab = check("vocabularies.yml", load_vocab)
    for name, shape in DATA_TABLES.items():
        check(f"{name}.yml", lambda path, shape=shape: read_yaml(path, shape))
    for lang in config.locales:  # a language without a file shows the default's labels
        if lang == config.default.locale or (data_dir / "i18n" / f"{lang}.yml").exists():
            check(f"i18n/{lang}.yml", read_yaml)
    return vocab, problems


def _check_replacements(site: Site, consent_file: Path) -> list[Problem]:
    """A record's replacement is a wording every language has, or its own words in every language."""
    default = site.config.default.locale
    keys = labels(default, default, site.data_dir / "i18n").get("withdrawn_as", {})
    problems = []
    for pid, rec in site.consent.items():
        where = f"people.{pid}.replacement"
        if isinstance(rec.replacement, str) and rec.replacement not in keys:
            problems.append(
                report(
                    "consent-replacement-wording",
                    f"data/{consent_file.name}",
                    where,
                    replacement=rec.replacement,
                    default=default,
                    keys=", ".join(keys),
                )
            )
        elif isinstance(rec.replacement, dict):
            missing = [lang for lang in site.config.locales if not rec.replacement.get(lang)]
            if missing:
                problems.append(
                    report(
                        "consent-replacement-languages",
                        f"data/{consent_file.name}",
                        where,
                        missing=", ".join(missing),
                        first=missing[0],
                    )
                )
    return problems


def _check_names(sf: SourceFile) -> list[Problem]:
    """A page's folders and file name become its URL: lower-case ASCII letters, digits and hyphens
    only, so that links work as written, in every browser, feed and data file."""
    *folders, name = sf.original_rel.removesuffix(".md").split("/")
    for i, part in enumerate([*folders, name]):
        if not re.fullmatch(model.SLUG_PATTERN, part):
            what = "folder" if i < len(folders) else "file"
            return [report("file-name", sf.rel, "(file name)", part=part, what=what, slug=slugify(part))]
    return []


def _check_card_glyphs(site: Site) -> list[Problem]:
    """Every title, in every language, can be drawn on its social card (else a card of empty boxes)."""
    try:
        cards.font_files()
    except cards.FontMissing:
        return []  # the card step itself names the package to install
    by_key = {(sf.lang, sf.original_rel): sf for sf in site.files}
    problems, seen = [], set()
    for (lang, rel), page in site.pages.items():
        sf = by_key.get((lang, rel))
        owner = sf.rel if sf is not None and "title" in sf.meta else rel  # an untranslated title is the original's
        missing = cards.missing_glyphs(page.title)
        if missing and (owner, page.title) not in seen:
            seen.add((owner, page.title))
            shown = " ".join(missing[:8]) + (" …" if len(missing) > 8 else "")
            codes = ", ".join(f"U+{ord(ch):04X}" for ch in missing[:8])
            problems.append(report("card-glyphs", owner, "title", shown=shown, codes=codes))
    return problems


QUOTE_LIKENESS = 0.6  # share of a withdrawn quote's words found, in order, in one sentence of prose
MIN_QUOTE_WORDS = 4  # shorter quotes are made of words any text uses
_SENTENCE = re.compile(r"(?:[^.!?\n]|\n(?![ \t]*\n))+[.!?]*")  # up to . ! ? or a blank line


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.casefold())


def likeness(quote: str, sentence: str) -> float:
    """Share of the quote's words that the sentence keeps in the same order (1.0: all of them)."""
    q, s = _words(quote), _words(sentence)
    matcher = difflib.SequenceMatcher(None, q, s, autojunk=False)
    return sum(block.size for block in matcher.get_matching_blocks()) / max(len(q), 1)


def _close_to_withdrawn_quotes(site: Site) -> list[Problem]:
    """Sentences of prose, in any language, that keep most of a withdrawn person's quote: a
    paraphrase identifies them once the quote itself is gone."""
    default = site.config.default.locale
    quotes: dict[str, list[tuple[str, str]]] = defaultdict(list)  # lang -> (person, text)
    for (lang, _), page in site.pages.items():
        for q in getattr(page, "quotes", []):
            rec = site.consent.get(q.person)
            if rec is not None and rec.withdrawn and len(_words(q.text)) >= MIN_QUOTE_WORDS:
                quotes[lang].append((q.person, q.text))
    warnings = []
    for sf in site.files:
        candidates = set(quotes[sf.lang] + quotes[default])
        if sf.problem or not candidates:
            continue
        raw = (site.docs_dir / sf.rel).read_text(encoding="utf-8")
        start = raw.find(sf.body)
        for m in _SENTENCE.finditer(sf.body):
            for person, text in sorted(candidates):
                if likeness(text, m.group()) >= QUOTE_LIKENESS:
                    line = raw.count("\n", 0, start + m.start() + len(m.group()) - len(m.group().lstrip())) + 1
                    sentence = " ".join(m.group().split())
                    warnings.append(
                        report("withdrawn-quote-close", sf.rel, f"line {line}", person=person, sentence=sentence[:80])
                    )
                    break
    return warnings


def _check_unique_slugs(files: list[SourceFile], config: SiteConfig) -> list[Problem]:
    """Two pages must never claim one URL in any language: stories/a.md and stories/a/index.md; an
    English page under docs/es/ and the Spanish version of a page (every page is built in every
    language, translated or shown untranslated); a page where the site generates its own."""
    generated = ("stories/map/", "data/", f"{LIST_ROOT}page/", *(f"{LIST_ROOT}{facet}/" for facet in FACETS))
    by_key = {(sf.lang, sf.original_rel): sf for sf in files}
    claims: dict[str, str] = {}  # URL -> the file shown there
    problems: dict[str, Problem] = {}  # one per original
    for sf in (f for f in files if f.is_original):
        path = url_path(sf.rel)
        if path.startswith(generated):
            problems.setdefault(sf.rel, report("url-generated", sf.rel, "(slug)", url=path))
        for lang in config.locales:
            url = lang_path(path, lang, config.default.locale)
            shown = by_key.get((lang, sf.rel), sf).rel
            other = claims.setdefault(url, shown)
            if other != shown:
                problems.setdefault(sf.rel, report("url-unique", shown, "(slug)", url=url or "/", other=other))
    return list(problems.values())
