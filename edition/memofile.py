"""A build's memo on disk: one pickle of entries, valid only for one layout and one salt.

The page memo (`edition.render.memo`) and the rules' memo (`edition.rulememo`) keep
what a build made from what inputs, in the user's cache. Each is read whole at the
start and written whole, atomically, at the end; a memo that is missing, unreadable,
of another layout ``version`` or of another ``salt`` (the code, the configuration)
reads as empty, so it can only cost time, never give a wrong result.
"""

from __future__ import annotations

import os
import pickle
from pathlib import Path
from typing import Any

UNREADABLE = (OSError, pickle.PickleError, EOFError, AttributeError, ImportError, TypeError, ValueError)


def load(file: Path, version: int, salt: str) -> dict[Any, Any]:
    """The entries saved in ``file`` under ``version`` and ``salt``; {} for anything else."""
    try:
        with open(file, "rb") as stream:
            saved_version, saved_salt, entries = pickle.load(stream)
    except UNREADABLE:
        return {}
    if saved_version != version or saved_salt != salt or not isinstance(entries, dict):
        return {}
    return entries


def save(file: Path, version: int, salt: str, entries: dict[Any, Any]) -> None:
    """Write ``entries`` atomically; a memo that cannot be written only costs time."""
    try:
        file.parent.mkdir(parents=True, exist_ok=True)
        partial = file.with_name(f"{file.name}.{os.getpid()}.part")
        with open(partial, "wb") as stream:  # streamed: no second copy of the memo in memory
            pickle.dump((version, salt, entries), stream, pickle.HIGHEST_PROTOCOL)
        partial.replace(file)
    except OSError:
        return
