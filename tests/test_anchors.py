"""Stable ids: rebuilding and editing keep every published id resolving."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from lxml import etree

from edition.anchors import Anchor, lock_text, stabilize_ids
from edition.config import EditionConfig
from edition.convert import convert_document
from edition.detectors import default_detectors
from edition.ids import XML_ID
from edition.lockfile import read_lock, write_lock, write_lock_text
from edition.reading import plain_text
from edition.source import decode_source

NS = {"tei": "http://www.tei-c.org/ns/1.0"}
PARAGRAPHS = [
    "A Heading",
    "The first paragraph tells of the trial.",
    "The second paragraph names the defendants.",
    "The third paragraph gives the verdict.",
    "The fourth paragraph reports the executions.",
]


def body_of(paragraphs: list[str]) -> etree._Element:
    source, _ = decode_source("\n\n".join(paragraphs).encode(), "t.txt")
    tei = convert_document(source, "t", EditionConfig(title="T"), default_detectors()).tei
    return etree.fromstring(tei).find(".//tei:body", NS)


def ids_by_text(body: etree._Element) -> dict[str, str]:
    return {plain_text(e, diplomatic=True): e.get(XML_ID) for e in body.iter() if e.get(XML_ID)}


def build(paragraphs: list[str], lock: list[Anchor]) -> tuple[etree._Element, list[Anchor]]:
    body = body_of(paragraphs)
    return body, stabilize_ids("d-t", body, lock)


def test_a_first_build_numbers_in_order_and_a_rebuild_changes_nothing() -> None:
    body, lock = build(PARAGRAPHS, [])
    assert list(ids_by_text(body).values()) == ["h1", "p1", "p2", "p3", "p4"]
    again, relock = build(PARAGRAPHS, lock)
    assert ids_by_text(again) == ids_by_text(body) and relock == lock


def test_an_inserted_paragraph_gets_a_new_number_and_the_others_keep_theirs() -> None:
    _, lock = build(PARAGRAPHS, [])
    edited = [*PARAGRAPHS[:2], "An inserted paragraph.", *PARAGRAPHS[2:]]
    body, _ = build(edited, lock)
    ids = ids_by_text(body)
    assert ids["An inserted paragraph."] == "p5"
    assert [ids[t] for t in PARAGRAPHS[1:]] == ["p1", "p2", "p3", "p4"]


def test_a_corrected_word_keeps_the_paragraph_id() -> None:
    _, lock = build(PARAGRAPHS, [])
    edited = [*PARAGRAPHS[:2], "The second paragraph names the defendents.", *PARAGRAPHS[3:]]
    body, _ = build(edited, lock)
    assert ids_by_text(body)["The second paragraph names the defendents."] == "p2"


def test_a_deleted_paragraph_id_becomes_an_alias_of_its_neighbour() -> None:
    _, lock = build(PARAGRAPHS, [])
    body, relock = build([p for p in PARAGRAPHS if "second" not in p], lock)
    assert Anchor("d-t", "p2", alias_of="p1") in relock
    alias = body.find(".//tei:anchor[@type='alias']", NS)
    assert alias.get(XML_ID) == "p2" and alias.get("corresp") == "#p1"
    assert alias.getnext().get(XML_ID) == "p1"


def test_a_deleted_id_is_never_minted_again() -> None:
    _, lock = build(PARAGRAPHS, [])
    _, lock = build([p for p in PARAGRAPHS if "fourth" not in p], lock)
    body, _ = build([*PARAGRAPHS[:4], "A new last paragraph."], lock)
    assert ids_by_text(body)["A new last paragraph."] == "p5"


def test_moved_paragraphs_keep_their_ids() -> None:
    _, lock = build(PARAGRAPHS, [])
    moved = [PARAGRAPHS[0], PARAGRAPHS[3], PARAGRAPHS[1], PARAGRAPHS[2], PARAGRAPHS[4]]
    ids = ids_by_text(build(moved, lock)[0])
    assert [ids[t] for t in PARAGRAPHS] == ["h1", "p1", "p2", "p3", "p4"]


def test_alias_chains_collapse_to_a_live_id() -> None:
    _, lock = build(PARAGRAPHS, [])
    _, lock = build([p for p in PARAGRAPHS if "third" not in p], lock)  # p3 → p2
    _, lock = build([p for p in PARAGRAPHS if "third" not in p and "second" not in p], lock)
    aliases = {a.id: a.alias_of for a in lock if a.retired}
    assert aliases == {"p2": "p1", "p3": "p1"}


def test_the_lock_file_round_trips(tmp_path: Path) -> None:
    _, lock = build(PARAGRAPHS, [])
    _, lock = build(PARAGRAPHS[:3], lock)
    path = tmp_path / "anchors.lock"
    write_lock(path, lock)
    read, problems = read_lock(path, "anchors.lock")
    assert problems == [] and sorted(read["d-t"], key=lambda a: a.id) == sorted(
        lock, key=lambda a: a.id
    )


def test_the_lock_written_is_the_lock_read_back(tmp_path: Path) -> None:
    _, lock = build(PARAGRAPHS, [])
    _, lock = build(PARAGRAPHS[:3], lock)  # retired ids, as aliases
    other = [replace(anchor, doc="d-a") for anchor in lock]
    texts = {"d-t": lock_text(lock), "d-a": lock_text(other), "d-empty": b""}
    written = write_lock_text(tmp_path / "anchors.lock", texts)
    read, problems = read_lock(tmp_path / "anchors.lock", "anchors.lock")
    assert problems == []
    assert sorted(written) == sorted(read) == ["d-a", "d-t"]
    for doc in read:
        assert written.text(doc) == read.text(doc) == texts[doc]
        assert written.first_line(doc) == read.first_line(doc)
        assert written.digest(doc) == read.digest(doc)
        assert written[doc] == read[doc]  # line numbers included


def test_a_lock_reads_the_same_with_windows_line_ends_and_unusual_characters(tmp_path: Path) -> None:
    # A block's text may hold a line separator (U+2028) or a curly quote: a line ends at "\n" alone.
    lines = ["d-t\tp1\t3f2a9c\tDear\u2028Sir \u2019s", "d-t\tp2\t->\tp1", "d-u\tp1\t9e8d7c\tNext\x85line"]
    path = tmp_path / "anchors.lock"
    path.write_bytes(("# header\n" + "\n".join(lines) + "\n").encode())
    read, problems = read_lock(path, "anchors.lock")
    plain = {doc: read[doc] for doc in read}  # read from the file when asked: before it changes
    path.write_bytes(("# header\r\n" + "\r\n".join(lines) + "\r\n").encode())
    windows, _ = read_lock(path, "anchors.lock")
    assert problems == [] and plain["d-t"] == windows["d-t"] and len(plain["d-t"]) == 2
    assert plain["d-t"][0].sketch == "Dear\u2028Sir \u2019s" and plain["d-u"][0].sketch == "Next\x85line"
    assert [a.lock_line for a in plain["d-t"] + plain["d-u"]] == [2, 3, 4]
    assert [a.lock_line for a in windows["d-t"] + windows["d-u"]] == [2, 3, 4]


def test_a_malformed_lock_line_is_a_located_error(tmp_path: Path) -> None:
    path = tmp_path / "anchors.lock"
    path.write_text("# header\nd-t\tp1\tabc\n", encoding="utf-8")
    _, problems = read_lock(path, "sources/anchors.lock")
    assert [(d.line, d.code) for d in problems] == [(2, "anchors.syntax")]


def test_a_lock_line_whose_document_id_is_a_path_is_refused(tmp_path: Path) -> None:
    # The document id names a redirect page's folder: it must not climb out of the site.
    path = tmp_path / "anchors.lock"
    lines = ["../../escaped\tp1\t->\tp2", "/tmp/abs\tp1\t->\tp2", "persons\tp1\t->\tp2",
             "d-ok\tp1\t->\tp2"]  # fmt: skip
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    read, problems = read_lock(path, "sources/anchors.lock")
    assert [(d.line, d.code) for d in problems] == [(n, "anchors.syntax") for n in (1, 2, 3)]
    assert list(read) == ["d-ok"]


def test_an_undecodable_lock_is_a_located_error_not_a_crash(tmp_path: Path) -> None:
    path = tmp_path / "anchors.lock"
    path.write_bytes(b"d-t\tp1\t\xff\xfe\n")
    _, problems = read_lock(path, "sources/anchors.lock")
    assert [(d.path, d.code) for d in problems] == [("sources/anchors.lock", "anchors.read")]


def test_a_build_keeps_published_ids_resolving_in_tei_and_html(tmp_path: Path) -> None:
    from edition.pipeline import BuildOptions, build_edition

    sources = tmp_path / "src"
    (sources / "texts").mkdir(parents=True)
    text = sources / "texts" / "letter.txt"
    text.write_text("\n\n".join(PARAGRAPHS), encoding="utf-8")
    build_edition(BuildOptions(sources, tmp_path / "out"))
    assert (sources / "anchors.lock").exists()

    edited = [*PARAGRAPHS[:2], "An inserted paragraph.", PARAGRAPHS[3], PARAGRAPHS[4]]
    text.write_text("\n\n".join(edited), encoding="utf-8")
    build_edition(BuildOptions(sources, tmp_path / "out"))

    tei = etree.parse(str(tmp_path / "out" / "tei" / "letter.xml"))
    ids = {e.get(XML_ID) for e in tei.iter() if e.get(XML_ID)}
    assert {"h1", "p1", "p2", "p3", "p4", "p5"} <= ids
    html = (tmp_path / "out" / "site" / "d-letter" / "index.html").read_text(encoding="utf-8")
    assert all(f'id="{i}"' in html for i in ("p1", "p2", "p3", "p4", "p5"))
