"""The open data's DCAT-AP 3.0 catalogue, for data portals such as data.europa.eu to harvest:
`catalogue.ttl` (Turtle) and `catalogue.jsonld` (JSON-LD) at the site's root.

One `dcat:Dataset` per dataset of `msme.opendata` with a distribution per format and language;
controlled values as EU Vocabularies URIs (licence, languages, countries, data theme, file types,
frequency, access rights), media types as IANA URIs, and each CSV's Table Schema as `conformsTo`.
Absolute addresses come from the site URL (a production build refuses a placeholder: `golive`).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, SKOS, XSD

from msme import datapackage, l10n, opendata, urls
from msme.catalogue import Catalogue
from msme.siteconfig import SiteConfig
from msme.vocab import load_vocab

EU = "http://publications.europa.eu/resource/authority/"
LICENCE = URIRef(EU + "licence/CC_BY_4_0")
THEME = URIRef(EU + "data-theme/ECON")  # Economy and finance: a programme for companies' staff
THEME_LABEL = "Economy and finance"  # its label in the EU data-theme table
THEMES = URIRef(EU + "data-theme")
PUBLIC = URIRef(EU + "access-right/PUBLIC")
IRREGULAR = URIRef(EU + "frequency/IRREG")  # a new file with every publication of the site
FILE_TYPES = {"csv": "CSV", "json": "JSON"}
IANA = "https://www.iana.org/assignments/media-types/"
# ISO 639-1 (the site's locales) -> the EU language table's codes: the 24 official EU languages and
# those of the programme's other countries, so adding any of them to mkdocs.yml needs nothing here.
LANGUAGES = {
    "bg": "BUL", "cs": "CES", "da": "DAN", "de": "DEU", "el": "ELL", "en": "ENG", "es": "SPA", "et": "EST",
    "fi": "FIN", "fr": "FRA", "ga": "GLE", "hr": "HRV", "hu": "HUN", "it": "ITA", "lt": "LIT", "lv": "LAV",
    "mt": "MLT", "nl": "NLD", "pl": "POL", "pt": "POR", "ro": "RON", "sk": "SLK", "sl": "SLV", "sv": "SWE",
    "is": "ISL", "no": "NOR", "nb": "NOB", "sq": "SQI", "mk": "MKD", "sr": "SRP", "tr": "TUR",
}  # fmt: skip
# ISO 3166-1 alpha-2 (data/vocabularies.yml) -> alpha-3, the EU country table's codes.
COUNTRIES = {
    "AT": "AUT", "BE": "BEL", "BG": "BGR", "HR": "HRV", "CY": "CYP", "CZ": "CZE", "DK": "DNK", "EE": "EST",
    "FI": "FIN", "FR": "FRA", "DE": "DEU", "GR": "GRC", "HU": "HUN", "IE": "IRL", "IT": "ITA", "LV": "LVA",
    "LT": "LTU", "LU": "LUX", "MT": "MLT", "NL": "NLD", "PL": "POL", "PT": "PRT", "RO": "ROU", "SK": "SVK",
    "SI": "SVN", "ES": "ESP", "SE": "SWE", "IS": "ISL", "NO": "NOR", "AL": "ALB", "MK": "MKD", "ME": "MNE",
    "RS": "SRB", "TR": "TUR", "GB": "GBR",
}  # fmt: skip
# The programme ran August 2020 to March 2023 (mobilise-sme.eu, success-story booklet post;
# the project's sources: programme-facts.md): the period of the tables that are not dated records.
PROGRAMME = ("2020-08", "2023-03")
TURTLE, JSONLD = "catalogue.ttl", "catalogue.jsonld"
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
PREFIXES = {"dcat": DCAT, "dct": DCTERMS, "foaf": FOAF, "vcard": VCARD, "skos": SKOS, "xsd": XSD}


def country_uri(code: str) -> URIRef:
    """A country of data/vocabularies.yml as its EU country-table URI (KeyError for an unknown code)."""
    return URIRef(EU + "country/" + COUNTRIES[code])


def language_uri(locale: str) -> URIRef:
    """A site locale as its EU language-table URI."""
    return URIRef(EU + "language/" + LANGUAGES[locale])


def _countries(name: str, cat: Catalogue) -> list[str]:
    """The countries a dataset's records name, in their order, once each."""
    rows = opendata.records(name, cat)
    keys = {"stories": ("sending_country", "host_country"), "countries": ("code",)}.get(name, ("country",))
    return list(dict.fromkeys(r[k] for r in rows for k in keys if r.get(k)))


def _period(name: str, cat: Catalogue) -> tuple[str, str]:
    """(start, end) of what a dataset's records cover: the exchanges' years, the events' days;
    the programme's months where the records give none."""
    if name == "stories":
        years = sorted(e.year for e in cat.entries if e.year)
        if years:
            return years[0], years[-1]
    if name == "events":
        days = sorted(d for _, _, ev, _ in cat.events() for d in (ev.start, ev.end or ev.start))
        if days:
            return days[0].isoformat(), days[-1].isoformat()
    return PROGRAMME


def _date(value: str) -> Literal:
    """A year, month or day as its XSD type (gYear, gYearMonth, date)."""
    kind = {4: XSD.gYear, 7: XSD.gYearMonth}.get(len(value), XSD.date)
    return Literal(value, datatype=kind)


def _typed(g: Graph, node: URIRef, kind: URIRef, scheme: URIRef | None = None) -> URIRef:
    """`node`, stated to be of `kind` (and in `scheme`): what DCAT-AP's range shapes check."""
    g.add((node, RDF.type, kind))
    if scheme is not None:
        g.add((node, SKOS.inScheme, scheme))
    return node


class _Writer:
    """Builds the graph: the site's addresses, labels per language, the shared agent nodes."""

    def __init__(self, config: SiteConfig, cats: dict[str, Catalogue]) -> None:
        self.config, self.cats = config, cats
        self.default = config.default.locale
        self.labels = {lang: l10n.labels(lang, self.default) for lang in config.locales}
        self.g = Graph()
        for prefix, ns in PREFIXES.items():
            self.g.bind(prefix, ns)
        self.page = self.url("data/")

    def url(self, path: str, lang: str | None = None) -> str:
        """The absolute address of a default-language `path`, in `lang`."""
        return urls.absolute(self.config.site_url, urls.lang_path(path, lang or self.default, self.default))

    def texts(self, node: URIRef | BNode, prop: URIRef, key: str, fmt: dict[str, str] | None = None) -> None:
        """`prop` of `node` in every language, from label `key`."""
        for lang, t in self.labels.items():
            self.g.add((node, prop, Literal(t[key].format(**(fmt or {})), lang=lang)))

    def agents(self) -> tuple[URIRef, BNode]:
        """The publisher (from mkdocs.yml's identity) and the contact point."""
        g, identity = self.g, self.config.identity
        publisher = URIRef(self.page + "#publisher")
        g.add((publisher, RDF.type, FOAF.Agent))
        g.add((publisher, FOAF.name, Literal(identity.legal_or_publisher or self.config.site_name)))
        g.add((publisher, FOAF.homepage, _typed(g, URIRef(self.config.site_url), FOAF.Document)))
        contact = BNode("contact")
        g.add((contact, RDF.type, VCARD.Kind))  # the class DCAT-AP names; Organization is a kind of it
        g.add((contact, RDF.type, VCARD.Organization))
        g.add((contact, VCARD.fn, Literal(identity.publisher or self.config.site_name)))
        if identity.email:
            g.add((contact, VCARD.hasEmail, URIRef("mailto:" + identity.email)))
        g.add((contact, VCARD.hasURL, URIRef(self.config.site_url)))
        return publisher, contact

    def common(self, node: URIRef, lang_codes: list[str]) -> None:
        """Licence and languages, which the catalogue, datasets and distributions share."""
        g = self.g
        g.add((node, DCTERMS.license, _typed(g, LICENCE, DCTERMS.LicenseDocument)))
        for lang in lang_codes:
            language = _typed(g, language_uri(lang), DCTERMS.LinguisticSystem, URIRef(EU + "language"))
            g.add((node, DCTERMS.language, language))

    def distribution(self, name: str, lang: str, fmt: str, schema: URIRef | None, modified: str) -> URIRef:
        g, t = self.g, self.labels[lang]
        path = urls.lang_prefix(lang, self.default) + f"data/{name}.{fmt}"
        node = URIRef(self.page + f"#{name}-{lang}-{fmt}")
        download = urls.absolute(self.config.site_url, path)
        g.add((node, RDF.type, DCAT.Distribution))
        g.add((node, DCTERMS.title, Literal(f"{t[f'data_{name}_title']} ({fmt.upper()})", lang=lang)))
        g.add((node, DCAT.accessURL, URIRef(self.url("data/", lang))))
        g.add((node, DCAT.downloadURL, URIRef(download)))
        g.add((node, DCAT.mediaType, _typed(g, URIRef(IANA + opendata.FORMATS[fmt]), DCTERMS.MediaType)))
        file_type = URIRef(EU + "file-type/" + FILE_TYPES[fmt])
        g.add((node, DCTERMS.format, _typed(g, file_type, DCTERMS.MediaTypeOrExtent, URIRef(EU + "file-type"))))
        if schema is not None:
            g.add((node, DCTERMS.conformsTo, schema))
        if modified:
            g.add((node, DCTERMS.modified, _date(modified)))
        self.common(node, [lang])
        return node

    def dataset(self, name: str, publisher: URIRef, contact: BNode) -> URIRef:
        g, cat = self.g, self.cats[self.default]
        node = URIRef(self.page + f"#dataset-{name}")  # the page section (landing page) is another node
        g.add((node, RDF.type, DCAT.Dataset))
        self.texts(node, DCTERMS.title, f"data_{name}_title")
        self.texts(node, DCTERMS.description, f"data_{name}_description")
        g.add((node, DCTERMS.identifier, Literal(node)))
        g.add((node, DCTERMS.publisher, publisher))
        g.add((node, DCAT.contactPoint, contact))
        g.add((node, DCAT.landingPage, _typed(g, URIRef(self.page + f"#msme-ds-{name}"), FOAF.Document)))
        g.add((node, DCAT.theme, _typed(g, THEME, SKOS.Concept, THEMES)))
        g.add((THEME, SKOS.prefLabel, Literal(THEME_LABEL, lang="en")))
        g.add((node, DCTERMS.accessRights, _typed(g, PUBLIC, DCTERMS.RightsStatement, URIRef(EU + "access-right"))))
        g.add((node, DCTERMS.accrualPeriodicity, _typed(g, IRREGULAR, DCTERMS.Frequency, URIRef(EU + "frequency"))))
        for lang, t in self.labels.items():
            for word in t["data_keywords"]:
                g.add((node, DCAT.keyword, Literal(word, lang=lang)))
        for code in _countries(name, cat):
            g.add((node, DCTERMS.spatial, _typed(g, country_uri(code), DCTERMS.Location, URIRef(EU + "country"))))
        start, end = _period(name, cat)
        period = BNode(f"period-{name}")
        g.add((period, RDF.type, DCTERMS.PeriodOfTime))
        g.add((period, DCAT.startDate, _date(start)))
        g.add((period, DCAT.endDate, _date(end)))
        g.add((node, DCTERMS.temporal, period))
        modified = opendata.last_modified(cat) if name in ("stories", "events") else ""
        if modified:
            g.add((node, DCTERMS.modified, _date(modified)))
        source = opendata.source_of(name)
        if source:  # where a table copied from data/ got its figures
            g.add((node, FOAF.page, _typed(g, URIRef(source["url"]), FOAF.Document)))
        schema = URIRef(urls.absolute(self.config.site_url, datapackage.schema_path(name)))
        _typed(g, schema, DCTERMS.Standard)
        g.add((schema, DCTERMS.title, Literal(f"Table Schema: {name}", lang="en")))
        g.add((node, DCTERMS.conformsTo, schema))
        self.common(node, self.config.locales)
        for lang in self.config.locales:
            for fmt in opendata.FORMATS:
                dist = self.distribution(name, lang, fmt, schema if fmt == "csv" else None, modified)
                g.add((node, DCAT.distribution, dist))
        return node

    def catalogue(self) -> Graph:
        g = self.g
        node = URIRef(self.page + "#catalogue")
        g.add((node, RDF.type, DCAT.Catalog))
        self.texts(node, DCTERMS.title, "data_catalogue_title")
        self.texts(node, DCTERMS.description, "data_summary")
        publisher, contact = self.agents()
        g.add((node, DCTERMS.publisher, publisher))
        g.add((node, DCAT.contactPoint, contact))
        g.add((node, FOAF.homepage, _typed(g, URIRef(self.page), FOAF.Document)))
        g.add((node, DCAT.themeTaxonomy, _typed(g, THEMES, SKOS.ConceptScheme)))
        g.add((THEMES, DCTERMS.title, Literal("Data theme", lang="en")))
        modified = opendata.last_modified(self.cats[self.default])
        if modified:
            g.add((node, DCTERMS.modified, _date(modified)))
        for code in load_vocab().countries:
            if load_vocab().countries[code].get("eligible"):
                g.add((node, DCTERMS.spatial, _typed(g, country_uri(code), DCTERMS.Location, URIRef(EU + "country"))))
        self.common(node, self.config.locales)
        for name in opendata.DATASETS:
            g.add((node, DCAT.dataset, self.dataset(name, publisher, contact)))
        return g


def graph(config: SiteConfig, cats: dict[str, Catalogue]) -> Graph:
    """The catalogue of every dataset in every language (`cats`: at least the default language's)."""
    return _Writer(config, cats).catalogue()


def summary(g: Graph) -> dict[str, int]:
    """How many datasets and distributions a catalogue holds."""
    return {
        "datasets": len(set(g.subjects(RDF.type, DCAT.Dataset))),
        "distributions": len(set(g.subjects(RDF.type, DCAT.Distribution))),
    }


def _sorted(value: Any) -> Any:
    """A JSON-LD value with every list in a fixed order (rdflib's follows hashing, which varies
    between processes; builds must be reproducible byte for byte)."""
    if isinstance(value, dict):
        return {k: _sorted(v) for k, v in sorted(value.items())}
    if isinstance(value, list):
        return sorted((_sorted(v) for v in value), key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
    return value


def to_jsonld(g: Graph) -> str:
    """The graph as compact JSON-LD with the catalogue's prefixes, in a reproducible order."""
    context: dict[str, Any] = {p: str(ns) for p, ns in g.namespaces() if p in PREFIXES}
    data = json.loads(g.serialize(format="json-ld", context=context))
    return json.dumps(_sorted(data), ensure_ascii=False, indent=1) + "\n"


def write(site_dir: Path, config: SiteConfig, cats: dict[str, Catalogue]) -> str:
    """Write catalogue.ttl, catalogue.jsonld and the Table Schemas they point to; return a log line."""
    g = graph(config, cats)
    (site_dir / TURTLE).write_text(g.serialize(format="turtle"), encoding="utf-8")
    (site_dir / JSONLD).write_text(to_jsonld(g), encoding="utf-8")
    datapackage.write_schemas(site_dir, config.locales)
    counts = summary(g)
    return f"DCAT-AP catalogue: {counts['datasets']} datasets, {counts['distributions']} distributions"
