"""Validate all content at once: every problem in one run, as `path: field: problem (fix)`."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from msme import model
from msme.consent import ConsentRecord, Redaction, load_register, redact_data, redactions
from msme.content import Problem, SourceFile, discover, merge_translation, split_lang
from msme.images import ImageProblem, inspect
from msme.l10n import labels
from msme.paths import CONSENT_FILE, DOCS_DIR
from msme.scaffold import PLACEHOLDERS
from msme.siteconfig import SiteConfig, load_site_config
from msme.vocab import Vocab, load_vocab


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

    def page(self, lang: str, original_rel: str) -> model.Page | None:
        """The page in `lang`, or None when that translation does not exist."""
        return self.pages.get((lang, original_rel))

    def originals(self) -> list[SourceFile]:
        """Default-language files that parsed."""
        return [f for f in self.files if f.is_original and f.problem is None]

    def translations(self, original_rel: str) -> dict[str, SourceFile]:
        """Translation files of one original, by language."""
        return {f.lang: f for f in self.files if f.original_rel == original_rel and not f.is_original}


def _describe(err: dict[str, Any], ctype: str) -> tuple[str, str]:
    """Turn one pydantic error into (field path, readable message with a fix)."""
    loc = list(err["loc"])
    where = ".".join(str(p) for p in loc) if loc else "(page)"
    kind, ctx, got = err["type"], err.get("ctx") or {}, err.get("input")
    if kind == "missing":
        return where, f"is required (add `{loc[-1]}:` to the front matter)"
    if kind == "extra_forbidden":
        allowed = ", ".join(sorted(model.MODELS[ctype].model_fields)) if len(loc) == 1 else ""
        hint = f"; fields of a {ctype}: {allowed}" if allowed else ""
        return where, f"is not a known field (check its spelling or remove it{hint})"
    if kind in ("less_than_equal", "greater_than_equal", "less_than", "greater_than"):
        bound = ctx.get("le", ctx.get("ge", ctx.get("lt", ctx.get("gt"))))
        rel = {
            "less_than_equal": "at most",
            "greater_than_equal": "at least",
            "less_than": "below",
            "greater_than": "above",
        }[kind]
        return where, f"must be {rel} {bound}, got {got!r} (correct the number)"
    if kind == "literal_error":
        return where, f"got {got!r}; {err['msg'].lower()} (pick one of these)"
    if kind.startswith(("date", "datetime")):
        return where, f"got {got!r}; must be a date written YYYY-MM-DD"
    if kind == "string_pattern_mismatch":
        return where, f"got {got!r}; must match {ctx.get('pattern')} (e.g. 2021-05 or 2021-05-03)"
    if kind == "string_type" and isinstance(got, bool):
        return where, (
            f"YAML read this as {'yes' if got else 'no'}/{str(got).lower()}; "
            'put the value in quotes (e.g. country: "NO" for Norway)'
        )
    if kind == "value_error":
        return where, str(ctx.get("error", err["msg"]))
    if kind in ("too_short", "string_too_short"):
        return where, f"is empty; {err['msg'].lower()} (fill it in)"
    if kind in ("too_long", "string_too_long"):
        return where, f"{err['msg'].lower()} (shorten it)"
    return where, f"{err['msg']} (got {got!r})"


def _validate_meta(meta: dict[str, Any], sf: SourceFile, vocab: Vocab) -> tuple[model.Page | None, list[Problem]]:
    ctype = sf.content_type
    cls = model.MODELS.get(ctype)
    if cls is None:
        return None, [Problem(sf.rel, "type", f"unknown type {ctype!r} (use one of {', '.join(model.MODELS)})")]
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
        return [
            Problem(
                sf.rel,
                "(file)",
                f"translates {sf.original_rel}, which does not exist "
                "(rename the file to match its original, or delete it)",
            )
        ]
    problems = []
    if not sf.meta.get("translation_of"):
        problems.append(
            Problem(
                sf.rel,
                "translation_of",
                "is required in a translation (run "
                f"`./dev msme status` and copy the hash it shows for {sf.original_rel})",
            )
        )
    for path in _overlay_paths(sf.meta, []):
        dotted = model.normalise_path(path)
        if not model.is_translatable(dotted):
            problems.append(
                Problem(
                    sf.rel,
                    dotted,
                    f"is not translatable; set it in the original {sf.original_rel} only (delete it here)",
                )
            )
    for key, value in sf.meta.items():
        orig = original.meta.get(key)
        if isinstance(value, list) and isinstance(orig, list) and len(value) != len(orig):
            problems.append(
                Problem(
                    sf.rel,
                    key,
                    f"has {len(value)} items but the original has "
                    f"{len(orig)} (translate each item once, in the same order)",
                )
            )
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
            problems.append(
                Problem(
                    sf.rel,
                    where,
                    f"{pid!r} has no consent record (add people.{pid} "
                    f"with scope [{scope}] to data/consent.yml, or remove them)",
                )
            )
        elif scope not in rec.scope:
            problems.append(
                Problem(
                    sf.rel,
                    where,
                    f"{pid!r} has not consented to '{scope}' (extend "
                    f"their scope in data/consent.yml, or remove the {scope})",
                )
            )

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
                    Problem(
                        sf.rel,
                        f"{key}[{i}].source",
                        f"points to source {item['source']}, "
                        f"but the page lists {n_sources} (use an index into sources)",
                    )
                )
    return problems


def load_site(
    docs_dir: Path = DOCS_DIR,
    consent_file: Path = CONSENT_FILE,
    config: SiteConfig | None = None,
    only: Callable[[str, str], bool] | None = None,
) -> Site:
    """Parse and validate every content file (or those `only(lang, original)` keeps); problems are
    collected, never raised."""
    config = config or load_site_config()
    vocab = load_vocab()
    files = discover(docs_dir, config.locales, config.default.locale, only)
    present = {
        split_lang(p.relative_to(docs_dir).as_posix(), config.locales, config.default.locale)
        for p in docs_dir.rglob("*.md")
    }
    consent, consent_problems = load_register(consent_file)
    site = Site(config, docs_dir, files, consent, present=present)
    site.problems += [Problem(f"data/{consent_file.name}", *p.split(": ", 1)) for p in consent_problems]
    by_rel = {f.rel: f for f in files}
    locales = set(config.locales)
    for sf in files:
        if sf.problem:
            site.problems.append(sf.problem)
            continue
        if sf.is_original:
            meta = sf.meta
            if "translation_of" in meta:
                site.problems.append(
                    Problem(sf.rel, "translation_of", "belongs in translations only (delete it from the original)")
                )
        else:
            original = by_rel.get(sf.original_rel)
            site.problems += _check_translation(sf, original)
            if original is None or original.problem:
                continue
            meta = merge_translation(original.meta, sf.meta)
        page, problems = _validate_meta(meta, sf, vocab)
        site.problems += problems
        if page is not None and getattr(page, "status", "published") != "draft":
            site.problems += _check_placeholders(sf, meta)
        for i, quote in enumerate(getattr(page, "quotes", []) or []):
            if quote.text.casefold() in " ".join(sf.body.split()).casefold():
                site.problems.append(
                    Problem(
                        sf.rel,
                        f"quotes[{i}]",
                        "is repeated word for word in the text; "
                        "paraphrase it there, so that withdrawing consent can remove it",
                    )
                )
        if sf.is_original:
            site.problems += _check_references(sf, meta, docs_dir, consent)
        if page is not None and sf.lang in locales:
            site.pages[(sf.lang, sf.original_rel)] = page
    site.problems += _check_unique_slugs(files)
    if not site.problems:
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
    fix = "still holds the template's example text (write it from the sources, or set status: draft)"
    problems = [Problem(sf.rel, where, fix) for where, text in _strings(meta) if text.strip() in PLACEHOLDERS]
    if any(ph in sf.body for ph in PLACEHOLDERS):
        problems.append(Problem(sf.rel, "(text)", fix))
    return problems


def page_redactions(site: Site, lang: str, page: model.Page) -> list[Redaction]:
    """How withdrawn people are removed from one page: by their role on it, else a neutral phrase."""
    roles = {p.id: p.role for p in getattr(page, "people", [])}
    roles |= {s.person: f"{s.role}, {s.affiliation}" for s in getattr(page, "speakers", [])}
    return redactions(site.consent, roles, labels(lang, site.config.default.locale)["person_withdrawn"])


def _apply_withdrawals(site: Site, vocab: Vocab) -> None:
    """Rewrite every page whose text names someone who withdrew consent (titles, summaries, lists…)."""
    if not any(rec.withdrawn for rec in site.consent.values()):
        return
    for (lang, rel), page in list(site.pages.items()):
        rules = page_redactions(site, lang, page)
        data = redact_data(page.model_dump(mode="json"), rules)
        site.pages[(lang, rel)] = type(page).model_validate(data, context={"vocab": vocab})


def _check_unique_slugs(files: list[SourceFile]) -> list[Problem]:
    """Two files must never claim the same URL (e.g. stories/a.md and stories/a/index.md)."""
    seen: dict[tuple[str, str], list[str]] = defaultdict(list)
    for sf in files:
        stem = sf.original_rel.removesuffix(".md").removesuffix("/index").removesuffix("index")
        seen[(sf.lang, stem.rstrip("/"))].append(sf.rel)
    return [
        Problem(rels[1], "(slug)", f"has the same URL as {rels[0]} (rename one of them)")
        for rels in seen.values()
        if len(rels) > 1
    ]
