"""The open data as a Frictionless data package: one Table Schema per CSV (types, required values,
enumerations from data/vocabularies.yml, ranges and patterns from the content model, primary and
foreign keys) and `data/datapackage.json` per language.

The schemas are read from the same place as the columns' words (`msme.opendata`, `msme.model`),
so the files, the package and the Data page cannot disagree. No Frictionless import: the package
is plain JSON; the tests validate it with the `frictionless` library.
"""

from __future__ import annotations

import datetime as dt
import json
import typing
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel

from msme import fielddocs, l10n, model, opendata, urls
from msme.catalogue import Catalogue
from msme.vocab import Vocab, load_vocab

PROFILE = "tabular-data-package"
SCHEMA_DIR = "data/schemas"  # at the site's root: one schema per dataset, every language's CSV follows it
PACKAGE = "datapackage.json"
CONFIDENCE = ("sure", "likely", "unsure")  # data/contact_points.yml's confidence values
URL = {"type": "string", "format": "uri"}
TEXT = {"type": "string"}

# Columns no content field holds: their type and constraints (their words: opendata).
ADDED_TYPES: dict[str, dict[str, Any]] = {
    "id": {**TEXT, "constraints": {"required": True, "unique": True}},
    "url": {**URL, "constraints": {"required": True}},
    "sending_country_name": TEXT,
    "host_country_name": TEXT,
    "image": URL,
    "exchange_year": {"type": "year"},
}
KEYS: dict[str, tuple[str, list[str]]] = {  # dataset -> (primary key, columns pointing to a country)
    "stories": ("id", ["sending_country", "host_country"]),
    "events": ("id", ["country"]),
    "grants": ("country", ["country"]),
    "contact_points": ("organisation", ["country"]),
    "countries": ("code", []),
}


def _list_pattern(values: list[str]) -> str:
    """A ';'-separated list of `values` (how the CSV writes a list), as a regular expression."""
    one = "(" + "|".join(values) + ")"
    return f"^{one}(;{one})*$"


def _choices(info: Any, bare: Any, vocab: Vocab) -> list[str]:
    """The values a field may take (a vocabulary's codes, a Literal's options), or []."""
    choices = model.facts(info).get("choices")
    if choices and choices != "consent":
        return [str(v) for v in getattr(vocab, choices)]
    if typing.get_origin(bare) is Literal:
        return [str(v) for v in typing.get_args(bare)]
    return []


def model_field(cls: type[BaseModel], path: str, vocab: Vocab) -> dict[str, Any]:
    """A column's type and constraints from the model field it comes from."""
    steps = model.chain(cls, path)
    info = steps[-1][1]
    bare, metadata, _, many = fielddocs.item_of(info)
    many = many or "[]" in path
    values = _choices(info, bare, vocab)
    constraints: dict[str, Any] = {}
    if all(fielddocs.required(i) for _, i in steps):
        constraints["required"] = True
    out: dict[str, Any] = dict(TEXT)
    if many:
        if values:
            constraints["pattern"] = _list_pattern(values)
    elif values:
        constraints["enum"] = values
    elif bare is dt.date:
        out = {"type": "date"}
    elif bare is int:
        out = {"type": "integer"}
        low, high = model.bounds(info)
        constraints |= {k: v for k, v in (("minimum", low), ("maximum", high)) if v is not None}
    elif "Url" in getattr(bare, "__name__", ""):
        out = dict(URL)
    else:
        patterns = [m.pattern for m in metadata if getattr(m, "pattern", None)]
        if patterns:
            constraints["pattern"] = patterns[0]
    return {**out, "constraints": constraints} if constraints else out


def table_types(vocab: Vocab) -> dict[str, dict[str, dict[str, Any]]]:
    """Dataset -> column -> type and constraints, for the tables built from data/."""
    countries = {**TEXT, "constraints": {"required": True, "enum": list(vocab.countries)}}
    return {
        "grants": {
            "country": countries,
            "country_name": TEXT,
            "monthly_grant_eur": {"type": "integer", "constraints": {"required": True, "minimum": 0}},
            "monthly_grant_disability_eur": {"type": "integer", "constraints": {"required": True, "minimum": 0}},
            "source_url": {**URL, "constraints": {"required": True}},
        },
        "contact_points": {
            "organisation": {**TEXT, "constraints": {"required": True, "unique": True}},
            "country": countries,
            "country_name": TEXT,
            "note": TEXT,
            "source_url": {**URL, "constraints": {"required": True}},
            "confidence": {**TEXT, "constraints": {"required": True, "enum": list(CONFIDENCE)}},
        },
        "countries": {
            "code": {**countries, "constraints": {**countries["constraints"], "unique": True}},
            "name": {**TEXT, "constraints": {"required": True}},
            "eligible": {"type": "boolean", "constraints": {"required": True}},
            "partner": {"type": "boolean", "constraints": {"required": True}},
        },
    }


def _column_type(name: str, column: str, vocab: Vocab, locales: list[str]) -> dict[str, Any]:
    if column == "language":
        return {**TEXT, "constraints": {"required": True, "enum": locales}}
    if name in ("stories", "events"):
        if column in ADDED_TYPES:
            return ADDED_TYPES[column]
        cls, columns = (
            (model.Story, opendata.STORY_COLUMNS) if name == "stories" else (model.Event, opendata.EVENT_COLUMNS)
        )
        return model_field(cls, columns[column], vocab)
    return table_types(vocab)[name][column]


def schema(name: str, locales: list[str], vocab: Vocab | None = None) -> dict[str, Any]:
    """The Table Schema of dataset `name`: a field per column, in the CSV's order, with its words."""
    vocab = vocab or load_vocab()
    fields = [
        {"name": column, **_column_type(name, column, vocab, locales), "description": words}
        for column, words in opendata.DATASETS[name].items()
    ]
    primary, country_columns = KEYS[name]
    out: dict[str, Any] = {"fields": fields, "missingValues": [""], "primaryKey": [primary]}
    if country_columns:
        out["foreignKeys"] = [
            {"fields": [c], "reference": {"resource": "countries", "fields": ["code"]}} for c in country_columns
        ]
    return out


def _listed(pattern: str) -> list[str]:
    """The values of a list pattern made by `_list_pattern`."""
    return pattern[2 : pattern.index(")")].split("|")


def allowed_words(field: dict[str, Any], references: dict[str, str], t: dict[str, Any]) -> str:
    """What a schema field accepts beyond its type, in the page's language: the resource its
    codes come from, its values, its range (`references`: column -> resource path)."""
    c = field.get("constraints", {})
    if field["name"] in references:
        return f"{t['data_refers_to']} {references[field['name']]}"
    values = c.get("enum") or (_listed(c["pattern"]) if c.get("pattern", "").startswith("^(") else [])
    if values:
        return f"{t['data_one_of']}: {', '.join(values)}"
    if "minimum" in c and "maximum" in c:
        return t["data_range"].format(min=c["minimum"], max=c["maximum"])
    if "minimum" in c:
        return t["data_at_least"].format(min=c["minimum"])
    return ""


def field_rows(name: str, locales: list[str], t: dict[str, Any]) -> list[dict[str, Any]]:
    """The Data page's table of a dataset's fields, read from its Table Schema (labels `t`)."""
    table = schema(name, locales)
    references = {
        fk["fields"][0]: f"{fk['reference']['resource']}.csv ({fk['reference']['fields'][0]})"
        for fk in table.get("foreignKeys", [])
    }
    return [
        {
            "name": f["name"],
            "type": t["data_types"][f.get("format", f["type"])],
            "required": bool(f.get("constraints", {}).get("required")),
            "allowed": allowed_words(f, references, t),
            "description": f["description"],
        }
        for f in table["fields"]
    ]


def schema_path(name: str) -> str:
    """Where a dataset's Table Schema is published, from the site's root."""
    return f"{SCHEMA_DIR}/{name}.json"


def package(lang: str, locales: list[str], titles: dict[str, str], meta: dict[str, str]) -> dict[str, Any]:
    """datapackage.json for one language's folder (`titles`: dataset -> title in that language;
    `meta`: title, publisher, homepage, modified)."""
    licence = {"name": opendata.LICENCE, "path": opendata.LICENCE_URL, "title": "Creative Commons Attribution 4.0"}
    resources = []
    for name in opendata.DATASETS:
        resource: dict[str, Any] = {
            "name": name,
            "path": f"{name}.csv",
            "profile": "tabular-data-resource",
            "title": titles[name],
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "schema": schema(name, locales),
        }
        source = opendata.source_text(name)
        if source:
            resource["sources"] = [{"title": source}]
        resources.append(resource)
    return {
        "profile": PROFILE,
        "name": f"mobilisesme-open-data-{lang}",
        "title": meta["title"],
        "homepage": meta["homepage"],
        "language": lang,
        "licenses": [licence],
        "contributors": [{"title": meta["publisher"], "role": "publisher"}],
        **({"modified": meta["modified"]} if meta.get("modified") else {}),
        "resources": resources,
    }


def _dump(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=1) + "\n"


def write(cat: Catalogue, lang_dir: Path) -> int:
    """Write the catalogue's language's data/datapackage.json beside its CSV files; return its size."""
    config, lang = cat.site.config, cat.lang
    t = l10n.labels(lang, config.default.locale)
    meta = {
        "title": t["data_catalogue_title"],
        "homepage": urls.absolute(config.site_url, urls.lang_path("data/", lang, config.default.locale)),
        "publisher": config.identity.publisher,
        "modified": opendata.last_modified(cat),
    }
    titles = {name: t[f"data_{name}_title"] for name in opendata.DATASETS}
    text = _dump(package(lang, config.locales, titles, meta))
    (lang_dir / "data").mkdir(parents=True, exist_ok=True)
    (lang_dir / "data" / PACKAGE).write_text(text, encoding="utf-8")
    return len(text.encode())


def write_schemas(site_dir: Path, locales: list[str]) -> list[str]:
    """Write every dataset's Table Schema under data/schemas/ (what the catalogue's conformsTo
    points at); return their paths."""
    (site_dir / SCHEMA_DIR).mkdir(parents=True, exist_ok=True)
    for name in opendata.DATASETS:
        (site_dir / schema_path(name)).write_text(_dump(schema(name, locales)), encoding="utf-8")
    return [schema_path(name) for name in opendata.DATASETS]
