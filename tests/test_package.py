"""edition package: a BagIt bag an archive can verify, dated from the sources, and --verify."""

from __future__ import annotations

from pathlib import Path

import bagit
import pytest

from edition.cli import main

from .conftest import build_lock_held

EDITION_YAML = """\
edition:
  title: Letters
  publisher: The Archive
  editors: [{name: Ada Editor}]
  licence: {name: CC BY 4.0, url: "https://creativecommons.org/licenses/by/4.0/"}
  version: 1.2.0
  date: "2024-05-01"
  base_url: https://example.org/letters/
"""


@pytest.fixture
def sources(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "src"
    (folder / "texts").mkdir(parents=True)
    (folder / "texts" / "letter.txt").write_text(
        "A Letter\n\nDear Sir, I write to you.\n", encoding="utf-8"
    )
    (folder / "edition.yaml").write_text(EDITION_YAML, encoding="utf-8")
    return folder


def package(capsys: pytest.CaptureFixture[str], out: str) -> str:
    code = main(["package", "src", "--out", out])
    err = capsys.readouterr().err
    assert code == 0, err
    return err


def test_a_bag_holds_the_edition_and_validates_with_bagit(
    tei_schema: Path, sources: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    package(capsys, "bag")
    bag = bagit.Bag(str(tmp_path / "bag"))
    bag.validate()  # raises if any file is missing, extra or changed
    assert bag.algorithms == ["sha256"]
    files = set(bag.payload_entries())
    assert {
        "data/tei/letter.xml",
        "data/site/index.html",
        "data/sources/edition.yaml",
        "data/sources/texts/letter.txt",
        "data/schema.txt",
    } <= files
    assert {k: v for k, v in bag.info.items() if k != "Payload-Oxum"} == {
        "External-Description": "Letters",
        "Source-Organization": "The Archive",
        "Contact-Name": "Ada Editor",
        "External-Identifier": "https://example.org/letters/",
        "Edition-Version": "1.2.0",
        "Edition-Date": "2024-05-01",
        "Licence": "CC BY 4.0",
        "Licence-URL": "https://creativecommons.org/licenses/by/4.0/",
        "Bagging-Date": "2024-05-01",  # from edition.yaml, not the clock
        "Bag-Software-Agent": f"edition 0.1.0 (bagit.py {bagit.VERSION})",
    }
    assert "sha256: facc222ce0c2d3647f772bc9e8b584722bf2d71e65a4f73b26d41a7ed869d4a1" in (
        tmp_path / "bag" / "data" / "schema.txt"
    ).read_text(encoding="utf-8")


def test_one_changed_byte_fails_verification(
    tei_schema: Path, sources: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    package(capsys, "bag")
    assert main(["package", "--verify", "bag"]) == 0
    assert capsys.readouterr().err == "edition: bag is a complete, valid bag\n"
    target = tmp_path / "bag" / "data" / "tei" / "letter.xml"
    data = bytearray(target.read_bytes())
    data[-2] ^= 1  # one bit of one byte; the size is unchanged
    target.write_bytes(bytes(data))
    with pytest.raises(bagit.BagValidationError):
        bagit.Bag(str(tmp_path / "bag")).validate()
    assert main(["package", "--verify", "bag"]) == 1
    [line, summary] = capsys.readouterr().err.splitlines()
    assert line.startswith("bag/data/tei/letter.xml: sha256 checksum differs from the manifest's")
    assert line.endswith("the file changed after bagging [package.invalid]")
    assert summary == "edition: bag does not verify"


def test_the_same_sources_make_the_same_manifests(
    tei_schema: Path, sources: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    package(capsys, "a")
    package(capsys, "b")
    for name in ("manifest-sha256.txt", "bag-info.txt", "bagit.txt"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_verifying_what_is_not_a_bag_is_a_located_error(
    sources: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["package", "--verify", "src"]) == 1
    assert "src: not a bag: " in capsys.readouterr().err


def test_a_packaging_waits_for_another_into_the_same_folder(sources: Path, tmp_path: Path) -> None:
    """Two at once deleted each other's staging folders (`edition.atomic.remove_stale`)."""
    import threading
    import time

    from edition.package import package_edition

    (tmp_path / "bags").mkdir()
    said: list[str] = []
    with build_lock_held(tmp_path / "bags"):  # another packaging (or build) into bags/
        packaging = threading.Thread(target=package_edition, args=(sources, tmp_path / "bags" / "letters", said.append))
        packaging.start()
        time.sleep(1.0)
        assert packaging.is_alive() and said == [f"waiting for another build into {tmp_path / 'bags'}"]
    packaging.join(timeout=120)
    assert bagit.Bag(str(tmp_path / "bags" / "letters")).is_valid()
