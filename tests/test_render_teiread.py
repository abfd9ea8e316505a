"""Reading TEI files for the site: header facts, and located refusals."""

from __future__ import annotations

from pathlib import Path

import pytest

from edition.diagnostics import EditionError
from edition.render.teiread import DocumentInfo, read_tei, reading_text

FIXTURES = Path(__file__).parent / "fixtures" / "tei"

TEI_OPEN = '<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="d-1">'
MINIMAL = TEI_OPEN + "<teiHeader/><text><body><p>x</p></body></text></TEI>"


def write(tmp_path: Path, text: str, name: str = "doc.xml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def refusal(path: Path) -> str:
    with pytest.raises(EditionError) as caught:
        read_tei(path)
    (diagnostic,) = caught.value.diagnostics
    return diagnostic.format()


# --- header facts ---


def test_telegram_header_gives_title_author_date_pages_language_licence() -> None:
    info = read_tei(FIXTURES / "telegram.xml").info
    assert info == DocumentInfo(
        id="d-003-henderson-telegram",
        title="The Chargé in the Soviet Union (Henderson) to the Secretary of State",
        date="28 August 1936",
        when="1936-08-28",
        author="Loy W. Henderson",
        pages="300\u2013302",
        language="en",
        licence="CC BY 4.0",
        licence_url="https://creativecommons.org/licenses/by/4.0/",
    )


def test_letter_sender_and_date_come_from_correspdesc_and_one_page_is_one_number() -> None:
    info = read_tei(FIXTURES / "letter.xml").info
    assert (info.author, info.date, info.pages) == ("Jane & John Doe", "4 March 1901", "17")


def test_header_without_author_date_or_pages_leaves_them_empty() -> None:
    info = read_tei(FIXTURES / "untitled.xml").info
    assert (info.title, info.author, info.date, info.pages, info.language) == (
        "Notiz ohne Überschrift",
        "",
        "",
        "",
        "de",
    )


def test_missing_title_falls_back_to_the_document_id(tmp_path: Path) -> None:
    assert read_tei(write(tmp_path, MINIMAL)).info.title == "d-1"


def test_reading_text_chooses_reg_and_corr_and_leaves_notes_out(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        TEI_OPEN + "<teiHeader/><text><body><p>the <choice><sic>tbe</sic><corr>the</corr></choice>"
        "<note>a note</note>  <choice><orig>Yerev</orig><reg>Yezhov</reg></choice></p>"
        "</body></text></TEI>",
    )
    assert reading_text(read_tei(path).root.find(".//{*}body")) == "the the Yezhov"  # type: ignore[arg-type]


# --- refusals, located ---


def test_ill_formed_file_is_refused_with_line_and_column(tmp_path: Path) -> None:
    path = write(tmp_path, TEI_OPEN + "\n<teiHeader>\n  <p></teiHeader></TEI>")
    message = refusal(path)
    assert message.startswith(f"{path}:3:")
    assert message.endswith("[render.tei.syntax]")


def test_non_tei_root_is_refused_naming_what_was_found(tmp_path: Path) -> None:
    path = write(tmp_path, "<html><body/></html>")
    assert refusal(path) == (
        f"{path}:1: expected a TEI document (root <TEI> in namespace "
        "http://www.tei-c.org/ns/1.0), found <html> in namespace (none) [render.tei.not-tei]"
    )


@pytest.mark.parametrize(
    ("attribute", "code"),
    [
        ("", "render.tei.document-id"),  # no id at all
        ('xml:id="../etc"', "render.tei.syntax"),  # would climb out; libxml2 refuses it first
        ('xml:id="assets"', "render.tei.document-id"),  # the site's own folder
    ],
)
def test_document_id_that_cannot_name_a_folder_is_refused(
    tmp_path: Path, attribute: str, code: str
) -> None:
    path = write(
        tmp_path,
        f'<TEI xmlns="http://www.tei-c.org/ns/1.0" {attribute}><teiHeader/>'
        "<text><body/></text></TEI>",
    )
    assert refusal(path).endswith(f"[{code}]")


def test_tei_without_body_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, TEI_OPEN + "<teiHeader/></TEI>")
    assert refusal(path).endswith("[render.tei.no-body]")


def test_external_entities_are_never_resolved(tmp_path: Path) -> None:
    secret = write(tmp_path, "SECRET", "secret.txt")
    path = write(
        tmp_path,
        f'<!DOCTYPE TEI [<!ENTITY x SYSTEM "file://{secret}">]>'
        + TEI_OPEN
        + "<teiHeader/><text><body><p>&x;</p></body></text></TEI>",
    )
    with pytest.raises(EditionError) as refused:  # refused unread: see edition.safexml
        read_tei(path)
    [problem] = refused.value.diagnostics
    assert problem.code == "xml.doctype" and "SECRET" not in problem.message
