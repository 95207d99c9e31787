"""`youthvoice analyse classify`: one JSON line out for every JSON line in.

Bad lines (not JSON, not an object, no text) are reported with their line number and skipped;
the run goes on. The safeguarding result comes from the same detector the gateway uses.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, TextIO

from analysis.safeguarding import Detector, default_detector

BATCH = 256


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


def classify_lines(
    lines: Iterable[str], detector: Detector | None = None
) -> Iterator[dict[str, Any] | BadLine]:
    """Yields an output record per good input line and a BadLine per bad one, in order."""
    detector = detector or default_detector()
    batch: list[tuple[int, dict[str, Any]]] = []

    def flush() -> Iterator[dict[str, Any]]:
        results = detector.score_many([row["text"] for _, row in batch])
        for (_, row), result in zip(batch, results, strict=True):
            yield {"id": row["id"], "safeguarding": result.as_json()}
        batch.clear()

    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        parsed = _parse(number, line)
        if isinstance(parsed, BadLine):
            yield from flush()
            yield parsed
            continue
        batch.append((number, parsed))
        if len(batch) >= BATCH:
            yield from flush()
    yield from flush()


def classify_file(
    source: TextIO, out: TextIO, report: Callable[[BadLine], None], progress=None
) -> tuple[int, int]:  # noqa: ANN001
    """Classify `source` into `out`; returns (written, skipped)."""
    written = skipped = 0
    for record in classify_lines(source):
        if isinstance(record, BadLine):
            skipped += 1
            report(record)
        else:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
            written += 1
        if progress:
            progress()
    return written, skipped
