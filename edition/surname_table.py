"""Score a word against every surname of a register at once.

`edition.names.confusion_cost` is an edit distance computed cell by cell in Python.
The variant judge (`edition.detectors.persons`) scores each new unknown word against
every registered surname: with a register of 1,500 persons (FRUS volumes list hundreds)
that was 50 ms a word, and most of a conversion's time. Here the same dynamic programme
runs over all surnames at once with NumPy — each surname a row of one array, the word's
letters taken one at a time — in about a millisecond.

The costs are those of `confusion_cost` exactly: every cost is a multiple of 0.5, which
binary floating point adds and compares without rounding (tests compare the two).

One letter of the word fills a whole row of the table. Its cells without the step along
the surname (an insertion) are a minimum of two shifted arrays; the insertions then
follow as a running minimum: with ``P[j]`` the cost of inserting the surname's first
``j`` letters, ``D[j] = P[j] + min(T[k] - P[k] for k <= j)``.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from edition.names import indel_cost, substitution_cost


class SurnameTable:
    """The surnames of a register, as arrays to score a word against (`costs`).

    ``named`` are (person id, surname) pairs, a person's surnames one after another.
    """

    def __init__(self, named: Sequence[tuple[str, str]]) -> None:
        self.persons = [person for person, _ in named]
        self.forms = [form for _, form in named]
        self.sizes = np.array([len(form) for form in self.forms], dtype=np.int64)
        lowered = [form.lower() for form in self.forms]  # as `confusion_cost` compares them
        self.letters = sorted({letter for form in lowered for letter in form})
        index = {letter: number for number, letter in enumerate(self.letters)}
        self.lengths = np.array([len(form) for form in lowered], dtype=np.int64)
        width = int(self.lengths.max(initial=0))
        # Each surname's letters by number; past its end, any letter (those cells are never read).
        self.codes = np.zeros((len(lowered), width), dtype=np.int64)
        for row, form in enumerate(lowered):
            self.codes[row, : len(form)] = [index[letter] for letter in form]
        indels = np.array([indel_cost(letter) for letter in self.letters] or [0.0])
        self.inserted = np.zeros((len(lowered), width + 1))  # P: inserting the first j letters
        np.cumsum(indels[self.codes], axis=1, out=self.inserted[:, 1:])
        self._substituted: dict[str, np.ndarray] = {}  # a letter → its cost against each letter

    def near(self, word: str, cap: float, length_apart: int) -> list[tuple[float, str, str]]:
        """(cost, person, surname) of each person's closest surname to ``word`` if within
        ``cap``, counting only surnames at most ``length_apart`` letters longer or shorter;
        the first of a person's surnames when two are as close."""
        rows = np.flatnonzero(np.abs(self.sizes - len(word)) <= length_apart)
        costs = self.costs(word, rows)
        best: dict[str, tuple[float, str, str]] = {}
        for row, cost in zip(rows[costs <= cap].tolist(), costs[costs <= cap].tolist(), strict=True):
            person = self.persons[row]
            if person not in best or cost < best[person][0]:
                best[person] = (cost, person, self.forms[row])
        return list(best.values())

    def costs(self, word: str, rows: np.ndarray | None = None) -> np.ndarray:
        """`confusion_cost` of ``word`` and each surname (of ``rows``, by default all), in order."""
        if rows is None:
            rows = np.arange(len(self.lengths))
        lengths = self.lengths[rows]
        width = int(lengths.max(initial=0))
        codes, inserted = self.codes[rows, :width], self.inserted[rows, : width + 1]
        previous = inserted.copy()
        for letter in word.lower():
            dropped = indel_cost(letter)
            cells = np.empty_like(previous)
            cells[:, 0] = previous[:, 0] + dropped
            np.minimum(previous[:, 1:] + dropped, previous[:, :-1] + self._against(letter)[codes],
                       out=cells[:, 1:])  # fmt: skip
            cells -= inserted
            np.minimum.accumulate(cells, axis=1, out=cells)
            cells += inserted
            previous = cells
        final: np.ndarray = previous[np.arange(len(rows)), lengths]
        return final

    def _against(self, letter: str) -> np.ndarray:
        found = self._substituted.get(letter)
        if found is None:
            found = np.array([substitution_cost(letter, other) for other in self.letters] or [0.0])
            self._substituted[letter] = found
        return found
