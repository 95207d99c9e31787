"""`youthvoice analyse classify`: one JSON line out for every JSON line in.

Input lines: {"id", "text", "question"?, "known_names"?}. Output lines: the id (and question),
themes, subthemes, scores, valence, suggestion, redacted and safeguarding. Bad lines (not JSON,
not an object, no text) are reported with their line number and skipped; the run goes on. The
safeguarding result comes from the same detector the gateway uses. Large inputs are shared
between worker processes, batch by batch, and written in input order.
"""

from __future__ import annotations

import json
import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, TextIO

from analysis.safeguarding import Detector, default_detector
from analysis.themes import ThemeAnalyser, default_analyser

BATCH = 512
PARALLEL_FROM = 4 * BATCH  # fewer lines than this are not worth starting processes for


class NotBuilt(RuntimeError):
    """The theme pipeline has not been trained on this machine yet."""


def _analyser() -> ThemeAnalyser:
    analyser = default_analyser()
    if analyser is None:
        raise NotBuilt("the theme pipeline is not built: run `youthvoice analyse train`")
    return analyser


def classify_rows(
    rows: list[dict[str, Any]],
    detector: Detector | None = None,
    analyser: ThemeAnalyser | None = None,
) -> list[dict[str, Any]]:
    """Output records for parsed input rows, in order."""
    detector = detector or default_detector()
    analyser = analyser or _analyser()
    texts = [row["text"] for row in rows]
    names = [_known_names(row) for row in rows]
    safety = detector.score_many(texts)
    themes = analyser.analyse(texts, names)
    out = []
    for row, result, theme in zip(rows, safety, themes, strict=True):
        record = {"id": row["id"]}
        if "question" in row:
            record["question"] = row["question"]
        record.update(theme.as_json())
        record["safeguarding"] = result.as_json()
        out.append(record)
    return out


def _known_names(row: dict[str, Any]) -> list[str]:
    names = row.get("known_names") or []
    return [n for n in names if isinstance(n, str)] if isinstance(names, list) else []


@dataclass(frozen=True)
class BadLine:
    line: int
    reason: str


def _parse(number: int, line: str) -> dict[str, Any] | BadLine:
    try:
        row = json.loads(line)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        return BadLine(number, f"not valid JSON ({exc.msg})")
    if not isinstance(row, dict):
        return BadLine(number, "not a JSON object")
    if not isinstance(row.get("text"), str):
        return BadLine(number, 'no "text" string')
    if "id" not in row:
        return BadLine(number, 'no "id"')
    return row


def _chunks(lines: Iterable[str]) -> Iterator[list[tuple[int, dict[str, Any] | BadLine]]]:
    """Parsed lines in batches of up to BATCH good ones (bad ones ride along in place)."""
    chunk: list[tuple[int, dict[str, Any] | BadLine]] = []
    good = 0
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        parsed = _parse(number, line)
        chunk.append((number, parsed))
        good += not isinstance(parsed, BadLine)
        if good >= BATCH:
            yield chunk
            chunk, good = [], 0
    if chunk:
        yield chunk


def _classify_chunk(
    chunk: list[tuple[int, dict[str, Any] | BadLine]],
) -> list[dict[str, Any] | BadLine]:
    rows = [p for _, p in chunk if not isinstance(p, BadLine)]
    records = iter(classify_rows(rows)) if rows else iter(())
    return [p if isinstance(p, BadLine) else next(records) for _, p in chunk]


def _worker_init() -> None:
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    default_detector()
    _analyser()


def classify_lines(lines: Iterable[str], workers: int = 1) -> Iterator[dict[str, Any] | BadLine]:
    """Yields an output record per good input line and a BadLine per bad one, in order."""
    _analyser()  # fail before reading anything if the pipeline is missing
    if workers <= 1:
        for chunk in _chunks(lines):
            yield from _classify_chunk(chunk)
        return
    context = multiprocessing.get_context("fork")
    with context.Pool(workers, initializer=_worker_init) as pool:
        for records in pool.imap(_classify_chunk, _chunks(lines)):
            yield from records


def classify_file(
    source: TextIO,
    out: TextIO,
    report: Callable[[BadLine], None],
    progress: Callable[[], None] | None = None,
    workers: int = 1,
) -> tuple[int, int]:
    """Classify `source` into `out`; returns (written, skipped)."""
    written = skipped = 0
    for record in classify_lines(source, workers):
        if isinstance(record, BadLine):
            skipped += 1
            report(record)
        else:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
            written += 1
        if progress:
            progress()
    return written, skipped


def default_workers(lines: int) -> int:
    """Both cores for a big file, one process for a small one."""
    return min(2, os.cpu_count() or 1) if lines >= PARALLEL_FROM else 1
