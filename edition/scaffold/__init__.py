"""Create a new sources folder with commented example files (``edition init``)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from edition.diagnostics import EditionError, error

# Packaged file → where it goes in the new folder (package data cannot hold a subfolder).
SCAFFOLD_FILES = (
    ("corrections.yaml", "corrections.yaml"),
    ("edition.yaml", "edition.yaml"),
    ("example.txt", "texts/example.txt"),
    ("persons.yaml", "persons.yaml"),
)


def init_edition(target: Path) -> list[Path]:
    """Create the sources folder ``target`` and return the files written, sorted.

    ``target`` may be missing or an empty folder; anything else raises
    `EditionError` with an ``init.exists`` diagnostic and writes nothing.
    """
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        kind = "folder is not empty" if target.is_dir() else "path exists and is not a folder"
        message = f"cannot create an edition here: the {kind}; choose a new folder"
        raise EditionError([error(str(target), 0, 0, message, "init.exists")])
    package = resources.files("edition.scaffold")
    written = []
    try:
        for name, destination in SCAFFOLD_FILES:
            path = target / destination
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(package.joinpath(name).read_bytes())
            written.append(path)
    except OSError as exc:
        message = f"cannot write the new edition: {exc.strerror or type(exc).__name__}"
        raise EditionError([error(str(target), 0, 0, message, "init.write")]) from None
    return sorted(written)
