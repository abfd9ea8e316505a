"""Hand a whole edition over as one BagIt bag (the Library of Congress's ``bagit``), and verify one.

The bag, built fresh and swapped in whole (`edition.atomic`)::

    BAG/bagit.txt, bag-info.txt, manifest-sha256.txt, tagmanifest-sha256.txt
    BAG/data/tei/       the TEI of every document, persons.xml (validated on the way)
    BAG/data/site/      the static website
    BAG/data/sources/   the sources folder as it was (edition.yaml, texts/, tei/, …)
    BAG/data/schema.txt the schema the TEI was validated against, with its SHA-256

``bag-info.txt`` comes from ``edition.yaml``: ``External-Description`` (the title),
``Source-Organization`` (the publisher), ``Contact-Name`` (the editors),
``External-Identifier`` (the base URL), ``Edition-Version``, ``Edition-Date``,
``Licence`` and ``Licence-URL``. ``Bagging-Date`` is the release date (edition.yaml, else
``SOURCE_DATE_EPOCH``), never the clock when either is set, so the same sources make the
same bag.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import bagit

from edition import __version__
from edition.atomic import replace_dir, staging_dir
from edition.config import EditionConfig
from edition.diagnostics import Diagnostic, EditionError, error, warning
from edition.outlock import building
from edition.schema import SCHEMA_DESCRIPTION, SCHEMA_NAME, SCHEMA_SDIST, SCHEMA_SHA256

CHECKSUMS = ("sha256",)
# Sources files that are not the edition's: editor and system litter.
IGNORED = shutil.ignore_patterns(".*", "__pycache__", "*~")


def package_edition(
    sources: Path, bag: Path, progress: Callable[[str], None] = lambda _: None
) -> list[Diagnostic]:
    """Build ``sources`` and write the bag at ``bag``; return warnings, raise `EditionError`.

    On any error nothing at ``bag`` changes.
    """
    from edition.config import release_date
    from edition.pipeline import BuildOptions, build_edition, display_path

    # Two packagings into one folder would delete each other's staging folders, as builds did.
    with building(bag.parent, progress):
        stage = staging_dir(bag)
        try:
            built = stage / "build"
            result = build_edition(BuildOptions(sources, built), progress)
            problems = list(result.diagnostics)
            for part in ("tei", "site"):  # only these: whatever else a build keeps is not the edition
                (built / part).rename(stage / part)
            shutil.rmtree(built)
            shutil.copytree(sources, stage / "sources", ignore=IGNORED)
            (stage / "schema.txt").write_text(schema_note(), encoding="utf-8")
            info = bag_info(result.config, release_date(result.config))
            if "Bagging-Date" not in info:
                problems.append(
                    warning(
                        display_path(sources / "edition.yaml"),
                        0,
                        0,
                        "no release date (edition.date or SOURCE_DATE_EPOCH): the bag is dated today",
                        "package.undated",
                    )
                )
            progress("writing the bag's manifests")
            bagit.make_bag(str(stage), info, checksums=list(CHECKSUMS))
        except BaseException:
            shutil.rmtree(stage, ignore_errors=True)
            raise
        replace_dir(stage, bag)
        return problems


def bag_info(config: EditionConfig, date: str) -> dict[str, str]:
    """``bag-info.txt`` fields from the edition's configuration; empty values are left out."""
    fields = {
        "External-Description": ": ".join(t for t in (config.title, config.subtitle) if t),
        "Source-Organization": config.publisher,
        "Contact-Name": ", ".join(editor.name for editor in config.editors),
        "External-Identifier": config.base_url,
        "Edition-Version": config.version,
        "Edition-Date": date,
        "Licence": config.licence.name,
        "Licence-URL": config.licence.url,
        "Bagging-Date": date,
        "Bag-Software-Agent": f"edition {__version__} (bagit.py {bagit.VERSION})",
    }
    return {key: value for key, value in fields.items() if value}


def schema_note() -> str:
    """What ``data/schema.txt`` says: the schema every TEI file of the bag was validated against."""
    return (
        f"{SCHEMA_DESCRIPTION}\n"
        f"file: {SCHEMA_NAME} (schemas/tei_all.rng of the {SCHEMA_SDIST} source distribution on PyPI)\n"
        f"sha256: {SCHEMA_SHA256}\n"
        "url: https://tei-c.org/Vault/P5/4.3.0/xml/tei/custom/schema/relaxng/tei_all.rng\n"
        f"checked by: edition {__version__}, with the edition's own rules (edition validate)\n"
    )


def verify_bag(bag: Path, display: str) -> None:
    """Check a bag's completeness and every checksum; raise `EditionError` naming each problem."""
    try:
        bagit.Bag(str(bag)).validate()
    except bagit.BagValidationError as invalid:
        details = invalid.details or []
        raise EditionError(
            [error(f"{display}/{d.path}", 0, 0, _detail(d), "package.invalid") for d in details]
            or [error(display, 0, 0, f"not a valid bag: {invalid.message}", "package.invalid")]
        ) from None
    except bagit.BagError as broken:
        raise EditionError(
            [error(display, 0, 0, f"not a bag: {broken}", "package.not-a-bag")]
        ) from None


def _detail(detail: bagit.ManifestErrorDetail) -> str:
    if isinstance(detail, bagit.ChecksumMismatch):
        return (
            f"{detail.algorithm} checksum differs from the manifest's (expected {detail.expected}, "
            f"found {detail.found}): the file changed after bagging"
        )
    if isinstance(detail, bagit.FileMissing):
        return "listed in the manifest but missing"
    if isinstance(detail, bagit.UnexpectedFile):
        return "present but not listed in the manifest"
    return str(detail)
