"""`youthvoice analyse classify`: the real command on a file, with good and bad lines."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

YOUTHVOICE = str(Path(sys.executable).parent / "youthvoice")


def test_classify_writes_one_line_per_good_input_and_reports_bad_ones(tmp_path):
    source = tmp_path / "answers.jsonl"
    source.write_bytes(
        b'{"id": "a1", "text": "more buses at night"}\n'
        b'{"id": "a2", "text": "ngl i want to k1ll myself"}\n'
        b"{broken\n"
        b'\xff\xfe{"id": 3, "text": "binary junk"}\n'
        b'{"id": "a4", "text": "my mam hits the gym \xf0\x9f\x98\x82"}\n'
    )
    out = tmp_path / "out.jsonl"
    done = subprocess.run(
        [YOUTHVOICE, "analyse", "classify", str(source), "--output", str(out)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in rows] == ["a1", "a2", "a4"]
    flags = {r["id"]: r["safeguarding"] for r in rows}
    assert flags["a2"]["flag"] and flags["a2"]["category"] == "suicide"
    assert flags["a2"]["evidence"]
    assert not flags["a1"]["flag"] and not flags["a4"]["flag"]
    assert "answers.jsonl:3: skipped: not valid JSON" in done.stderr
    assert "answers.jsonl:4: skipped" in done.stderr
    assert "3 classified, 2 skipped" in done.stderr
    assert "k1ll" not in done.stderr  # no text is echoed


def test_classify_a_missing_file_is_a_clear_error(tmp_path):
    done = subprocess.run(
        [YOUTHVOICE, "analyse", "classify", str(tmp_path / "nope.jsonl")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2 and "does not exist" in done.stderr
