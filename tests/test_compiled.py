"""The site's templates compiled once and kept in the user's cache (`edition.render.compiled`)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import jinja2
import pytest
from jinja2.bccache import bc_magic

from edition.config import EditionConfig
from edition.render import pages
from edition.render.compiled import template_cache

TEMPLATES = ["redirect.html", "base.html"]  # what a redirect page is rendered from
CONFIG = EditionConfig(title="T")


@pytest.fixture(autouse=True)
def _own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A cache folder of the test's own, and no cache object left from another test."""
    monkeypatch.setenv("EDITION_CACHE", str(tmp_path / "cache"))
    template_cache.cache_clear()
    yield tmp_path / "cache"
    template_cache.cache_clear()


def _compiles(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of templates compiled from here on, noted as Jinja2 compiles them."""
    compiled: list[str] = []
    original = jinja2.Environment.compile

    def noting(self: jinja2.Environment, source: str, name: str | None = None, *args: object, **kw: object) -> object:
        compiled.append(name or "")
        return original(self, source, name, *args, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(jinja2.Environment, "compile", noting)
    return compiled


def _kept_files(cache: Path) -> list[Path]:
    return sorted((cache / "templates").glob("*/*.cache"))


def test_a_template_is_compiled_once_then_read_from_the_cache(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, _own_cache: Path
) -> None:
    compiled = _compiles(monkeypatch)
    first = _redirect_page(tmp_path / "first")
    assert compiled == TEMPLATES
    assert len(_kept_files(_own_cache)) == 2
    again = _redirect_page(tmp_path / "again")  # a new environment: as in another process
    assert compiled == TEMPLATES  # not compiled again
    assert again == first


def test_an_edited_template_is_compiled_anew(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "t.html").write_text("one {{ x }}", encoding="utf-8")
    cache = template_cache(pages.__file__)
    assert cache is not None

    def render() -> str:
        env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(folder)), bytecode_cache=cache)
        return env.get_template("t.html").render(x=1)

    assert render() == "one 1"
    (folder / "t.html").write_text("two {{ x }}", encoding="utf-8")
    assert render() == "two 1"


def test_a_damaged_cache_file_is_compiled_over(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, _own_cache: Path
) -> None:
    expected = _redirect_page(tmp_path / "first")
    short, cut = _kept_files(_own_cache)
    short.write_bytes(short.read_bytes()[: len(bc_magic) + 3])  # its source's checksum cut short
    cut.write_bytes(cut.read_bytes()[:-40])  # its code cut short
    compiled = _compiles(monkeypatch)
    assert _redirect_page(tmp_path / "again") == expected
    assert compiled == TEMPLATES


def test_a_cache_that_cannot_be_written_only_costs_a_compile(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, _own_cache: Path
) -> None:
    template_cache(pages.__file__)
    (folder,) = (_own_cache / "templates").iterdir()
    folder.rmdir()  # as when a build of another version replaced it
    compiled = _compiles(monkeypatch)
    assert _redirect_page(tmp_path / "first") == _redirect_page(tmp_path / "again")
    assert compiled == TEMPLATES * 2


def test_a_cache_folder_that_cannot_be_made_leaves_no_cache(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    blocked = tmp_path / "a file"
    blocked.write_text("", encoding="utf-8")
    monkeypatch.setenv("EDITION_CACHE", str(blocked))
    assert template_cache(pages.__file__) is None
    assert b"url=../index.html" in _redirect_page(tmp_path / "site")  # compiled, as without a cache


def test_another_version_compiles_anew_and_its_folder_replaces_the_old(tmp_path: Path, _own_cache: Path) -> None:
    template_cache(pages.__file__)
    (old,) = (_own_cache / "templates").iterdir()
    other = tmp_path / "options.py"
    other.write_text("# other environment options\n", encoding="utf-8")
    template_cache.cache_clear()
    assert template_cache(str(other)) is not None
    (new,) = (_own_cache / "templates").iterdir()
    assert new != old


def _redirect_page(site: Path) -> bytes:
    """A page rendered through a fresh environment, as a build's process would."""
    pages.write_redirect(pages.environment(), site, CONFIG, "gone", "", ["p1"])
    return (site / "gone" / "index.html").read_bytes()
