"""Paths as the user sees them: said per folder for many files, exactly as one by one."""

from __future__ import annotations

from pathlib import Path

import pytest

from edition.pipeline import display_names, display_path, display_paths


@pytest.mark.parametrize(
    "folder",
    [
        "",  # the working folder itself
        "sources/texts",  # inside it
        "../elsewhere/texts",  # beside it
        "/opt/editions/texts",  # far away
    ],
)
def test_many_paths_are_said_as_each_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, folder: str
) -> None:
    work = tmp_path / "work"
    (work / "sources" / "texts").mkdir(parents=True)
    monkeypatch.chdir(work)
    # The working folder's own name among them: said whole when it is outside.
    paths = [Path(folder) / name for name in ("a.txt", "b.txt", "work")]
    assert display_paths(paths) == {path: display_path(path) for path in paths}
    assert display_names(Path(folder), ["a.txt", "b.txt", "work"]) == [display_path(p) for p in paths]
    assert display_path(Path(folder) / "a.txt") == (str(Path(folder) / "a.txt") if folder else "a.txt")
