"""The content model: one typed schema per content type, each field documented in one line.

Validation needs the vocabularies, passed as pydantic context: `validate_meta(meta, vocab)`.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
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

from msme.vocab import Vocab

PARTIAL_DATE_PATTERN = r"^\d{4}-\d{2}(-\d{2})?$"
SLUG_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"  # ids and URL names: lower-case ASCII letters, digits, hyphens

Text = Annotated[str, Field(min_length=1)]
PartialDate = Annotated[str, Field(pattern=PARTIAL_DATE_PATTERN, description="YYYY-MM or YYYY-MM-DD")]
Slug = Annotated[str, Field(pattern=SLUG_PATTERN)]

# Where a field's allowed values come from, for tools built on the model (the web editor):
# a vocabulary in data/vocabularies.yml, or the consent register's ids.
CHOICES_COUNTRIES: dict[str, Any] = {"choices": "countries"}
CONSENT: dict[str, Any] = {"choices": "consent"}


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

    title: Text = Field(description="Title of the source page or document.")
    url: HttpUrl = Field(description="Address of the source.")
    confidence: Literal["sure", "likely", "unsure"] = Field(
        "sure", description="sure = programme's own page; likely = third party; unsure = inferred."
    )


class Organisation(Strict):
    """A sending or host company."""

    name: str | None = Field(None, description="Company name; null when the source does not give it.")
    country: str | None = Field(
        None, description="ISO 3166-1 alpha-2 code; required once published.", json_schema_extra=CHOICES_COUNTRIES
    )
    city: str | None = Field(None, description="Town or city, where the source gives it.")
    sector: str | None = Field(
        None, description="NACE Rev. 2 section letter A–U, where known.", json_schema_extra={"choices": "sectors"}
    )
    description: str | None = Field(None, description="What the company does, in one or two sentences.")

    @field_validator("country")
    @classmethod
    def _country(cls, v: str | None, info: ValidationInfo) -> str | None:
        return None if v is None else _vocab(info).check("countries", v)

    @field_validator("sector")
    @classmethod
    def _sector(cls, v: str | None, info: ValidationInfo) -> str | None:
        return None if v is None else _vocab(info).check("sectors", v)


class Period(Strict):
    """When the exchange ran, as precisely as the source says."""

    start: PartialDate | None = Field(None, description="First month (YYYY-MM) or day of the exchange.")
    end: PartialDate | None = Field(None, description="Last month or day of the exchange.")


class Sought(Strict):
    """What each side wanted from the exchange ("what are they seeking?")."""

    sending: str | None = Field(None, description="What the sending company sought.")
    host: str | None = Field(None, description="What the host company sought.")


class Results(Strict):
    """Results of the exchange, for each side."""

    kind: Literal["expected", "reported"] = Field(
        "reported", description="expected = planned before the exchange; reported = said afterwards."
    )
    both: list[Text] = Field(default_factory=list, description="Results shared by both companies.")
    host: list[Text] = Field(default_factory=list, description="Results for the host company.")
    sending: list[Text] = Field(default_factory=list, description="Results for the sending company.")


class PersonRef(Strict):
    """A person named on the page; `id` points to their record in data/consent.yml."""

    id: Slug = Field(description="Key of the person's consent record in data/consent.yml.", json_schema_extra=CONSENT)
    role: Text = Field(description="The person's role on the page, shown with their quotes (never once withdrawn).")


class Quote(Strict):
    """A verbatim quote, only from a source that prints it."""

    text: Text = Field(description="The words quoted, exactly as the source prints them.")
    person: Slug = Field(description="Consent-record id of the person quoted.", json_schema_extra=CONSENT)
    source: int = Field(0, ge=0, description="Index in `sources` of the page that prints the quote.")


class Image(Strict):
    """A picture shown on the page."""

    src: Text = Field(description="File name, relative to the page's folder.", json_schema_extra={"widget": "image"})
    alt: Text = Field(description="What the picture shows, for people who cannot see it.")
    credit: Text = Field(description="Who took or owns the picture.")
    people: list[Slug] = Field(
        default_factory=list, description="Consent ids of people pictured.", json_schema_extra=CONSENT
    )


class KeyFigure(Strict):
    """One number worth showing, with where it comes from."""

    value: float = Field(description="The number itself, unformatted (e.g. 286).")
    unit: Literal["count", "months", "percent", "eur"] = Field("count", description="How to format it.")
    label: Text = Field(description="What the number counts.")
    source: int = Field(0, ge=0, description="Index in `sources` of the page that gives the number.")


class Page(Strict):
    """Fields shared by every page."""

    type: str = Field(description="Content type: story, guide, event or page.")
    title: Text = Field(max_length=140, description="Page title, also its <title> and card title.")
    summary: Text = Field(max_length=320, description="One or two sentences; the meta description.")
    sources: list[Source] = Field(default_factory=list, description="Where the page's facts come from.")
    translation_of: str | None = Field(None, description="Set in translations only: hash of the original.")
    template: str | None = Field(None, description="Set by the build; do not write it by hand.")
    hide: list[str] = Field(default_factory=list, description="Material: parts of the page layout to hide.")
    status: Literal["draft", "review", "published"] = Field(
        "published", description="Only published pages are built (the local preview shows all)."
    )


class GenericPage(Page):
    """A plain page: home, about, legal pages."""

    type: Literal["page"]
    key_figures: list[KeyFigure] = Field(default_factory=list, description="Figures shown as tiles.")


class Story(Page):
    """A collaboration between a sending and a host SME (the programme's story format)."""

    type: Literal["story"]
    status: Literal["draft", "review", "published"] = Field(description="Only published stories are built.")
    published: dt.date | None = Field(None, description="Date the story was published on this site.")
    sending: Organisation = Field(description="The company that sent a member of staff.")
    host: Organisation = Field(description="The company that received them.")
    duration_months: int | None = Field(None, ge=1, le=6, description="Length of the exchange, 1–6 months.")
    period: Period = Field(default_factory=Period, description="When the exchange ran, where known.")
    collaboration_types: list[str] = Field(
        min_length=1, description="Keys from collaboration_types.", json_schema_extra={"choices": "collaboration_types"}
    )
    sought: Sought = Field(default_factory=Sought, description="What each side was seeking.")
    activities: list[Text] = Field(default_factory=list, description="Main activities, one per item.")
    results: Results = Field(default_factory=Results, description="Results for each side.")
    quotes: list[Quote] = Field(default_factory=list, description="Verbatim quotes with the person quoted.")
    images: list[Image] = Field(default_factory=list, description="Pictures with alt text and credit.")
    people: list[PersonRef] = Field(default_factory=list, description="Everyone the page names.")
    gaps: list[Text] = Field(default_factory=list, description="What the sources do not say (for editors).")

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

    title: Text = Field(description="Short name of the step.")
    text: Text = Field(description="What to do, in Markdown.")


class Guide(Page):
    """A how-to page for participants."""

    type: Literal["guide"]
    audiences: list[str] = Field(
        min_length=1,
        description="Keys from audiences: who the guide is for.",
        json_schema_extra={"choices": "audiences"},
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

    venue: str | None = Field(None, description="Building or venue, where known.")
    city: Text = Field(description="City.")
    country: str = Field(description="ISO 3166-1 alpha-2 code.", json_schema_extra=CHOICES_COUNTRIES)

    @field_validator("country")
    @classmethod
    def _country(cls, v: str, info: ValidationInfo) -> str:
        return _vocab(info).check("countries", v)


class Speaker(Strict):
    """A speaker, by consent id, with role and affiliation as the source gives them."""

    person: Slug = Field(description="Consent-record id of the speaker.", json_schema_extra=CONSENT)
    role: Text = Field(description="Role or job title.")
    affiliation: Text = Field(description="Organisation the speaker represented.")


class Session(Strict):
    """One part of the programme of an event."""

    title: Text = Field(description="Name of the session.")
    speakers: list[Slug] = Field(
        default_factory=list, description="Consent ids of its speakers.", json_schema_extra=CONSENT
    )


class Event(Page):
    """An event recap."""

    type: Literal["event"]
    name: Text = Field(description="The event's official name, as the organisers wrote it.")
    start: dt.date = Field(description="First day.")
    end: dt.date | None = Field(None, description="Last day, if it lasted more than one.")
    place: Place = Field(description="Where it took place.")
    attendees: int | None = Field(None, ge=0, description="Number of attendees, from a source.")
    organisers: list[Text] = Field(min_length=1, description="Organisations that ran it.")
    speakers: list[Speaker] = Field(default_factory=list, description="Who spoke.")
    sessions: list[Session] = Field(default_factory=list, description="The programme, in order.")
    key_figures: list[KeyFigure] = Field(default_factory=list, description="Figures shown as tiles.")
    takeaways: list[Text] = Field(default_factory=list, description="What came out of it.")
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

# Fields a translation may set (list items as `[]`); everything else comes from the original,
# so facts such as countries, durations and figures cannot drift between languages.
TRANSLATABLE = {
    "title",
    "summary",
    "name",
    "gaps[]",
    "sending.description",
    "host.description",
    "sending.name",
    "host.name",
    "sought.sending",
    "sought.host",
    "activities[]",
    "results.both[]",
    "results.host[]",
    "results.sending[]",
    "quotes[].text",
    "images[].alt",
    "people[].role",
    "steps[].title",
    "steps[].text",
    "place.venue",
    "place.city",
    "sending.city",
    "host.city",
    "speakers[].role",
    "sessions[].title",
    "key_figures[].label",
    "takeaways[]",
    "sources[].title",
}
TRANSLATION_ONLY = {"translation_of"}


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
