"""The noise injector: seeded, located, and honest about errors that form real words."""

from __future__ import annotations

import random

import pytest

from edition.noise import KINDS, damage, forms_words, inject

TEXT = (
    "It is the opinion of the Embassy, based on its own analysis of the situation, that the "
    "trial was staged at the present time to prevent expression being given to a wave of "
    "dissatisfaction with the Kremlin policy which has recently welled up in certain Party "
    "circles.\n\n[Page 301]\n\nThere is a growing fear that Stalin is leading them away from "
    "Communism in the direction of state capitalism. "
) * 4


def test_the_same_seed_gives_the_same_noise() -> None:
    assert inject(TEXT, 0.05, seed=7) == inject(TEXT, 0.05, seed=7)
    assert inject(TEXT, 0.05, seed=7) != inject(TEXT, 0.05, seed=8)


def test_each_injection_says_where_it_is_in_the_noisy_text() -> None:
    noisy, injections = inject(TEXT, 0.05, seed=3)
    assert injections
    for injection in injections:
        assert noisy[injection.start : injection.end] == injection.noisy
        assert injection.noisy != injection.original


def test_undoing_every_injection_gives_the_clean_text_back() -> None:
    noisy, injections = inject(TEXT, 0.05, seed=11)
    for injection in sorted(injections, key=lambda i: -i.start):
        noisy = noisy[: injection.start] + injection.original + noisy[injection.end :]
    assert noisy == TEXT


def test_the_rate_is_a_share_of_all_words_and_only_ordinary_words_are_damaged() -> None:
    _, injections = inject(TEXT, 0.03, seed=5)
    assert abs(len(injections) - round(0.03 * len(TEXT.split()))) <= 1
    assert all(i.original.islower() and i.original.isalpha() for i in injections)


def test_page_markers_are_never_damaged() -> None:
    for seed in range(20):
        noisy, _ = inject(TEXT, 0.2, seed=seed)
        assert noisy.count("[Page 301]") == 4


@pytest.mark.parametrize("kind", KINDS)
def test_each_kind_of_damage(kind: str) -> None:
    noisy, got = damage("government", random.Random(1), (kind,))
    assert got == kind and noisy != "government"
    if kind in ("split", "hyphen"):
        assert noisy.replace("- ", "").replace(" ", "") == "government"
    if kind == "drop":
        assert len(noisy) == len("government") - 1
    if kind == "double":
        assert len(noisy) == len("government") + 1


def test_damage_that_forms_real_words_is_marked_as_such() -> None:
    assert forms_words("modem") and forms_words("a part")
    assert not forms_words("governrnent") and not forms_words("gov ernment")
