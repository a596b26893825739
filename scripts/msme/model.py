"""The content model: one typed schema per content type, each field documented in one line.

Validation needs the vocabularies, passed as pydantic context: `validate_meta(meta, vocab)`.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import types
import typing
from collections.abc import Iterator
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    HttpUrl,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic.fields import FieldInfo

from msme.vocab import Vocab

PARTIAL_DATE_PATTERN = r"^\d{4}-\d{2}(-\d{2})?$"
SLUG_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"  # ids and URL names: lower-case ASCII letters, digits, hyphens
LANG_PATTERN = r"^[a-z]{2}$"  # an ISO 639-1 language code
# The patterns in words, for prompts, docs and messages.
PATTERN_WORDS = {
    PARTIAL_DATE_PATTERN: "YYYY-MM or YYYY-MM-DD",
    SLUG_PATTERN: "lower-case letters a–z, digits and hyphens",
    LANG_PATTERN: "a two-letter language code (ISO 639-1), e.g. en",
}

Text = Annotated[str, Field(min_length=1)]
PartialDate = Annotated[str, Field(pattern=PARTIAL_DATE_PATTERN, description="YYYY-MM or YYYY-MM-DD")]
Slug = Annotated[str, Field(pattern=SLUG_PATTERN)]

# Facts about a field that tools built on the model read (`json_schema_extra`); see `facts`.
#   choices: where its allowed values come from: a vocabulary in data/vocabularies.yml, or
#            "consent" (the consent register's ids);
#   translatable: a translation may set it (a list of text: each item);
#   label: its name for people (the web editor's label, the `new` command's prompt, the docs);
#   widget: the web editor's widget where the type alone does not say ("text": several lines);
#   form: False for fields set by the build or by hand in the repository, not in a form;
#   initial: the value a new page starts with (before anyone checks it).
TRANSLATES: dict[str, Any] = {"translatable": True}
CHOICES_COUNTRIES: dict[str, Any] = {"choices": "countries"}
CONSENT: dict[str, Any] = {"choices": "consent"}
NOT_IN_FORM: dict[str, Any] = {"form": False}


class Strict(BaseModel):
    """Base: unknown keys are errors, so a typo in a field name never passes silently."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    @model_validator(mode="before")
    @classmethod
    def _blank_is_unset(cls, data: Any) -> Any:
        """An optional field left blank ("" or null, as a form writes a cleared field) is unset."""
        if not isinstance(data, dict):
            return data
        optional = _optional_fields(cls)
        return {k: v for k, v in data.items() if not (k in optional and (v is None or v == ""))}


@functools.cache
def _optional_fields(cls: type[BaseModel]) -> frozenset[str]:
    """Fields of a model that have a default (worked out once per model, not per page)."""
    return frozenset(name for name, f in cls.model_fields.items() if not f.is_required())


def _vocab(info: ValidationInfo) -> Vocab:
    return info.context["vocab"]


class Source(Strict):
    """A public page that facts on the page come from."""

    title: Text = Field(
        description="Title of the source page or document.",
        json_schema_extra=TRANSLATES | {"label": "Title of the source page"},
    )
    url: HttpUrl = Field(
        description="Address of the source.", json_schema_extra={"label": "Address (URL) of the source page"}
    )
    confidence: Literal["sure", "likely", "unsure"] = Field(
        "sure", description="sure = programme's own page; likely = third party; unsure = inferred."
    )
    lang: Annotated[str, Field(pattern=LANG_PATTERN)] | None = Field(
        None,
        description="Language of the title, where it is not the site's default language (ISO 639-1, e.g. de); "
        "marked on pages in other languages.",
        json_schema_extra={"label": "Language of the title"},
    )
    translated: bool = Field(
        False,
        description="Set by the build where a translation gives the title in its own words.",
        json_schema_extra=NOT_IN_FORM,
    )


class Organisation(Strict):
    """A sending or host company."""

    name: str | None = Field(
        None, description="Company name; empty when the source does not give it.", json_schema_extra=TRANSLATES
    )
    country: str | None = Field(
        None,
        description="Country, ISO 3166-1 alpha-2 code; required once published.",
        json_schema_extra=CHOICES_COUNTRIES | {"label": "Country"},
    )
    city: str | None = Field(None, description="Town or city, where the source gives it.", json_schema_extra=TRANSLATES)
    sector: str | None = Field(
        None,
        description="NACE Rev. 2 section letter, where known.",
        json_schema_extra={"choices": "sectors", "label": "NACE sector letter"},
    )
    description: str | None = Field(
        None,
        description="What the company does, in one or two sentences.",
        json_schema_extra=TRANSLATES | {"widget": "text"},
    )

    @field_validator("country")
    @classmethod
    def _country(cls, v: str | None, info: ValidationInfo) -> str | None:
        return None if v is None else _vocab(info).check("countries", v)

    @field_validator("sector")
    @classmethod
    def _sector(cls, v: str | None, info: ValidationInfo) -> str | None:
        return None if v is None else _vocab(info).check("sectors", v)


class Period(Strict):
    """When the exchange ran, as precisely as the source says: the year of the exchange shown on
    cards and in the year facet is read from it, never from the date of publication."""

    start: PartialDate | None = Field(
        None,
        description="First month (YYYY-MM) or day of the exchange, as a source gives it; its year is the "
        "story's year on cards and in the year facet.",
    )
    end: PartialDate | None = Field(
        None, description="Last month or day of the exchange; its year is the story's year when start is unknown."
    )

    @property
    def year(self) -> str:
        """The year of the exchange (of its start, else of its end); "" when no source gives one."""
        return (self.start or self.end or "")[:4]


class Sought(Strict):
    """What each side wanted from the exchange ("what are they seeking?")."""

    sending: str | None = Field(None, description="What the sending company sought.", json_schema_extra=TRANSLATES)
    host: str | None = Field(None, description="What the host company sought.", json_schema_extra=TRANSLATES)


class Results(Strict):
    """Results of the exchange, for each side."""

    kind: Literal["expected", "reported"] = Field(
        "reported", description="expected = planned before the exchange; reported = said afterwards."
    )
    both: list[Text] = Field(
        default_factory=list, description="Results shared by both companies.", json_schema_extra=TRANSLATES
    )
    host: list[Text] = Field(
        default_factory=list, description="Results for the host company.", json_schema_extra=TRANSLATES
    )
    sending: list[Text] = Field(
        default_factory=list, description="Results for the sending company.", json_schema_extra=TRANSLATES
    )


class PersonRef(Strict):
    """A person named on the page; `id` points to their record in data/consent.yml."""

    id: Slug = Field(description="Key of the person's consent record in data/consent.yml.", json_schema_extra=CONSENT)
    role: Text = Field(
        description="The person's role on the page, shown with their quotes (never once withdrawn).",
        json_schema_extra=TRANSLATES,
    )


class Quote(Strict):
    """A verbatim quote, only from a source that prints it."""

    text: Text = Field(
        description="The words quoted, exactly as the source prints them.",
        json_schema_extra=TRANSLATES | {"widget": "text"},
    )
    person: Slug = Field(description="Consent-record id of the person quoted.", json_schema_extra=CONSENT)
    source: int = Field(0, ge=0, description="Index in `sources` of the page that prints the quote.")
    lang: Annotated[str, Field(pattern=LANG_PATTERN)] = Field(
        "en",
        description="Language the source prints the quote in (ISO 639-1, e.g. en); marked on pages in other languages.",
        json_schema_extra={"label": "Language of the quote"},
    )
    translated: bool = Field(
        False,
        description="Set by the build where a translation gives the quote in its own words: shown in the "
        "page's language, as a translation.",
        json_schema_extra=NOT_IN_FORM,
    )


class Image(Strict):
    """A picture shown on the page."""

    src: Text = Field(description="File name, relative to the page's folder.", json_schema_extra={"widget": "image"})
    alt: Text = Field(description="What the picture shows, for people who cannot see it.", json_schema_extra=TRANSLATES)
    credit: Text = Field(description="Who took or owns the picture.")
    people: list[Slug] = Field(
        default_factory=list, description="Consent ids of people pictured.", json_schema_extra=CONSENT
    )


class KeyFigure(Strict):
    """One number worth showing, with where it comes from."""

    value: float = Field(description="The number itself, unformatted (e.g. 286).")
    unit: Literal["count", "months", "percent", "eur"] = Field("count", description="How to format it.")
    label: Text = Field(description="What the number counts.", json_schema_extra=TRANSLATES)
    source: int = Field(0, ge=0, description="Index in `sources` of the page that gives the number.")


class Page(Strict):
    """Fields shared by every page."""

    type: str = Field(description="Content type: story, guide, event or page.", json_schema_extra=NOT_IN_FORM)
    title: Text = Field(
        max_length=140,
        description="Page title, also its <title> and card title.",
        json_schema_extra=TRANSLATES | {"label": "Title"},
    )
    summary: Text = Field(
        max_length=320,
        description="One or two sentences; the meta description.",
        json_schema_extra=TRANSLATES | {"label": "Summary", "widget": "text"},
    )
    sources: list[Source] = Field(default_factory=list, description="Where the page's facts come from.")
    translation_of: str | None = Field(
        None, description="Set in translations only: hash of the original.", json_schema_extra=NOT_IN_FORM
    )
    template: str | None = Field(
        None, description="Set by the build; do not write it by hand.", json_schema_extra=NOT_IN_FORM
    )
    hide: list[str] = Field(
        default_factory=list, description="Material: parts of the page layout to hide.", json_schema_extra=NOT_IN_FORM
    )
    status: Literal["draft", "review", "published"] = Field(
        "published",
        description="Only published pages are built (the local preview shows all).",
        json_schema_extra={"initial": "draft"},  # nothing new goes live by accident
    )


class GenericPage(Page):
    """A plain page: home, about, legal pages."""

    type: Literal["page"]
    key_figures: list[KeyFigure] = Field(default_factory=list, description="Figures shown as tiles.")


class Story(Page):
    """A collaboration between a sending and a host SME (the programme's story format)."""

    type: Literal["story"]
    status: Literal["draft", "review", "published"] = Field(
        description="Only published stories are built.", json_schema_extra={"initial": "draft"}
    )
    published: dt.date | None = Field(
        None, description="Date the story was published on this site (feeds, metadata); not the exchange's year."
    )
    sending: Organisation = Field(
        description="The company that sent a member of staff.", json_schema_extra={"label": "Sending company"}
    )
    host: Organisation = Field(
        description="The company that received them.", json_schema_extra={"label": "Host company"}
    )
    duration_months: int | None = Field(
        None,
        ge=1,
        le=6,
        description="Length of the exchange in months.",
        json_schema_extra={"label": "Duration in months"},
    )
    period: Period = Field(default_factory=Period, description="When the exchange ran, where known.")
    collaboration_types: list[str] = Field(
        min_length=1,
        description="Kinds of collaboration, from the programme's list.",
        json_schema_extra={"choices": "collaboration_types", "label": "Types of collaboration"},
    )
    sought: Sought = Field(default_factory=Sought, description="What each side was seeking.")
    activities: list[Text] = Field(
        default_factory=list, description="Main activities, one per item.", json_schema_extra=TRANSLATES
    )
    results: Results = Field(default_factory=Results, description="Results for each side.")
    quotes: list[Quote] = Field(default_factory=list, description="Verbatim quotes with the person quoted.")
    images: list[Image] = Field(default_factory=list, description="Pictures with alt text and credit.")
    people: list[PersonRef] = Field(default_factory=list, description="Everyone the page names.")
    gaps: list[Text] = Field(
        default_factory=list, description="What the sources do not say (for editors).", json_schema_extra=TRANSLATES
    )

    @field_validator("collaboration_types")
    @classmethod
    def _types(cls, v: list[str], info: ValidationInfo) -> list[str]:
        return [_vocab(info).check("collaboration_types", t) for t in v]

    @model_validator(mode="after")
    def _published_needs(self) -> Story:
        if self.status == "draft":
            return self
        missing = [f"{side}.country" for side in ("sending", "host") if getattr(self, side).country is None]
        if self.published is None:
            missing.append("published")
        if not self.sources:
            missing.append("sources")
        if missing:
            raise ValueError(
                f"a {self.status} story needs {', '.join(missing)} (fill them in from a source, or set status: draft)"
            )
        return self


class Step(Strict):
    """One step of a procedure."""

    title: Text = Field(description="Short name of the step.", json_schema_extra=TRANSLATES)
    text: Text = Field(description="What to do, in Markdown.", json_schema_extra=TRANSLATES | {"widget": "text"})


class Guide(Page):
    """A how-to page for participants."""

    type: Literal["guide"]
    audiences: list[str] = Field(
        min_length=1,
        description="Who the guide is for.",
        json_schema_extra={"choices": "audiences", "label": "Audiences"},
    )
    reviewed: dt.date = Field(description="Date the guide was last checked against its sources.")
    steps: list[Step] = Field(default_factory=list, description="Ordered steps, where it is a procedure.")
    data_table: Literal["grants", "contact_points"] | None = Field(
        None, description="A data table from data/ rendered under the text."
    )

    @field_validator("audiences")
    @classmethod
    def _aud(cls, v: list[str], info: ValidationInfo) -> list[str]:
        return [_vocab(info).check("audiences", a) for a in v]


class Place(Strict):
    """Where an event took place."""

    online: bool = Field(False, description="True for a meeting held online; city and country are then left out.")
    venue: str | None = Field(None, description="Building or venue, where known.", json_schema_extra=TRANSLATES)
    city: str | None = Field(
        None,
        description="City; required unless the event was online.",
        json_schema_extra=TRANSLATES | {"label": "City"},
    )
    country: str | None = Field(
        None,
        description="Country, ISO 3166-1 alpha-2 code; required unless online.",
        json_schema_extra=CHOICES_COUNTRIES | {"label": "Country"},
    )

    @field_validator("country")
    @classmethod
    def _country(cls, v: str | None, info: ValidationInfo) -> str | None:
        return None if v is None else _vocab(info).check("countries", v)

    @model_validator(mode="after")
    def _where(self) -> Place:
        if not self.online and (not self.city or not self.country):
            raise ValueError("city and country are required (or set online: true for an online meeting)")
        return self


class Speaker(Strict):
    """A speaker, by consent id, with role and affiliation as the source gives them."""

    person: Slug = Field(description="Consent-record id of the speaker.", json_schema_extra=CONSENT)
    role: Text = Field(description="Role or job title.", json_schema_extra=TRANSLATES)
    affiliation: Text = Field(description="Organisation the speaker represented.")


class Session(Strict):
    """One part of the programme of an event."""

    title: Text = Field(description="Name of the session.", json_schema_extra=TRANSLATES)
    speakers: list[Slug] = Field(
        default_factory=list, description="Consent ids of its speakers.", json_schema_extra=CONSENT
    )


class Event(Page):
    """An event recap."""

    type: Literal["event"]
    name: Text = Field(
        description="The event's official name, as the organisers wrote it.",
        json_schema_extra=TRANSLATES | {"label": "Official name of the event"},
    )
    start: dt.date = Field(description="First day.", json_schema_extra={"label": "First day"})
    end: dt.date | None = Field(None, description="Last day, if it lasted more than one.")
    place: Place = Field(description="Where it took place.")
    attendees: int | None = Field(None, ge=0, description="Number of attendees, from a source.")
    organisers: list[Text] = Field(
        min_length=1, description="Organisations that ran it.", json_schema_extra={"label": "Organisers"}
    )
    speakers: list[Speaker] = Field(default_factory=list, description="Who spoke.")
    sessions: list[Session] = Field(default_factory=list, description="The programme, in order.")
    key_figures: list[KeyFigure] = Field(default_factory=list, description="Figures shown as tiles.")
    takeaways: list[Text] = Field(
        default_factory=list, description="What came out of it.", json_schema_extra=TRANSLATES
    )
    quotes: list[Quote] = Field(default_factory=list, description="Verbatim quotes as reported.")
    images: list[Image] = Field(default_factory=list, description="Pictures with alt text and credit.")

    @model_validator(mode="after")
    def _dates(self) -> Event:
        if self.end and self.end < self.start:
            raise ValueError("end is before start (swap them or fix the date)")
        known = {s.person for s in self.speakers}
        for session in self.sessions:
            for who in session.speakers:
                if who not in known:
                    raise ValueError(
                        f"session {session.title!r} names speaker {who!r} who is not in speakers "
                        "(add them to speakers: with role and affiliation)"
                    )
        return self


MODELS: dict[str, type[Page]] = {
    "story": Story,
    "guide": Guide,
    "event": Event,
    "page": GenericPage,
}


def unwrap(annotation: Any) -> tuple[Any, list[Any], bool]:
    """(bare type, its Annotated metadata, whether None is allowed) of a field's annotation."""
    optional = False
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        optional = len(args) < len(typing.get_args(annotation))
        annotation = args[0]
    metadata: list[Any] = []
    if typing.get_origin(annotation) is typing.Annotated:
        annotation, *extra = typing.get_args(annotation)
        for item in extra:
            metadata += item.metadata if isinstance(item, FieldInfo) else [item]
    return annotation, metadata, optional


def submodel(annotation: Any) -> tuple[type[BaseModel] | None, bool]:
    """(the model a field holds, or None; whether it holds a list of them or of values)."""
    bare, _, _ = unwrap(annotation)
    many = typing.get_origin(bare) is list
    if many:
        bare, _, _ = unwrap(typing.get_args(bare)[0])
    return (bare if isinstance(bare, type) and issubclass(bare, BaseModel) else None), many


def facts(info: FieldInfo) -> dict[str, Any]:
    """A field's facts for tools (`json_schema_extra`): choices, translatable, label, widget, form, initial."""
    return info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}


def walk(cls: type[BaseModel], prefix: str = "") -> Iterator[tuple[str, FieldInfo]]:
    """Every field of a model and of the models inside it, as (path, field); list items as `[]`
    ('quotes[].text'; a list of values: 'gaps[]')."""
    for name, info in cls.model_fields.items():
        path = f"{prefix}.{name}" if prefix else name
        inner, many = submodel(info.annotation)
        yield (path + "[]" if many and inner is None else path), info
        if inner is not None:
            yield from walk(inner, path + "[]" if many else path)


def chain(cls: type[BaseModel], path: str) -> list[tuple[str, FieldInfo]]:
    """The fields along a path, outermost first: 'sending.country' -> [(sending), (country)].
    KeyError naming the part that does not exist."""
    out: list[tuple[str, FieldInfo]] = []
    current: type[BaseModel] | None = cls
    for part in path.split("."):
        name = part.removesuffix("[]")
        if current is None or name not in current.model_fields:
            raise KeyError(f"{cls.__name__} has no field {path!r} ({name!r} is not one)")
        info = current.model_fields[name]
        out.append((name, info))
        current, _ = submodel(info.annotation)
    return out


def field_at(cls: type[BaseModel], path: str) -> FieldInfo:
    """The field at a path such as 'sending.country' or 'sources[].url'."""
    return chain(cls, path)[-1][1]


def bounds(info: FieldInfo) -> tuple[Any, Any]:
    """(least, greatest) value a number field allows (None where unbounded)."""
    low = high = None
    for item in info.metadata:
        low = getattr(item, "ge", low)
        high = getattr(item, "le", high)
    return low, high


def translatable_paths() -> frozenset[str]:
    """Paths a translation may set, over every content type, from the fields marked translatable."""
    return frozenset(path for cls in MODELS.values() for path, info in walk(cls) if facts(info).get("translatable"))


# Fields a translation may set (list items as `[]`); everything else comes from the original,
# so facts such as countries, durations and figures cannot drift between languages.
TRANSLATABLE = translatable_paths()
TRANSLATION_ONLY = {"translation_of"}
# Lists whose items record that a translation gives their words in its own language (`translated`),
# so pages mark those words as the translation's, not the source's.
TRANSLATION_MARKED = frozenset(
    path.removesuffix("[].translated")
    for cls in MODELS.values()
    for path, _ in walk(cls)
    if path.endswith("[].translated")
)


def normalise_path(parts: list[Any]) -> str:
    """Turn ['quotes', 0, 'text'] into 'quotes[].text'."""
    out = ""
    for p in parts:
        out += "[]" if isinstance(p, int) else (f".{p}" if out else str(p))
    return out


def is_translatable(path: str) -> bool:
    """True when a translation may set the value at this normalised path."""
    return (
        path in TRANSLATABLE
        or path in TRANSLATION_ONLY
        or re.sub(r"\[\]$", "", path) in {p.removesuffix("[]") for p in TRANSLATABLE if p.endswith("[]")}
    )
