"""Personal names: parsing a display name, the forms derived from it, the confusion cost."""

from __future__ import annotations

import pytest

from edition.names import confusion_cost, derive_forms, is_relative_form, parse_name


# --- form derivation, one rule each ---------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "form"),
    [
        ("Nikolai Yezhov", "Yezhov"),  # surname
        ("Loy W. Henderson", "Loy Henderson"),  # forename + surname
        ("Loy W. Henderson", "L. W. Henderson"),  # initials + surname
        ("Loy W. Henderson", "L. Henderson"),  # first initial + surname
        ("Walter Hines Page", "Walter H. Page"),  # forename + middle initial + surname
        ("Grigory Yevseyevich Zinoviev", "Grigory Yevseyevich"),  # forename + patronymic
        ("Grigory Yevseyevich Zinoviev", "G. Y. Zinoviev"),
        ("Count Wilhelm von Mirbach", "Count von Mirbach"),  # title, particle
        ("Count Wilhelm von Mirbach", "Mirbach"),
        ("Baron Shimpei Goto", "Baron Goto"),
        ("Earl of Reading", "Earl of Reading"),  # a peerage named after a place
        ("Earl of Reading", "Lord Reading"),
        ("Earl of Reading", "Reading"),
        ("Maj. Gen. William S. Graves", "General Graves"),  # a rank and its other spellings
        ("Lieut. Col. Raymond Robins", "Colonel Robins"),
        ("Sir Charles N. E. Eliot", "Sir Charles Eliot"),
        ("L. D. Trotsky (Bronstein)", "Bronstein"),  # a name in parentheses
        ("Grand Duke Michael Alexandrovich", "Grand Duke Michael"),
        ("Nicholas II", "Nicholas II"),
    ],
)
def test_a_form_is_derived_from_the_display_name(name: str, form: str) -> None:
    assert form in derive_forms(name)


@pytest.mark.parametrize(
    ("name", "not_a_form"),
    [
        ("Sir Charles N. E. Eliot", "Sir Eliot"),  # "Sir" goes with a forename
        ("Grand Duke Michael Alexandrovich", "Michael"),  # a forename alone names nobody
        ("Grand Duke Michael Alexandrovich", "Alexandrovich"),  # nor a patronymic alone
        ("Sheldon Whitehouse", "Sheldon"),
        ("Nicholas II", "Nicholas"),
        ("Brig. Gen. Charles C. M. Maynard (later Maj. Gen.)", "later"),
    ],
)
def test_a_forename_or_patronymic_alone_is_not_a_form(name: str, not_a_form: str) -> None:
    assert not_a_form not in derive_forms(name)


def test_parse_takes_a_name_apart() -> None:
    parts = parse_name("Count Wilhelm von Mirbach")
    assert (parts.titles, parts.forenames, parts.particle, parts.surname) == (
        ("Count",), ("Wilhelm",), "von", "Mirbach"
    )
    assert parse_name("Grigory Yevseyevich Zinoviev").patronymic == "Yevseyevich"
    assert parse_name("Earl of Reading").territorial


# --- the confusion cost ------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("garble", "name", "cost"),
    [
        ("Morchanov", "Molchanov", 0.5),  # l/r
        ("Kamenyev", "Kamenev", 0.5),  # an added y
        ("Yenov", "Yezhov", 1.5),
        ("Denoviev", "Zinoviev", 1.5),
        ("Yerev", "Yezhov", 2.0),
        ("Zinoxyez", "Zinoviev", 2.5),
        ("Yerev", "Yagoda", 3.5),
    ],
)
def test_plausible_confusions_cost_less(garble: str, name: str, cost: float) -> None:
    assert confusion_cost(garble, name) == cost


@pytest.mark.parametrize(
    ("word", "surname", "relative"),
    [
        ("Zinovieva", "Zinoviev", True),  # a wife's form
        ("Mironovich", "Mironov", True),  # a patronymic
        ("Zinovyeva", "Zinoviev", True),  # a feminine ending the surname lacks
        ("Kamenyev", "Kamenev", False),
        ("Yagoda", "Yagoda", False),
    ],
)
def test_relative_forms_are_told_apart(word: str, surname: str, relative: bool) -> None:
    assert is_relative_form(word, surname) is relative


# --- word frequencies ---------------------------------------------------------------------
@pytest.mark.parametrize(
    "word",
    ["Krüger", "señor", "Iguazú", "Cáceres", "état", "Łódź", "Curaçoa", "Piperiguarú",  # Latin letters
     "Straße", "ﬁnance", "Cafe\u0301", "Dufferin’s", "Graves2", "Новгород"],  # wordfreq's own reading
)
def test_zipf_is_what_wordfreq_says(word: str) -> None:
    """Accented words are looked up in the lexicon's list, not wordfreq's: the values agree,
    and a word wordfreq would read otherwise (folded, a ligature, decomposed) goes to wordfreq."""
    from wordfreq import zipf_frequency

    from edition.names import zipf

    assert zipf(word) == zipf_frequency(word.lower(), "en")
