"""The per-document map: serial and parallel builds agree, and the cache returns what it was given."""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path
from unittest import mock

import pytest

from edition import lexicon, wordlists
from edition.cache import AS_ASKED, ConvertCache, stored_tei
from edition.config import EditionConfig
from edition.detectors import Registers
from edition.parallel import (
    AHEAD,
    FEWER_COLLECTIONS,
    MOST_AT_ONCE,
    SERIAL_BELOW,
    Job,
    Shared,
    convert_job,
    convert_jobs,
    fewer_collections,
    map_in_order,
)

from .conftest import SEEDS

SHARED = Shared(EditionConfig(title="T"), Registers(), "2026-01-01")


def seed_jobs(copies: int) -> list[Job]:
    seeds = sorted(SEEDS.glob("*.txt"))
    return [
        Job(f"{path.stem}-{k}", f"texts/{path.stem}-{k}.txt", path.read_bytes())
        for k in range(copies)
        for path in seeds
    ]


def test_processes_give_what_one_process_gives_in_the_same_order() -> None:
    jobs = seed_jobs(SERIAL_BELOW)  # enough to start a pool
    serial = list(convert_jobs(jobs, SHARED, workers=1))
    parallel = list(convert_jobs(jobs, SHARED, workers=2))
    assert [o.converted.tei for o in parallel if o.converted] == [
        o.converted.tei for o in serial if o.converted
    ]
    assert [o.converted.name for o in parallel if o.converted] == [j.name for j in jobs]


def test_a_lazy_map_draws_its_items_as_the_workers_go_not_all_at_once() -> None:
    drawn: list[int] = []

    def items() -> Iterator[int]:
        for number in range(-5000, 0):
            drawn.append(number)
            yield number

    results = map_in_order(abs, items(), workers=2, count=5000)
    first = next(results)
    assert len(drawn) <= (AHEAD * 2 + 1) * MOST_AT_ONCE  # the batches ahead, and the next
    assert [first, *results] == list(range(5000, 0, -1))


def test_any_executor_can_run_the_map() -> None:
    jobs = seed_jobs(1)
    with ThreadPoolExecutor(2) as pool:
        mapped = list(convert_jobs(jobs, SHARED, executor=pool))
    assert [o.converted.tei for o in mapped if o.converted] == [
        convert_job(j, SHARED).converted.tei
        for j in jobs  # type: ignore[union-attr]
    ]


def test_an_undecodable_text_comes_back_as_diagnostics_not_an_exception() -> None:
    outcome = convert_job(Job("bad", "texts/bad.txt", b"ok\n\xff\xfe\x81 bad"), SHARED)
    assert outcome.converted is None
    assert [d.code for d in outcome.diagnostics] == ["source.encoding"]


def test_the_cache_returns_the_outcome_it_stored(tmp_path: Path) -> None:
    cache = ConvertCache(tmp_path / "convert.sqlite", SHARED)
    job = seed_jobs(1)[0]
    outcome = convert_job(job, SHARED)
    key = cache.key(job)
    assert cache.get_many([key]) == {}
    cache.put_many([(key, outcome, job.lock_lines)])
    assert outcome.converted is not None
    light = replace(outcome, converted=replace(outcome.converted, tei=b""))  # bytes kept apart
    assert ConvertCache(tmp_path / "convert.sqlite", SHARED).get_many([key]) == {key: light}
    tei = {outcome.converted.tei_sha: outcome.converted.tei}
    assert stored_tei_in(tmp_path / "convert.sqlite", tei) == tei


def test_lock_lines_the_key_was_made_from_are_not_stored_again(tmp_path: Path) -> None:
    cache = ConvertCache(tmp_path / "convert.sqlite", SHARED)
    first = seed_jobs(1)[0]
    outcome = convert_job(first, SHARED)
    assert outcome.converted is not None and outcome.converted.lock_lines.endswith(b"\n")
    settled = replace(first, lock_lines=outcome.converted.lock_lines)  # the next build asks with them
    cache.put_many([(cache.key(first), outcome, first.lock_lines), (cache.key(settled), outcome, settled.lock_lines)])
    found = cache.get_many([cache.key(first), cache.key(settled)])
    assert found[cache.key(first)].converted.lock_lines == outcome.converted.lock_lines  # type: ignore[union-attr]
    assert found[cache.key(settled)].converted.lock_lines == AS_ASKED  # type: ignore[union-attr]


def stored_tei_in(file: Path, shas: Iterable[str]) -> dict[str, bytes]:
    with mock.patch("edition.cache.cache_file", return_value=file):
        return stored_tei(Path("sources"), shas)


def test_a_cached_outcome_whose_tei_bytes_are_gone_is_a_miss(tmp_path: Path) -> None:
    cache = ConvertCache(tmp_path / "convert.sqlite", SHARED)
    job = seed_jobs(1)[0]
    outcome = convert_job(job, SHARED)
    cache.put_many([(cache.key(job), outcome, job.lock_lines)])
    cache.prune({cache.key(job)}, shas=())  # the outcome kept, its bytes not
    assert cache.get_many([cache.key(job)]) == {}


def test_the_cache_key_changes_with_each_input(tmp_path: Path) -> None:
    job = seed_jobs(1)[0]
    file = tmp_path / "convert.sqlite"
    cache = ConvertCache(file, SHARED)
    other_config = ConvertCache(file, Shared(EditionConfig(title="U"), Registers(), "2026-01-01"))
    other_date = ConvertCache(file, Shared(EditionConfig(title="T"), Registers(), "2026-01-02"))
    edited = Job(job.name, job.display, job.data + b" more")
    keys = {cache.key(job), other_config.key(job), other_date.key(job), cache.key(edited)}
    assert len(keys) == 4


def test_a_cache_entry_that_is_no_outcome_is_a_miss(tmp_path: Path) -> None:
    cache = ConvertCache(tmp_path / "convert.sqlite", SHARED)
    key = cache.key(seed_jobs(1)[0])
    cache.store.put_many([(key, "not an outcome")])
    assert cache.get_many([key]) == {}


def test_a_build_collects_garbage_at_its_own_pace_and_restores_the_callers() -> None:
    before = gc.get_threshold()
    with fewer_collections():
        assert gc.get_threshold() == FEWER_COLLECTIONS
    assert gc.get_threshold() == before


def test_english_held_whole_or_looked_up_in_its_file_converts_alike(monkeypatch: pytest.MonkeyPatch) -> None:
    """A few documents look English up in the mapped files, a worker holds it whole: same TEI."""
    monkeypatch.setattr(lexicon, "_english_whole", False)
    lexicon._frequencies.cache_clear()
    lexicon._dictionary.cache_clear()
    jobs = seed_jobs(1)
    try:
        light = [convert_job(job, SHARED) for job in jobs]
        assert isinstance(lexicon._frequencies("en"), wordlists.SortedTable)
        assert isinstance(lexicon._dictionary(), wordlists.SortedTable)
        lexicon.hold_english_whole()
        assert isinstance(lexicon._frequencies("en"), dict)
        assert isinstance(lexicon._dictionary(), frozenset)
        assert [convert_job(job, SHARED) for job in jobs] == light
    finally:
        lexicon._frequencies.cache_clear()
        lexicon._dictionary.cache_clear()
