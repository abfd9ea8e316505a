"""Inject OCR-style errors at known places into a clean text, seeded, to measure the OCR detector.

Errors go into ordinary words (lowercase, letters only, at least ``min_length``
long, outside page markers), a ``rate`` of all the text's words: a substitution
from the OCR confusion table (``m`` → ``rn``, ``h`` → ``li``, ``o`` → ``0``, ``e``
→ ``c``), a dropped letter, a doubled letter, a word split by a space or by a
hyphen and a space (``govern- ment``). Each `Injection` says where it is in the
noisy text, what stood there, and whether the damage happens to form real words
(``modern`` → ``modem``): those cannot be found by a lexicon and are counted apart.
The same ``seed`` gives the same noise.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

from edition import lexicon

# The confusions injected, as (printed, read): a subset of the detector's table, the common ones.
INJECTED_CONFUSIONS: tuple[tuple[str, str], ...] = (
    ("m", "rn"), ("d", "cl"), ("h", "li"), ("w", "vv"), ("o", "0"), ("l", "1"), ("i", "1"),
    ("e", "c"), ("c", "e"), ("h", "b"), ("n", "u"), ("u", "n"), ("i", "l"), ("l", "i"),
    ("t", "f"), ("s", "5"), ("rn", "m"), ("cl", "d"),
)  # fmt: skip

KINDS = ("confusion", "drop", "double", "split", "hyphen")

# An ordinary word the injector may damage, e.g. "government"; not "Stalin" nor "1936".
ORDINARY = re.compile(r"(?<![\w'’-])[a-z]+(?![\w'’-])")
PAGE_MARKER = re.compile(r"\[Page [^\]]*\]")


@dataclass(frozen=True)
class Injection:
    """One error put in: ``[start, end)`` in the noisy text, the original word, the kind."""

    start: int
    end: int
    original: str
    noisy: str
    kind: str
    real_word: bool  # the damage forms real words, which no lexicon can catch


def inject(text: str, rate: float = 0.02, seed: int = 0, min_length: int = 4,
           kinds: tuple[str, ...] = KINDS) -> tuple[str, tuple[Injection, ...]]:
    """Damage about ``rate`` of the words of ``text``; return the noisy text and the injections."""
    rng = random.Random(seed)
    markers = [m.span() for m in PAGE_MARKER.finditer(text)]
    total = len(re.findall(r"\S+", text))
    eligible = [
        m for m in ORDINARY.finditer(text)
        if len(m.group()) >= min_length and not any(s <= m.start() < e for s, e in markers)
    ]
    wanted = min(len(eligible), round(total * rate))
    chosen = sorted(rng.sample(eligible, wanted), key=lambda m: m.start()) if wanted else []
    parts: list[str] = []
    injections: list[Injection] = []
    position = 0
    shift = 0
    for match in chosen:
        word = match.group()
        noisy, kind = damage(word, rng, kinds)
        if noisy == word:
            continue
        parts.append(text[position : match.start()])
        start = match.start() + shift
        parts.append(noisy)
        real = kind != "hyphen" and forms_words(noisy)  # "- " is a sign by itself
        injections.append(Injection(start, start + len(noisy), word, noisy, kind, real))
        shift += len(noisy) - len(word)
        position = match.end()
    parts.append(text[position:])
    return "".join(parts), tuple(injections)


def damage(word: str, rng: random.Random, kinds: tuple[str, ...] = KINDS) -> tuple[str, str]:
    """One error in ``word``: its damaged form and the kind of damage."""
    for _ in range(10):
        kind = rng.choice(kinds)
        if kind == "confusion":
            options = [(p, r) for p, r in INJECTED_CONFUSIONS if p in word]
            if not options:
                continue
            printed, read = rng.choice(options)
            places = [i for i in range(len(word)) if word.startswith(printed, i)]
            at = rng.choice(places)
            return word[:at] + read + word[at + len(printed) :], kind
        if kind == "drop":
            at = rng.randrange(len(word))
            return word[:at] + word[at + 1 :], kind
        if kind == "double":
            at = rng.randrange(len(word))
            return word[: at + 1] + word[at:], kind
        if len(word) >= 6:  # split and hyphen: two parts of at least two letters
            at = rng.randrange(2, len(word) - 1)
            joint = " " if kind == "split" else "- "
            return word[:at] + joint + word[at:], kind
    return word, ""


def forms_words(noisy: str) -> bool:
    """Whether every part of the damaged form is a word by itself (``modem``; ``a part``)."""
    parts = re.findall(r"[^\W_]+", noisy)
    return bool(parts) and all(p.isalpha() and lexicon.is_known(p.lower()) for p in parts)
