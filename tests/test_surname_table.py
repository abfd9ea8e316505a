"""A large register's surnames scored all at once: the costs and verdicts of scoring them one by one."""

from __future__ import annotations

import dataclasses
import random

from hypothesis import given, settings
from hypothesis import strategies as st

from edition.detectors import persons as persons_detector
from edition.detectors.persons import TABLE_FROM, build_lexicon, judge_variant
from edition.names import confusion_cost
from edition.persons import Personography, PersonRecord
from edition.surname_table import SurnameTable

# Letters of every cost class: vowels (accented too), cheap h and y, confusable and other
# consonants, a letter whose lower case is two ("İ"), and capitals.
LETTERS = "aeiouyáöhlrvwbpdtgkcsqzmnxjfİAZÖ"
SPELLINGS = st.text(alphabet=LETTERS, max_size=12)


@settings(max_examples=60, deadline=None)
@given(st.lists(SPELLINGS, min_size=1, max_size=30), st.lists(SPELLINGS, min_size=1, max_size=5))
def test_the_table_costs_are_confusion_costs(surnames: list[str], words: list[str]) -> None:
    table = SurnameTable([(f"p{n}", surname) for n, surname in enumerate(surnames)])
    for word in words:
        assert table.costs(word).tolist() == [confusion_cost(word, surname) for surname in surnames]


def register(size: int, seed: int = 7) -> Personography:
    """A register of the Soviet names the tests know and ``size`` made-up ones like them."""
    rng = random.Random(seed)
    syllables = ["ka", "me", "nev", "ro", "vich", "lin", "ski", "ta", "bor", "mo", "tov", "gor", "zhov",
                 "zi", "no", "vi", "ye", "ra", "dek", "ber"]  # fmt: skip
    known = [PersonRecord("yezhov", "Nikolai Yezhov"), PersonRecord("zinoviev", "Grigory Zinoviev"),
             PersonRecord("kamenev", "Lev Kamenev", forms=("Kamenev", "Rosenfeld"))]  # fmt: skip
    made = {"".join(rng.choice(syllables) for _ in range(rng.randint(2, 3))).capitalize() for _ in range(size)}
    return Personography((*known, *(PersonRecord(f"x{n}", f"Ivan {name}") for n, name in enumerate(sorted(made)))))


def test_a_large_registers_verdicts_are_those_of_scoring_each_surname() -> None:
    lexicon = build_lexicon(register(300))
    assert lexicon.table is not None and len(lexicon.table.forms) >= TABLE_FROM
    one_by_one = dataclasses.replace(lexicon, table=None, near={})
    words = ["Yerev", "Zinoxyez", "Yerov", "Kamenyev", "Rosenfeldt", "Zinovieva", "Morovich", "Kanev", "Obmien",
             "Gorski", "Vichbor", "Tovnev", "Yezhova", "Zhovmo", "Rabek", "Kalin"]  # fmt: skip
    for attested in (set(), {"yezhov"}, {"kamenev", "zinoviev"}):
        table_verdicts = [judge_variant(word, lexicon, attested) for word in words]
        assert table_verdicts == [judge_variant(word, one_by_one, attested) for word in words]
    cap = 5.5
    for word in words:
        by_table = persons_detector._near_surnames(word, lexicon, cap)
        assert sorted(by_table) == sorted(persons_detector._near_one_by_one(word, lexicon, cap))
    assert any(v.cert for v in table_verdicts) and any(v.why and not v.cert for v in table_verdicts)


def test_a_small_register_is_scored_one_by_one() -> None:
    assert build_lexicon(register(0)).table is None  # NumPy not even imported for it


def test_of_a_persons_surnames_as_close_as_each_other_the_first_is_taken() -> None:
    table = SurnameTable([("a", "Karev"), ("a", "Kasev"), ("b", "Kafevski")])
    assert table.near("Kafev", 9.0, 3) == [(1.0, "a", "Karev"), (2.5, "b", "Kafevski")]
    assert table.near("Kafev", 1.0, 3) == [(1.0, "a", "Karev")]  # within the cap, inclusive
    assert table.near("Kafev", 9.0, 2) == [(1.0, "a", "Karev")]  # "Kafevski" three letters longer
