"""Records the caches keep by the thousand, pickled as their fields' values.

pickle's default for a dataclass stores each object's ``__dict__`` — every field's
name again, in every object — and rebuilds it a key at a time. The caches
(`edition.store`) hold tens of thousands of small frozen dataclasses (a document's
output record, its digest, its conversion's diagnostics); loading them was half a
second of a one-document rebuild at 10,000 documents. Pickled as the class and its
values in order, they read back in half the time and take less room.

The values are read back by their places: a store of such records must change its salt
when their fields change (the code's fingerprint does it for most; `edition.linkmemo`
says its records' layout).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any


class ByFields:
    """Mix into a frozen dataclass whose every field is an argument of ``__init__``; with
    ``slots=True`` its objects also go without a ``__dict__`` each."""

    __slots__ = ()

    def __reduce__(self) -> tuple[Callable[..., Any], tuple[Any, ...]]:
        return type(self), tuple([getattr(self, name) for name in _field_names(type(self))])


_names: dict[type, tuple[str, ...]] = {}


def _field_names(cls: type) -> tuple[str, ...]:
    names = _names.get(cls)
    if names is None:
        fields = dataclasses.fields(cls)
        if not all(field.init for field in fields):
            raise TypeError(f"{cls.__name__}: a field outside __init__ cannot be pickled by its value alone")
        names = _names[cls] = tuple(field.name for field in fields)
    return names
