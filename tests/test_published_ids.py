"""Every id a build published keeps resolving, in TEI and HTML, after the editor's edits.

The edits are made on a copy of the sample edition: a word corrected, a paragraph
inserted, one deleted, one moved, a document renamed (``formerly:``), one removed.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import lxml.html
import pytest
from lxml import etree

from edition.cli import main
from edition.diagnostics import EditionError
from edition.lockfile import read_lock
from edition.pipeline import BuildOptions, build_edition

SAMPLE = Path(__file__).parents[1] / "sources"
TELEGRAM, MEMOIR = "003_e5b59e6160513613", "000_1f1a60356441ad05"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
TEI = "{http://www.tei-c.org/ns/1.0}"
EXTRA = "A short note.\n\nIt has two paragraphs.\n"


def build(sources: Path, out: Path) -> None:
    build_edition(BuildOptions(sources, out, validate=False))


def tei_ids(path: Path) -> set[str]:
    """The ids a reader can cite: those of the body (the header's are not places in the text)."""
    body = etree.parse(str(path)).find(f"{TEI}text/{TEI}body")
    assert body is not None
    return {str(e.get(XML_ID)) for e in body.iter() if e.get(XML_ID)}


def html_ids(path: Path) -> set[str]:
    return set(lxml.html.fromstring(path.read_bytes()).xpath("//@id"))


def redirect_target(page: Path) -> str:
    refresh = lxml.html.fromstring(page.read_bytes()).xpath("//meta[@http-equiv='refresh']")
    assert refresh, f"{page} is not a redirect"
    return str(refresh[0].get("content")).split("url=", 1)[1]


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def sources(tmp_path: Path) -> Path:
    folder = tmp_path / "src"
    shutil.copytree(SAMPLE, folder)
    (folder / "texts" / "extra.txt").write_text(EXTRA, encoding="utf-8")
    return folder


def test_every_published_id_resolves_after_edits_renames_and_removals(
    sources: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    build(sources, out)
    before = {doc: tei_ids(out / "tei" / f"{doc}.xml") for doc in (TELEGRAM, MEMOIR, "extra")}
    texts = sources / "texts"
    telegram = texts / f"{TELEGRAM}.txt"
    edit(telegram, "puzzled and astonished", "puzzled and astounded")  # a corrected word
    edit(telegram, "behavior at the trial.\n", "behavior at the trial.\n\nAn inserted paragraph.\n")
    edit(telegram, "The opinions expressed above are shared by a number of the better informed "
         "foreigners in Moscow.\n\n", "")  # fmt: skip
    moved = "Most of the foreigners present during the proceedings were of the opinion that:\n\n"
    edit(telegram, moved, "")
    edit(telegram, "It is difficult to state", moved + "It is difficult to state")
    (texts / f"{MEMOIR}.txt").rename(texts / "orlov-chapter.txt")
    edit(sources / "edition.yaml", f"  {MEMOIR}:\n", f"  orlov-chapter:\n    formerly: [{MEMOIR}]\n")
    (texts / "extra.txt").unlink()
    build(sources, out)

    site = out / "site"
    # The edited document: every old id is an element or an alias anchor, in TEI and HTML.
    now = tei_ids(out / "tei" / f"{TELEGRAM}.xml")
    page = site / f"d-{TELEGRAM.replace('_', '-')}" / "index.html"
    assert before[TELEGRAM] <= now
    assert before[TELEGRAM] <= html_ids(page)
    root = etree.parse(str(out / "tei" / f"{TELEGRAM}.xml"))
    inserted = next(p for p in root.iter(f"{TEI}p") if "An inserted paragraph" in "".join(p.itertext()))
    assert inserted.get(XML_ID) not in before[TELEGRAM]  # fresh, never used before
    aliases = root.findall(f".//{TEI}anchor[@type='alias']")
    assert [a.get(XML_ID) for a in aliases] == ["p19"]
    assert aliases[0].getnext().get(XML_ID) == aliases[0].get("corresp").lstrip("#")
    html_alias = lxml.html.fromstring(page.read_bytes()).get_element_by_id("p19")
    assert html_alias.getnext().get("id") == aliases[0].get("corresp").lstrip("#")

    # The renamed document keeps its ids at its new address; the old address redirects there.
    new_id, old_id = "d-orlov-chapter", f"d-{MEMOIR.replace('_', '-')}"
    assert before[MEMOIR] <= tei_ids(out / "tei" / "orlov-chapter.xml")
    assert before[MEMOIR] <= html_ids(site / new_id / "index.html")
    old_page = site / old_id / "index.html"
    assert redirect_target(old_page) == f"../{new_id}/index.html"
    moved_anchor = lxml.html.fromstring(old_page.read_bytes()).get_element_by_id("p5")
    assert moved_anchor.get("href") == f"../{new_id}/index.html#p5"

    # The removed document's address leads to the edition's index.
    assert redirect_target(site / "d-extra" / "index.html") == "../index.html"
    lock, _ = read_lock(sources / "anchors.lock", "anchors.lock")
    assert {"d-extra", old_id, new_id} <= set(lock)

    # A rebuild of the same sources changes neither the lock nor the TEI.
    lock_text = (sources / "anchors.lock").read_bytes()
    tei_before = (out / "tei" / f"{TELEGRAM}.xml").read_bytes()
    build(sources, out)
    assert (sources / "anchors.lock").read_bytes() == lock_text
    assert (out / "tei" / f"{TELEGRAM}.xml").read_bytes() == tei_before


def test_a_hand_edited_lock_that_would_lose_an_id_fails_the_build_and_the_check(
    sources: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lock = sources / "anchors.lock"
    lines = lock.read_text(encoding="utf-8").splitlines()
    number = next(i for i, line in enumerate(lines) if line.startswith("d-003-") and "\tp7\t" in line)
    lines[number] = "d-003-e5b59e6160513613\tp7\t->\tp99"  # retired, but to nothing
    lock.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(EditionError) as failure:
        build(sources, tmp_path / "out")
    lost = [d for d in failure.value.diagnostics if d.code == "anchors.lost"]
    assert [(d.line, d.message) for d in lost] == [
        (number + 1, "d-003-e5b59e6160513613#p7 was published but would no longer resolve: "
                     "its alias target 'p99' is not in the document"),
    ]  # fmt: skip
    assert not (tmp_path / "out").exists()
    assert main(["check", str(sources)]) == 1
    assert "[anchors.lost]" in capsys.readouterr().err


def test_check_passes_on_the_sample_and_writes_nothing(
    sources: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (sources / "texts" / "extra.txt").unlink()
    listing = sorted(p.relative_to(sources) for p in sources.rglob("*"))
    lock = (sources / "anchors.lock").read_bytes()
    assert main(["check", str(sources)]) == 0
    assert "every published id resolves" in capsys.readouterr().err
    assert sorted(p.relative_to(sources) for p in sources.rglob("*")) == listing
    assert (sources / "anchors.lock").read_bytes() == lock


def test_a_former_name_that_still_has_a_text_is_a_located_error(sources: Path) -> None:
    edit(sources / "edition.yaml", f"  {TELEGRAM}:\n", f"  {TELEGRAM}:\n    formerly: extra\n")
    with pytest.raises(EditionError) as failure:
        build(sources, sources.parent / "out")
    [problem] = [d for d in failure.value.diagnostics if d.code == "config.documents.formerly"]
    assert problem.line > 0 and problem.message == (
        f"documents.{TELEGRAM}.formerly: 'extra' still has a text (texts/extra.txt); "
        "remove it or the rename"
    )
