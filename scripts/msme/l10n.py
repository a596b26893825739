"""Per-language labels (data/i18n/<lang>.yml) and Babel formatting of names, dates and numbers."""

from __future__ import annotations

import datetime as dt
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import Any

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_interval
from babel.numbers import format_currency, format_decimal, format_percent
from babel.units import format_unit

from msme.datafiles import read_yaml
from msme.paths import DATA_DIR

I18N_DIR = DATA_DIR / "i18n"


def _deep_merge(base: dict, over: dict) -> dict:
    out = dict(base)
    for key, value in over.items():
        out[key] = (
            _deep_merge(base[key], value) if isinstance(value, dict) and isinstance(base.get(key), dict) else value
        )
    return out


@lru_cache(maxsize=32)
def labels(lang: str, default: str = "en", folder: Path = I18N_DIR) -> dict[str, Any]:
    """UI labels for `lang`, with the default language filling any key not yet translated (a broken
    file raises DataFileError; validation reports it first)."""
    base = read_yaml(folder / f"{default}.yml")
    path = folder / f"{lang}.yml"
    if lang == default or not path.exists():
        return base
    return _deep_merge(base, read_yaml(path))


# The site writes British English, so English dates read "14 March 2023".
LOCALE_FOR = {"en": "en_GB"}


@lru_cache(maxsize=32)
def _locale(lang: str) -> Locale:
    try:
        return Locale.parse(LOCALE_FOR.get(lang, lang).replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return Locale.parse("en")


def country(code: str | None, lang: str) -> str:
    """Localised country name from CLDR (e.g. 'BE' -> 'Belgique' in French)."""
    if not code:
        return ""
    return _locale(lang).territories.get(code, code)


def language_name(code: str, lang: str) -> str:
    """Name of language `code` in language `lang` ('fr' in 'de' -> 'Französisch')."""
    return _locale(lang).languages.get(code, code)


def date(value: dt.date | str | None, lang: str) -> str:
    """A full date (14 March 2023) or, for 'YYYY-MM', a month (March 2023), in `lang`."""
    if value is None:
        return ""
    if isinstance(value, str):
        parts = [int(p) for p in value.split("-")]
        if len(parts) == 2:
            return format_date(dt.date(parts[0], parts[1], 1), format="LLLL y", locale=_locale(lang))
        value = dt.date(*parts)
    return format_date(value, format="long", locale=_locale(lang))


def date_range(start: dt.date, end: dt.date | None, lang: str) -> str:
    """A date or a compact range (14–15 March 2023) in `lang`."""
    if end is None or end == start:
        return date(start, lang)
    return format_interval(start, end, "yMMMMd", locale=_locale(lang))


def number(value: float, lang: str) -> str:
    """A plain number with the language's grouping and decimal signs."""
    return format_decimal(value, locale=_locale(lang))


def money(value: float, lang: str, currency: str = "EUR") -> str:
    """A currency amount without cents when it has none (830 € / €830)."""
    loc = _locale(lang)
    if float(value).is_integer():
        pattern = loc.currency_formats["standard"].pattern.split(";")[0].replace(".00", "")
        return format_currency(value, currency, format=pattern, locale=loc, currency_digits=False)
    return format_currency(value, currency, locale=loc)


def months(value: int, lang: str) -> str:
    """A duration in months (3 months, 3 meses)."""
    return format_unit(value, "duration-month", length="long", locale=_locale(lang))


def figure(value: float, unit: str, lang: str) -> str:
    """Format a key figure by its unit: count, months, percent or eur."""
    if unit == "percent":
        return format_percent(value / 100, locale=_locale(lang))
    if unit == "eur":
        return money(value, lang)
    if unit == "months":
        return months(int(value), lang)
    return number(value, lang)


# Letters whose stroke or bar is part of the letter in Unicode, so NFKD leaves them whole:
# folded to their base letter, as the accents are, so that they do not sort after Z.
_STROKED = str.maketrans({"đ": "d", "Đ": "d", "ł": "l", "Ł": "l", "ø": "o", "Ø": "o", "ħ": "h", "Ħ": "h"})


def sort_key(text: str) -> str:
    """Accent-insensitive, case-insensitive key in any script.

    NFKD splits a letter from its accents; the accents (combining marks) are dropped and the
    letters kept, Latin, Greek or Cyrillic alike: 'Österreich' sorts with the O's, 'Ägypten'
    with the A's, 'Αυστρία' after 'Αλβανία' and before 'Βέλγιο'. It is not a language's
    collation: Croatian 'Č' and 'Ć' sort as 'C' (among the C words, all before D) and 'Đ' as
    'D', where Croatian puts each after its base letter.
    """
    decomposed = unicodedata.normalize("NFKD", text.translate(_STROKED))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
