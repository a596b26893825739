"""Country names and facet labels sort by their letters in every script, accents ignored."""

from __future__ import annotations

import pytest

from msme import l10n, views


def _sorted(names: list[str]) -> list[str]:
    return sorted(names, key=l10n.sort_key)


def test_greek_country_names_sort_in_greek_alphabetical_order() -> None:
    """Greek keeps its letters (the old key dropped every non-ASCII letter, so all Greek keys were
    empty and the table kept its ISO-code order); the tonos does not count."""
    names = ["Βέλγιο", "Ελλάδα", "Αυστρία", "Ισπανία", "Αλβανία", "Γαλλία", "Κροατία", "Ιταλία"]
    assert _sorted(names) == ["Αλβανία", "Αυστρία", "Βέλγιο", "Γαλλία", "Ελλάδα", "Ισπανία", "Ιταλία", "Κροατία"]
    assert all(l10n.sort_key(n) for n in names)


def test_greek_accents_case_and_final_sigma_are_ignored() -> None:
    assert l10n.sort_key("ΕΛΛΑΔΑ") == l10n.sort_key("Ελλάδα") == "ελλαδα"
    assert l10n.sort_key("Κύπρος") == "κυπροσ"  # final ς folds to σ
    assert l10n.sort_key("Ϊ") == l10n.sort_key("ι")  # dialytika dropped


def test_cyrillic_names_get_a_key_and_sort() -> None:
    names = ["Сербия", "Австрия", "Болгария"]
    assert _sorted(names) == ["Австрия", "Болгария", "Сербия"]
    assert all(l10n.sort_key(n) for n in names)


def test_german_umlauts_sort_with_their_base_letter() -> None:
    names = ["Zypern", "Österreich", "Belgien", "Albanien", "Ägypten", "Afghanistan", "Polen"]
    assert _sorted(names) == ["Afghanistan", "Ägypten", "Albanien", "Belgien", "Österreich", "Polen", "Zypern"]


def test_croatian_approximation_c_caron_and_acute_sort_as_c_before_d() -> None:
    """Not Croatian collation: Č and Ć sort as C (among the C words, by the letters that
    follow), Đ as D. Croatian puts Č, Ć after all of C and Đ after Dž; here every C, Č and Ć
    word still comes after B and before any D word, and Đ no longer sorts after Z."""
    names = ["Zagreb", "Dubrava", "Čakovec", "Đakovo", "Cres", "Bjelovar", "Ćuprija"]
    assert _sorted(names) == ["Bjelovar", "Čakovec", "Cres", "Ćuprija", "Đakovo", "Dubrava", "Zagreb"]
    assert l10n.sort_key("Čakovec") == l10n.sort_key("Cakovec")
    assert l10n.sort_key("Đakovo") == "dakovo"


@pytest.mark.parametrize("lang", ["el", "de", "hr", "en"])
def test_grant_table_rows_follow_the_key_in_each_language(lang: str) -> None:
    """The real table: localised (CLDR) names, sorted by the key, none with an empty key."""
    ctx = views.Context(lang, l10n.labels(lang), {})
    names = [row["country"] for row in views.data_table("grants", ctx)["rows"]]
    assert names == _sorted(names)
    assert all(l10n.sort_key(n) for n in names)


def test_greek_grant_table_starts_with_albania_austria_belgium() -> None:
    ctx = views.Context("el", l10n.labels("el"), {})
    names = [row["country"] for row in views.data_table("grants", ctx)["rows"]]
    assert names[:3] == ["Αλβανία", "Αυστρία", "Βέλγιο"]
    assert names[-1] == "Φινλανδία"
