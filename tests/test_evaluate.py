"""Measuring the detectors against gold: scores, the report, and a floor on the shared corpus."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from edition.evaluate import DEFAULT_CORPUS, Score, evaluate_corpus, main

TEXT = (
    "861.00/11630: Telegram\n\nThe Chargé (Henderson) to the Secretary of State\n\n"
    "195. Reference 6 p.m.26 The trial.\n\n[Page 301]\n\nThe new constitution27 signifies.\n\n"
    "  1. Telegram in two sections.\n  2. Not printed.\n  3. The Presidium."
)


def span(text: str, surface: str, start: int = 0) -> dict[str, object]:
    at = text.index(surface, start)
    return {"start": at, "end": at + len(surface), "surface": surface}


def gold(text: str) -> dict[str, object]:
    bodies = ["Telegram in two sections.", "Not printed.", "The Presidium."]
    markers = [None, span(text, "26", text.index("p.m.")), span(text, "27", text.index("constitution"))]
    return {
        "page_breaks": [{**span(text, "[Page 301]"), "n": "301", "placement": "block"}],
        "notes": [
            {"n": n, "index": k, "marker": marker, "body": span(text, body)}
            for k, (n, marker, body) in enumerate(zip(["25", "26", "27"], markers, bodies, strict=True), start=1)
        ],
    }


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    volume = tmp_path / "vol"
    volume.mkdir()
    (volume / "d1.txt").write_text(TEXT, encoding="utf-8")
    (volume / "d1.json").write_text(json.dumps(gold(TEXT)), encoding="utf-8")
    return tmp_path


def test_scores_follow_from_counts() -> None:
    score = Score(tp=8, fp=2, fn=0) + Score(tp=0, fp=0, fn=2)
    assert (score.precision, score.recall) == (0.8, 0.8)
    assert score.f1 == pytest.approx(0.8)
    assert Score().f1 == 1.0  # nothing to find, nothing found


def test_a_perfect_document_scores_one_everywhere(corpus: Path) -> None:
    report = evaluate_corpus(corpus)
    assert [d.name for d in report.documents] == ["d1"]
    assert report.pages == Score(1, 0, 0)
    assert report.notes == Score(2, 0, 0)
    assert report.unmarked == (1, 1)
    assert report.lossless_failures == 0
    assert report.worst() == []


def test_a_wrong_gold_shows_in_the_worst_documents(corpus: Path) -> None:
    wrong = gold(TEXT)
    wrong["page_breaks"] = [{**span(TEXT, "[Page 301]"), "n": "300"}]
    (corpus / "vol" / "d1.json").write_text(json.dumps(wrong), encoding="utf-8")
    report = evaluate_corpus(corpus)
    assert report.pages == Score(0, 1, 1)
    [worst] = report.worst()
    assert worst.misses[0].startswith("page 300 at 7:1 not found")
    assert "worst documents:" in report.table()


def test_main_prints_the_table(corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(corpus)]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].split()[:3] == ["corpus", "docs", "pages"]
    assert "vol" in out


def test_main_reports_a_missing_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(tmp_path / "absent")]) == 2
    assert "no such folder" in capsys.readouterr().err


@pytest.mark.corpus
@pytest.mark.skipif(not DEFAULT_CORPUS.is_dir(), reason=f"the shared corpus is absent ({DEFAULT_CORPUS})")
def test_the_detectors_hold_their_floor_on_a_slice_of_the_shared_corpus() -> None:
    report = evaluate_corpus(DEFAULT_CORPUS, limit=100)  # the first 100 of each volume
    assert len(report.documents) >= 250
    assert report.lossless_failures == 0
    assert report.pages.f1 >= 0.995, report.table()
    assert report.notes.f1 >= 0.97, report.table()
    assert report.unmarked_kept == 1.0, report.table()
