"""Make benchmark editions: N FRUS-like plain-text documents of about 5 KB, seeded.

Each document has a file-number line and a head, paragraphs with names, page
markers between and inside paragraphs, footnote markers glued to words with an
endnote block, and a little OCR noise. Texts come from the shared FRUS corpus
when it is there (``../shared/corpus``), reshuffled, else from a built-in word
bank — either way the same seed gives the same edition.
"""

from __future__ import annotations

import random
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"

WORDS = (
    "the of and to in that it was for on as with by his at from this which be had have not are "
    "government minister embassy telegram despatch department question treaty conference "
    "situation informed opinion reported instructions committee council commission negotiations "
    "regarding consider considerable understanding arrangement agreement proposal attitude "
    "position interests political economic military foreign possible immediately particular"
).split()
NAMES = [
    "Zinoviev",
    "Kamenev",
    "Yezhov",
    "Yagoda",
    "Stalin",
    "Trotsky",
    "Litvinov",
    "Henderson",
    "Bullitt",
    "Molotov",
    "Radek",
    "Bukharin",
]
FORENAMES = {
    "Zinoviev": "Grigory", "Kamenev": "Lev", "Yezhov": "Nikolai", "Yagoda": "Genrikh",
    "Stalin": "Joseph", "Trotsky": "Leon", "Litvinov": "Maxim", "Henderson": "Loy",
    "Bullitt": "William", "Molotov": "Vyacheslav", "Radek": "Karl", "Bukharin": "Nikolai",
}  # fmt: skip
# About 2 names per 1,000 characters, as in the densest FRUS volume of the shared corpus
# (frus1918Russiav03: 1.8; frus1882: 0.6; frus1936v03: 0.35 persNames per 1,000 characters).
NAMES_PER_PARAGRAPH = 0.4
NOISE = {"the": "tbe", "m": "rn", "d": "cl", "h": "li", "l": "1", "o": "0"}


def sentences_from_corpus() -> list[str]:
    """Sentences of the shared FRUS corpus, or [] when it is absent."""
    if not CORPUS.is_dir():
        return []
    found: list[str] = []
    for path in sorted(CORPUS.glob("*/d*.txt"))[:400]:
        for line in path.read_text(encoding="utf-8").splitlines():
            if len(line) > 80 and not line.startswith(("[", " ")):
                found.extend(s.strip() + "." for s in line.split(". ") if len(s) > 30)
    return found


def document(rng: random.Random, number: int, pool: list[str], page: int) -> tuple[str, int]:
    """One ~5 KB document starting on ``page``; returns it and the next document's first page."""
    parts = [
        f"{700 + number % 90}.00/{10000 + number}: Telegram",
        f"The Ambassador in the Soviet Union ({rng.choice(NAMES)}) to the Secretary of State",
    ]
    notes: list[str] = []
    size = 0
    while size < 4300:
        words = rng.choice(pool).split() if pool else [rng.choice(WORDS) for _ in range(35)]
        if rng.random() < NAMES_PER_PARAGRAPH:
            words.insert(rng.randrange(len(words)), rng.choice(NAMES))
        if rng.random() < 0.3:
            at = rng.randrange(len(words))
            words[at] = words[at].rstrip(".,;") + str(25 + len(notes))
            notes.append(f"Not printed; see telegram No. {rng.randrange(100, 999)}.")
        if rng.random() < 0.05:
            at = rng.randrange(len(words))
            for clean, noisy in NOISE.items():
                if clean in words[at]:
                    words[at] = words[at].replace(clean, noisy, 1)
                    break
        if rng.random() < 0.15:  # a page break between paragraphs, then maybe one inside
            page += 1
            parts.append(f"[Page {page}]")
        if rng.random() < 0.2:
            page += 1
            words.insert(rng.randrange(len(words)), f"[Page {page}]")
        paragraph = " ".join(words)
        parts.append(paragraph)
        size += len(paragraph)
    text = "\n\n".join(parts)
    if notes:
        text += "\n\n" + "\n".join(f"  {k}. {body}" for k, body in enumerate(notes, start=1))
    return text, page + 1


def make_edition(folder: Path, count: int, seed: int = 1, others: int = 0) -> Path:
    """Write ``count`` documents into ``folder/texts``, an edition.yaml and the persons' register:
    the twelve persons the texts name and ``others`` they do not (a volume's list of persons
    runs to hundreds, most of them absent from any one document)."""
    rng = random.Random(seed)
    pool = sentences_from_corpus()
    texts = folder / "texts"
    texts.mkdir(parents=True, exist_ok=True)
    page = 1
    for number in range(count):
        text, page = document(rng, number, pool, page)
        (texts / f"doc{number:06d}.txt").write_text(text, encoding="utf-8")
    (folder / "edition.yaml").write_text(
        "edition:\n  title: Benchmark edition\n  date: 2026-01-01\n", encoding="utf-8"
    )
    register = "".join(f"  - id: {name.lower()}\n    name: {FORENAMES[name]} {name}\n" for name in NAMES)
    register += "".join(
        f"  - id: other{number}\n    name: {forename} {surname}\n"
        for number, (forename, surname) in enumerate(other_names(random.Random(seed), others))
    )
    (folder / "persons.yaml").write_text(f"persons:\n{register}", encoding="utf-8")
    return folder


SYLLABLES = (
    "ka me nev ro vich lin ski ta bor mo lo tov gor ev an dre ra dek zi no vi ye zhov pe trov "
    "sor kin ly ash ber"
).split()


def other_names(rng: random.Random, count: int) -> list[tuple[str, str]]:
    """``count`` (forename, surname) pairs, surnames made of syllables, no two alike nor a named one's."""
    taken = set(NAMES)
    names = []
    while len(names) < count:
        surname = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()
        if surname not in taken:
            taken.add(surname)
            names.append((rng.choice(sorted(set(FORENAMES.values()))), surname))
    return names
