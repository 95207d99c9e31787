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
from typing import Any, TextIO, TypeVar

from analysis.redact import default_redactor
from analysis.safeguarding import Detector, default_detector
from analysis.themes import ThemeAnalyser, default_analyser

BATCH = 512
PARALLEL_FROM = 4 * BATCH  # fewer lines than this are not worth starting processes for
T = TypeVar("T")


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


def _chunks(lines: Iterable[str]) -> Iterator[list[tuple[int, str]]]:
    """Numbered non-empty lines, BATCH at a time. Parsing is left to the workers: the reading
    process only hands lines out and writes results, so it does not hold both cores back."""
    chunk: list[tuple[int, str]] = []
    for number, line in enumerate(lines, 1):
        if line.strip():
            chunk.append((number, line))
            if len(chunk) >= BATCH:
                yield chunk
                chunk = []
    if chunk:
        yield chunk


def _records(chunk: list[tuple[int, str]]) -> list[dict[str, Any] | BadLine]:
    """Each line's output record, or a BadLine for a line that cannot be read, in order."""
    parsed = [_parse(number, line) for number, line in chunk]
    rows = [p for p in parsed if not isinstance(p, BadLine)]
    records = iter(classify_rows(rows)) if rows else iter(())
    return [p if isinstance(p, BadLine) else next(records) for p in parsed]


def _json_lines(chunk: list[tuple[int, str]]) -> list[str | BadLine]:
    """As `_records`, with each record already written as JSON (in the worker)."""
    return [
        r if isinstance(r, BadLine) else json.dumps(r, ensure_ascii=False) for r in _records(chunk)
    ]


def _load_models() -> None:
    """Everything a batch needs, loaded once. Called before the worker processes fork, so
    they inherit it instead of each spending about a second loading it again."""
    _analyser()
    default_detector()
    default_redactor()


def _worker_init() -> None:
    os.environ.setdefault("OMP_NUM_THREADS", "1")


def _map(
    work: Callable[[list[tuple[int, str]]], list[T]], lines: Iterable[str], workers: int
) -> Iterator[T]:
    """`work` applied to every chunk of `lines`, in one process or shared between `workers`,
    yielding the results in input order."""
    _load_models()  # and fail before reading anything if the pipeline is missing
    if workers <= 1:
        for chunk in _chunks(lines):
            yield from work(chunk)
        return
    context = multiprocessing.get_context("fork")
    with context.Pool(workers, initializer=_worker_init) as pool:
        for results in pool.imap(work, _chunks(lines)):
            yield from results


def classify_lines(lines: Iterable[str], workers: int = 1) -> Iterator[dict[str, Any] | BadLine]:
    """Yields an output record per good input line and a BadLine per bad one, in order."""
    return _map(_records, lines, workers)


def classify_file(
    source: TextIO,
    out: TextIO,
    report: Callable[[BadLine], None],
    progress: Callable[[], None] | None = None,
    workers: int = 1,
) -> tuple[int, int]:
    """Classify `source` into `out`; returns (written, skipped)."""
    written = skipped = 0
    for item in _map(_json_lines, source, workers):
        if isinstance(item, BadLine):
            skipped += 1
            report(item)
        else:
            out.write(item + "\n")
            written += 1
        if progress:
            progress()
    return written, skipped


def default_workers(lines: int) -> int:
    """Both cores for a big file, one process for a small one."""
    return min(2, os.cpu_count() or 1) if lines >= PARALLEL_FROM else 1
