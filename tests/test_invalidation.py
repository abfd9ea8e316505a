"""Invalidation: a new template, a new version of the code or a new correction changes exactly its outputs.

Each test builds twice to fill the caches (the second build reads the lock the
first wrote), changes one input, builds again, and compares the published files:
those that changed must be exactly those the input reaches, and the warm build
must equal a clean one.
"""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

import pytest

import edition.cache
import edition.render.pages
import edition.rules
import edition.validate
from edition.diagnostics import Diagnostic

from .test_incremental import (
    before_and_after,
    build,
    changed,
    count_conversions,
    inodes,
    linked,
    site_changes,
    write_letter,
)

# ---- templates: what a template renders changes, and nothing else


@pytest.mark.parametrize(
    ("template", "old", "new", "renders"),
    [
        # A document's page; its TEI copy, plain texts and citations are not templated.
        ("document.html", "{% block main %}\n", "{% block main %}\n<!-- edited -->\n",
         r"site/d-[^/]+/index\.html"),
        # Each person's page, not the list of persons (persons.html).
        ("person.html", "{% block main %}\n", "{% block main %}\n<!-- edited -->\n",
         r"site/persons/[^/]+/index\.html"),
        # The title page and its lists in other orders.
        ("index.html", "{% block main %}\n", "{% block main %}\n<!-- edited -->\n",
         r"site/(index|documents-by-[a-z]+)\.html"),
        # Every page extends it.
        ("base.html", "</main>\n", "</main>\n<!-- edited -->\n", r"site/.*\.html"),
        # Copied as it is into the site's assets.
        ("style.css", "\n", "\n/* edited */\n", r"site/assets/style\.css"),
    ],
    ids=["document.html", "person.html", "index.html", "base.html", "style.css"],
)  # fmt: skip
def test_changing_a_template_changes_exactly_the_pages_it_renders(
    sources: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    template: str, old: str, new: str, renders: str,
) -> None:  # fmt: skip
    templates = tmp_path / "templates"
    shutil.copytree(edition.render.pages.template_dir(), templates)
    # Looked up by attribute at each call: by the renderer, its assets and the page memo's salt.
    monkeypatch.setattr(edition.render.pages, "template_dir", lambda: templates)
    text = (templates / template).read_text(encoding="utf-8")
    assert old in text, f"{template} no longer holds {old!r}: choose another place to edit"
    before, after = before_and_after(
        sources,
        tmp_path / "out",
        lambda: (templates / template).write_text(text.replace(old, new, 1), encoding="utf-8"),
    )
    assert changed(before, after) == set()  # templates are the site's, never the TEI's
    expected = {name for name in before if re.fullmatch(renders, name)}
    assert expected  # the pattern names pages this edition has
    assert site_changes(before, after) == expected
    assert after == build(sources, tmp_path / "clean", cache=False)


def test_python_bytecode_beside_the_templates_renders_nothing_again(
    sources: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Importing the templates package (to find it) writes its __init__'s bytecode, and
    # another Python writes its own: neither is anything the site is made from.
    templates = tmp_path / "templates"
    shutil.copytree(edition.render.pages.template_dir(), templates, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(edition.render.pages, "template_dir", lambda: templates)
    out, site = tmp_path / "out", tmp_path / "out" / "site"
    build(sources, out)
    build(sources, out)
    files = inodes(site)
    build(sources, out)
    unchanged = linked(site, files)  # all but the search index, which Pagefind writes whole
    assert any(name.endswith("/index.html") for name in unchanged)
    files = inodes(site)
    (templates / "__pycache__").mkdir()
    (templates / "__pycache__" / "__init__.cpython-399.pyc").write_bytes(b"\x00bytecode")
    build(sources, out)
    assert linked(site, files) == unchanged


# ---- the code: a new version trusts no cache


def new_code_version(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make every module that salts a cache with `code_fingerprint` see another version of the code."""
    original = edition.cache.code_fingerprint
    for name, module in sorted(sys.modules.items()):
        if name.startswith("edition") and getattr(module, "code_fingerprint", None) is original:
            monkeypatch.setattr(module, "code_fingerprint", lambda: "another version of the code")


def count_rule_checks(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """A list each later build appends to: the files whose rules it checked (not from the memo)."""
    checked: list[str] = []
    original = edition.rules.check_tree

    def counting(root: object, display: str, *args: object) -> list[Diagnostic]:
        checked.append(display)
        return original(root, display, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(edition.rules, "check_tree", counting)
    return checked


class NoSchemaCheck:
    """Stands in for the check against tei_all (`edition.validate.PendingValidation`): finds nothing."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        pass

    def result(self) -> list[Diagnostic]:
        return []

    def cancel(self) -> None:
        pass


def test_a_new_version_of_the_code_converts_checks_and_renders_everything_again(
    sources: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The rules are checked (their memo is salted with the code too); tei_all is not the
    # subject here, and would need the schema.
    monkeypatch.setattr(edition.validate, "PendingValidation", NoSchemaCheck)
    out, site = tmp_path / "out", tmp_path / "out" / "site"
    build(sources, out, validate=True)  # writes the lock the next build reads
    converted, checked = count_conversions(monkeypatch), count_rule_checks(monkeypatch)
    build(sources, out, validate=True)
    assert (sum(converted), checked) == (0, [])  # the same code: every cache holds
    files = inodes(site)
    assert linked(site, files)
    new_code_version(monkeypatch)
    after = build(sources, out, validate=True)
    assert sum(converted) == len(list((sources / "texts").glob("*.txt")))
    assert len(checked) == len([name for name in after if name.startswith("tei/")])
    assert linked(site, files) == set()
    assert after == build(sources, tmp_path / "clean", cache=False)


# ---- the corrections register: the documents a correction applies in, and nothing else


@pytest.mark.parametrize(
    ("correction", "tei", "site"),
    [
        # Everywhere, but only the letter has "wrot": its TEI and folder (the diplomatic
        # text keeps "wrot"), the page of the person its paragraph names (it quotes the
        # paragraph as read), and the principles (they count and list the corrections).
        ("{sic: wrot, corr: wrote}", {"tei/letter.xml"},
         {"site/d-letter/index.html", "site/d-letter/d-letter.xml",
          "site/d-letter/d-letter-normalized.txt", "site/persons/yezhov/index.html",
          "site/principles/index.html"}),
        # Limited to a document without the word: it applies nowhere.
        ("{sic: wrot, corr: wrote, documents: [003_e5b59e6160513613]}", set(), set()),
        # A word no text has as a word of its own (the letter's "wrot" only begins with it):
        # nothing.
        ("{sic: wro, corr: who}", set(), set()),
    ],
    ids=["everywhere", "limited to another document", "a word no text has"],
)  # fmt: skip
def test_a_correction_changes_exactly_what_shows_the_words_it_corrects(
    sources: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, correction: str, tei: set[str], site: set[str]
) -> None:
    write_letter(sources, "A Letter\n\nDear Sir, Yezhov wrot.")  # "wrot" is in no other text
    converted = count_conversions(monkeypatch)
    before, after = before_and_after(
        sources,
        tmp_path / "out",
        lambda: (sources / "corrections.yaml").write_text(
            f"corrections:\n  - {correction}\n", encoding="utf-8"
        ),
    )
    assert changed(before, after) == tei
    assert site_changes(before, after) == site
    # Only the texts the correction may change are converted again (a text's TEI converted
    # anew comes out the same where the word is not there: none is).
    assert converted[-1] == len(tei)
    assert after == build(sources, tmp_path / "clean", cache=False)


def test_a_correction_found_in_a_text_by_its_decoded_reading_reconverts_it(
    sources: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Windows line ends and a decomposed "é": the converter reads "Fréd wrot" as NFC with "\n".
    (sources / "texts" / "letter.txt").write_bytes("A Letter\r\n\r\nDear Sir, Fre\u0301d wrot.".encode())
    converted = count_conversions(monkeypatch)
    before, after = before_and_after(
        sources, tmp_path / "out",
        lambda: (sources / "corrections.yaml").write_text("corrections:\n  - {sic: Fréd, corr: Fred}\n",
                                                          encoding="utf-8"),
    )  # fmt: skip
    assert converted[-1] == 1 and changed(before, after) == {"tei/letter.xml"}
    assert after == build(sources, tmp_path / "clean", cache=False)


def test_texts_alike_but_for_their_names_keep_the_corrections_of_their_own(
    sources: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The same bytes under two names, a correction limited to one of them: what it finds in a
    # text is kept by name and content, not content alone.
    for name in ("twin-a", "twin-b"):
        (sources / "texts" / f"{name}.txt").write_text("A Note\n\nYezhov wrot it.", encoding="utf-8")
    corrections = sources / "corrections.yaml"
    converted = count_conversions(monkeypatch)
    out = tmp_path / "out"
    for corr in ("wrote", "wrote out"):
        corrections.write_text(f"corrections:\n  - {{sic: wrot, corr: {corr}, documents: [twin-a]}}\n",
                               encoding="utf-8")  # fmt: skip
        build(sources, out)
        after = build(sources, out)
        assert converted[-1] == 0  # nothing changed since: everything from the cache
        assert after == build(sources, tmp_path / f"clean-{corr}", cache=False)
    assert b'resp="#editor">wrote out<' in after["tei/twin-a.xml"] and b'"#editor">wrote' not in after["tei/twin-b.xml"]
