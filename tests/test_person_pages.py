"""A person named in many documents: their mentions on pages of `MENTION_DOCUMENTS` documents."""

from __future__ import annotations

import re
from pathlib import Path

import lxml.html
import pytest

from edition.pipeline import BuildOptions, build_edition

from .conftest import published
from .test_incremental import inodes, linked

LETTERS = 5  # each names Yezhov; with the seeds, more documents than two pages hold


@pytest.fixture
def many(sources: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The small edition with letters naming Yezhov, two documents to a page of mentions."""
    monkeypatch.setattr("edition.render.person_pages.MENTION_DOCUMENTS", 2)
    for n in range(LETTERS):
        write(sources, n, f"Letter {n}\n\nDear Sir, Yezhov wrote {n} times; Yezhov signed.")
    return sources


def write(sources: Path, n: int, text: str) -> None:
    (sources / "texts" / f"letter{n}.txt").write_text(text, encoding="utf-8")


def build(sources: Path, out: Path, cache: bool = True) -> dict[str, bytes]:
    build_edition(BuildOptions(sources, out, validate=False, cache=cache))
    return published(out)


def person_pages(site: Path, person: str) -> list[lxml.html.HtmlElement]:
    """The person's pages of mentions, in their order."""
    folder = site / "persons" / person
    files = sorted(folder.glob("mentions-*.html"), key=lambda p: int(re.findall(r"\d+", p.name)[0]))
    return [lxml.html.fromstring((folder / "index.html").read_bytes())] + [
        lxml.html.fromstring(p.read_bytes()) for p in files
    ]


def test_each_document_naming_the_person_is_on_one_page_in_the_editions_order(
    many: Path, tmp_path: Path
) -> None:
    build(many, tmp_path / "out")
    site = tmp_path / "out" / "site"
    shown = person_pages(site, "yezhov")
    naming = [
        [a.get("href").split("/")[2] for a in page.xpath("//section[@class='mentions-in']/h3/a")]
        for page in shown
    ]
    assert all(len(documents) == 2 for documents in naming[:-1]) and 1 <= len(naming[-1]) <= 2
    documents = [doc for page in naming for doc in page]
    order = lxml.html.fromstring((site / "index.html").read_bytes()).xpath("//a/@href")
    folders = [href.split("/")[0] for href in order if href.startswith("d-")]
    assert documents == [folder for folder in dict.fromkeys(folders) if folder in documents]
    assert len(documents) == len(set(documents)) >= LETTERS
    # The count on the first page is every mention on every page.
    mentions = sum(len(page.xpath("//li[@class='mention']")) for page in shown)
    assert f"{mentions} mentions in {len(documents)} documents" in shown[0].text_content()


def test_every_page_links_every_page_and_says_which_it_is(many: Path, tmp_path: Path) -> None:
    build(many, tmp_path / "out")
    shown = person_pages(tmp_path / "out" / "site", "yezhov")
    files = ["index.html", *(f"mentions-{n}.html" for n in range(2, len(shown) + 1))]
    for number, page in enumerate(shown, start=1):
        for pager in page.xpath("//nav[@class='pager']"):
            assert pager.xpath(".//a/@href") == files
            assert pager.xpath(".//a[@aria-current='page']/@href") == [files[number - 1]]
        assert page.xpath("//h1")[0].text_content() == "Nikolai Yezhov"
        assert bool(page.xpath("//dl[@class='person-meta']")) == (number == 1)
    titles = [page.xpath("//title")[0].text for page in shown]
    assert len(set(titles)) == len(titles)


def test_a_person_named_in_few_documents_has_one_page_without_pager(sources: Path, tmp_path: Path) -> None:
    build(sources, tmp_path / "out")
    folder = tmp_path / "out" / "site" / "persons" / "yezhov"
    assert [p.name for p in folder.iterdir()] == ["index.html"]
    page = lxml.html.fromstring((folder / "index.html").read_bytes())
    assert not page.xpath("//nav[@class='pager']") and page.xpath("//li[@class='mention']")


def test_a_changed_mention_writes_the_page_showing_it_and_no_other(many: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(many, out)
    site = out / "site"
    before = inodes(site)
    last = LETTERS - 1  # the last letter in the edition's order: on the last page
    write(many, last, f"Letter {last}\n\nDear Madam, Yezhov wrote {last} times; Yezhov signed.")
    assert build(many, out) == build(many, tmp_path / "clean", cache=False)
    person = {name for name in before if name.startswith("persons/yezhov/")}
    pages = sorted(person, key=lambda name: int(re.sub(r"\D", "", name) or 1))
    assert len(pages) >= 3
    assert person - linked(site, before) == {pages[-1]}  # the same count: not the first page


def test_a_new_mention_writes_the_first_page_for_its_count(many: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(many, out)
    site = out / "site"
    before = inodes(site)
    last = LETTERS - 1
    write(many, last, f"Letter {last}\n\nDear Sir, Yezhov wrote; Yezhov signed; Yezhov left.")
    assert build(many, out) == build(many, tmp_path / "clean", cache=False)
    person = {name for name in before if name.startswith("persons/yezhov/")}
    rewritten = person - linked(site, before)
    assert "persons/yezhov/index.html" in rewritten and len(rewritten) == 2


def test_a_document_gone_and_another_come_shifts_the_pages_between(many: Path, tmp_path: Path) -> None:
    """The same count of documents and mentions: the pages' numbers and ranges are as they
    were, but the pages after the one gone show other documents — none of them changed."""
    out = tmp_path / "out"
    build(many, out)
    (many / "texts" / "letter1.txt").unlink()
    write(many, 9, "Letter 9\n\nDear Sir, Yezhov wrote 9 times; Yezhov signed.")
    assert build(many, out) == build(many, tmp_path / "clean", cache=False)


@pytest.mark.parametrize(
    ("number", "shown"),
    [(1, [1, 2, 3, 0, 112]), (6, [1, 0, 4, 5, 6, 7, 8, 0, 112]), (111, [1, 0, 109, 110, 111, 112])],
)
def test_the_pager_of_many_pages_links_the_ends_and_the_neighbours(number: int, shown: list[int]) -> None:
    from edition.render.person_pages import MentionPage

    page = MentionPage(number, 112, 1, 50, 5561)
    assert [n for n, _ in page.links] == shown
    assert dict(page.links)[112] == "mentions-112.html" and dict(page.links)[1] == "index.html"
