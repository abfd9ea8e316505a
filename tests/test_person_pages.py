"""A person named in many documents: their mentions on pages of `MENTION_DOCUMENTS` documents."""

from __future__ import annotations

from pathlib import Path

import lxml.html
import pytest

from edition.pipeline import BuildOptions, build_edition

from .conftest import published
from .test_incremental import inodes, linked

LETTERS = 5  # each names Yezhov; with the seeds, more documents than two pages hold
TO_A_PAGE = 4  # `MENTION_DOCUMENTS` in these tests: pages of 3 to 6 documents (`edition.render.cuts`)


@pytest.fixture
def many(sources: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The small edition with letters naming Yezhov, a few documents to a page of mentions."""
    monkeypatch.setattr("edition.render.person_pages.MENTION_DOCUMENTS", TO_A_PAGE)
    for n in range(LETTERS):
        write(sources, n, f"Letter {n}\n\nDear Sir, Yezhov wrote {n} times; Yezhov signed.")
    return sources


def write(sources: Path, n: int | str, text: str) -> None:
    (sources / "texts" / f"letter{n}.txt").write_text(text, encoding="utf-8")


def build(sources: Path, out: Path, cache: bool = True) -> dict[str, bytes]:
    build_edition(BuildOptions(sources, out, validate=False, cache=cache))
    return published(out)


def person_pages(site: Path, person: str) -> dict[str, lxml.html.HtmlElement]:
    """The person's pages of mentions by file, in the order the first page lists them."""
    folder = site / "persons" / person
    first = lxml.html.fromstring((folder / "index.html").read_bytes())
    files = first.xpath("//nav[@id='ed-pages']//a/@href") or ["index.html"]
    assert files[0] == "index.html" and sorted(files[1:]) == sorted(p.name for p in folder.glob("mentions-*.html"))
    return {file: lxml.html.fromstring((folder / file).read_bytes()) for file in files}


def shown_documents(page: lxml.html.HtmlElement) -> list[str]:
    return [a.get("href").split("/")[2] for a in page.xpath("//section[@class='mentions-in']/h3/a")]


def test_each_document_naming_the_person_is_on_one_page_in_the_editions_order(
    many: Path, tmp_path: Path
) -> None:
    build(many, tmp_path / "out")
    site = tmp_path / "out" / "site"
    shown = list(person_pages(site, "yezhov").values())
    naming = [shown_documents(page) for page in shown]
    assert len(naming) >= 2
    assert all(3 <= len(documents) <= 6 for documents in naming[:-1]) and 1 <= len(naming[-1]) <= 6
    documents = [doc for page in naming for doc in page]
    order = lxml.html.fromstring((site / "index.html").read_bytes()).xpath("//a/@href")
    folders = [href.split("/")[0] for href in order if href.startswith("d-")]
    assert documents == [folder for folder in dict.fromkeys(folders) if folder in documents]
    assert len(documents) == len(set(documents)) >= LETTERS
    # The count on the first page is every mention on every page.
    mentions = sum(len(page.xpath("//li[@class='mention']")) for page in shown)
    assert f"{mentions} mentions in {len(documents)} documents" in shown[0].text_content()


def test_the_first_page_lists_every_page_and_each_links_its_neighbours(many: Path, tmp_path: Path) -> None:
    build(many, tmp_path / "out")
    shown = person_pages(tmp_path / "out" / "site", "yezhov")
    files = list(shown)
    first = shown["index.html"]
    assert first.xpath("//nav[@id='ed-pages']//a[@aria-current='page']/@href") == ["index.html"]
    # Each listed by the places of its documents among those naming the person.
    places = [a.text_content() for a in first.xpath("//nav[@id='ed-pages']//a")]
    counts = [len(shown_documents(page)) for page in shown.values()]
    ends = [sum(counts[: k + 1]) for k in range(len(counts))]
    assert places == [f"documents {end - count + 1}\u2013{end}" if count > 1 else f"document {end}"
                      for end, count in zip(ends, counts, strict=True)]  # fmt: skip
    for k, (file, page) in enumerate(shown.items()):
        assert page.xpath("//h1")[0].text_content() == "Nikolai Yezhov"
        assert bool(page.xpath("//dl[@class='person-meta']")) == (k == 0)
        later = page.xpath("//a[@rel='next']/@href")
        assert set(later) == ({files[k + 1]} if k + 1 < len(files) else set())
        if k:
            assert file == f"mentions-{shown_documents(page)[0]}.html"  # named by its first document
            for pager in page.xpath("//nav[@class='pager']"):
                assert pager.xpath(".//a[@rel='prev']/@href") == [files[k - 1]]
                assert "index.html#ed-pages" in pager.xpath(".//a/@href")
    titles = [page.xpath("//title")[0].text for page in shown.values()]
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
    pages = list(person_pages(site, "yezhov"))
    assert len(pages) >= 2
    assert person - linked(site, before) == {f"persons/yezhov/{pages[-1]}"}  # the same count: not the first


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


@pytest.mark.parametrize("change", ["inserted", "removed"])
def test_a_document_inserted_or_removed_writes_its_page_and_the_first_not_those_after(
    sources: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, change: str
) -> None:
    """Cut by position and numbered, every page after the document was written again."""
    monkeypatch.setattr("edition.render.person_pages.MENTION_DOCUMENTS", 8)  # 6 to 12 a page
    for n in range(80):
        write(sources, f"{n:02}", f"Letter {n}\n\nDear Sir, Yezhov wrote.")
    out = tmp_path / "out"
    build(sources, out)
    site = out / "site"
    before = inodes(site)
    pages = len(person_pages(site, "yezhov"))
    if change == "inserted":
        write(sources, "40a", "Letter 40a\n\nDear Sir, Yezhov wrote again.")
    else:
        (sources / "texts" / "letter40.txt").unlink()
    assert build(sources, out) == build(sources, tmp_path / "clean", cache=False)
    person = {name for name in before if name.startswith("persons/yezhov/mentions-")}
    rewritten = person - linked(site, before)  # or gone
    # Its own; where it moved a cut, the next few, until a cut lands where one was. By
    # position, the six or seven after it.
    assert pages >= 10 and 1 <= len(rewritten) <= 4


def test_the_first_page_lists_each_page_with_the_dates_of_its_first_and_last_documents(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from edition.render.person_pages import mention_pages
    from edition.render.teiread import DocumentInfo

    monkeypatch.setattr("edition.render.person_pages.MENTION_DOCUMENTS", 4)  # 3 a page, all cut
    naming = [f"d-{n}" for n in range(7)]
    dated = {"d-0": "1 May 1936", "d-2": "3 May 1936", "d-3": "4 May 1936", "d-5": "4 May 1936", "d-6": "9 May 1936"}
    dates = {doc_id: DocumentInfo(doc_id, "T", dated.get(doc_id, "")) for doc_id in naming}
    (first, shown), *others = mention_pages(naming, dates)
    assert shown == naming[:3] and [page.file for page, _ in others] == ["mentions-d-3.html", "mentions-d-6.html"]
    assert [(span.shown, span.dates) for span in first.spans] == [
        ("documents 1\u20133", "1 May 1936 \u2013 3 May 1936"),
        ("documents 4\u20136", "4 May 1936"),  # both ends the same day
        ("document 7", "9 May 1936"),
    ]
    (listing, _), *rest = mention_pages(["d-0", "d-1", "d-2", "d-4"], dates)
    assert [span.dates for span in listing.spans] == ["1 May 1936 \u2013 3 May 1936", ""]  # d-4: no date
    assert rest and rest[0][0].spans == ()  # only the first page lists them
    (alone, _), = mention_pages(["d-1", "d-2"], dates)
    assert alone.spans == ()  # one page: no list
    (nobody, shown), = mention_pages([], dates)
    assert nobody.first and shown == ()  # named nowhere: their page says so
