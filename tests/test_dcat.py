"""The DCAT-AP 3.0 catalogue: valid against SEMIC's official shapes (offline, tests/shapes/), a
dataset without a title is reported, every dataset has a distribution per format and language,
and the built site publishes it and links it from every page."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
from pyshacl import validate
from rdflib import Graph, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCAT, DCTERMS, RDF, SH

from msme import dcat, opendata
from msme.build import Build, BuildOptions, prepare
from msme.siteconfig import load_site_config
from msme.vocab import load_vocab

ROOT = Path(__file__).resolve().parents[1]
SHAPES = Path(__file__).parent / "shapes" / "dcat-ap-3.0.0"


@pytest.fixture(scope="module")
def built() -> Build:
    return prepare(ROOT / "mkdocs.yml", ROOT / "docs", {}, BuildOptions())[0]


@pytest.fixture(scope="module")
def catalogue(built: Build) -> Graph:
    """The catalogue as harvesters read it: the Turtle text parsed back."""
    return Graph().parse(data=dcat.graph(built.site.config, built.catalogues).serialize(format="turtle"))


@pytest.fixture(scope="module")
def shapes() -> Graph:
    g = Graph()
    for name in ("dcat-ap-SHACL.ttl", "mdr-vocabularies.shape.ttl"):
        g.parse(SHAPES / name)
    return g


def violations(data: Graph, shapes: Graph) -> tuple[bool, list[tuple[str, str, str]], str]:
    """(conforms, (focus node, path, message) of every sh:Violation, the report's text)."""
    conforms, report, text = validate(data, shacl_graph=shapes, inference="rdfs", allow_warnings=True)
    found = [
        (
            str(report.value(r, SH.focusNode)),
            str(report.value(r, SH.resultPath)),
            str(report.value(r, SH.resultMessage)),
        )
        for r in report.objects(None, SH.result)  # the report's results, not their sh:detail
        if report.value(r, SH.resultSeverity) == SH.Violation
    ]
    return conforms, found, text


def test_the_catalogue_conforms_to_the_official_shapes(catalogue: Graph, shapes: Graph) -> None:
    conforms, found, text = violations(catalogue, shapes)
    print(text)  # the SHACL report the issue asks to see (pytest -s): warnings only
    assert found == [] and conforms


def test_a_dataset_without_a_title_is_reported(catalogue: Graph, shapes: Graph) -> None:
    broken = Graph()
    for triple in catalogue:
        broken.add(triple)
    stories = next(d for d in broken.subjects(RDF.type, DCAT.Dataset) if str(d).endswith("#dataset-stories"))
    broken.remove((stories, DCTERMS.title, None))
    conforms, found, _ = violations(broken, shapes)
    assert not conforms
    assert [(focus, path) for focus, path, _ in found] == [(str(stories), str(DCTERMS.title))]


def test_every_dataset_has_a_distribution_per_format_and_language(built: Build, catalogue: Graph) -> None:
    datasets = set(catalogue.subjects(RDF.type, DCAT.Dataset))
    assert len(datasets) == len(opendata.DATASETS)
    locales = built.site.config.locales
    for ds in datasets:
        dists = list(catalogue.objects(ds, DCAT.distribution))
        pairs = {(str(catalogue.value(d, DCTERMS.language)), str(catalogue.value(d, DCAT.mediaType))) for d in dists}
        assert len(dists) == len(pairs) == len(locales) * len(opendata.FORMATS)
        assert {lang for lang, _ in pairs} == {str(dcat.language_uri(lang)) for lang in locales}
        # Every CSV names the Table Schema it follows.
        for d in dists:
            if str(catalogue.value(d, DCAT.mediaType)).endswith("text/csv"):
                assert str(catalogue.value(d, DCTERMS.conformsTo)).endswith(".json")
    assert dcat.summary(catalogue) == {
        "datasets": len(opendata.DATASETS),
        "distributions": len(opendata.DATASETS) * len(locales) * len(opendata.FORMATS),
    }


def test_controlled_values_are_eu_vocabulary_uris(catalogue: Graph) -> None:
    assert set(load_vocab().countries) <= set(dcat.COUNTRIES)
    for ds in catalogue.subjects(RDF.type, DCAT.Dataset):
        assert catalogue.value(ds, DCTERMS.license) == dcat.LICENCE
        assert catalogue.value(ds, DCAT.theme) == dcat.THEME
        spatial = [str(s) for s in catalogue.objects(ds, DCTERMS.spatial)]
        assert spatial and all(s.startswith(dcat.EU + "country/") and len(s.rsplit("/", 1)[1]) == 3 for s in spatial)
        period = catalogue.value(ds, DCTERMS.temporal)
        start, end = catalogue.value(period, DCAT.startDate), catalogue.value(period, DCAT.endDate)
        assert str(start) <= str(end)
    grants = URIRef(next(str(d) for d in catalogue.subjects(RDF.type, DCAT.Dataset) if str(d).endswith("-grants")))
    per_month = opendata.data_table("grants")["per_month"]
    assert {str(s) for s in catalogue.objects(grants, DCTERMS.spatial)} == {str(dcat.country_uri(c)) for c in per_month}


def test_addresses_come_from_the_site_url(built: Build) -> None:
    config = dataclasses.replace(built.site.config, site_url="https://data.example.net/msme/")
    g = dcat.graph(config, built.catalogues)
    ours = {str(n) for t in g for n in t if isinstance(n, URIRef) and "msme" in str(n) and "example" in str(n)}
    assert ours and all(n.startswith("https://data.example.net/msme/") for n in ours)
    assert not any(built.site.config.site_url in str(n) for t in g for n in t)


def test_json_ld_holds_the_same_graph_and_is_reproducible(built: Build, catalogue: Graph) -> None:
    g = dcat.graph(built.site.config, built.catalogues)
    text = dcat.to_jsonld(g)
    assert isomorphic(Graph().parse(data=text, format="json-ld"), catalogue)
    assert text == dcat.to_jsonld(dcat.graph(built.site.config, built.catalogues))
    assert json.loads(text)["@context"]["dcat"] == str(DCAT)


def test_the_built_site_publishes_and_links_the_catalogue(real_site) -> None:
    site = real_site.site
    g = Graph().parse(site / dcat.TURTLE)
    assert dcat.summary(g)["datasets"] == len(opendata.DATASETS)
    assert isomorphic(g, Graph().parse(site / dcat.JSONLD, format="json-ld"))
    site_url = load_site_config(ROOT / "mkdocs.yml").site_url
    for dist in g.subjects(RDF.type, DCAT.Distribution):
        url = str(g.value(dist, DCAT.downloadURL))
        assert url.startswith(site_url) and (site / url.removeprefix(site_url)).is_file(), url
    for schema in set(g.objects(None, DCTERMS.conformsTo)):
        assert json.loads((site / str(schema).removeprefix(site_url)).read_text(encoding="utf-8"))["fields"]
    for page in ("index.html", "fr/about/index.html", "data/index.html"):
        html = (site / page).read_text(encoding="utf-8")
        assert 'rel="alternate" type="text/turtle"' in html and "catalogue.ttl" in html, page
    data_page = (site / "el" / "data" / "index.html").read_text(encoding="utf-8")
    assert 'href="../../catalogue.ttl"' in data_page and 'href="datapackage.json"' in data_page
