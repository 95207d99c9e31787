"""`youthvoice analyse classify`: the real command on a file, with good and bad lines."""

from __future__ import annotations

import json

from tests.support.cli import youthvoice


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
    done = youthvoice("analyse", "classify", str(source), "--output", str(out), timeout=300)
    assert done.returncode == 0, done.stderr
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in rows] == ["a1", "a2", "a4"]
    flags = {r["id"]: r["safeguarding"] for r in rows}
    assert flags["a2"]["flag"] and flags["a2"]["category"] == "suicide"
    assert flags["a2"]["evidence"]
    assert not flags["a1"]["flag"] and not flags["a4"]["flag"]
    themes = {r["id"]: r for r in rows}
    for row in rows:
        assert {"themes", "subthemes", "scores", "valence", "suggestion", "redacted"} <= set(row)
    assert "TRANS" in themes["a1"]["themes"]
    assert any(s.startswith("TRANS.") for s in themes["a1"]["subthemes"])
    assert "answers.jsonl:3: skipped: not valid JSON" in done.stderr
    assert "answers.jsonl:4: skipped" in done.stderr
    assert "3 classified, 2 skipped" in done.stderr
    assert "k1ll" not in done.stderr  # no text is echoed


def test_classify_a_missing_file_is_a_clear_error(tmp_path):
    done = youthvoice("analyse", "classify", str(tmp_path / "nope.jsonl"), timeout=120)
    assert done.returncode == 2 and "does not exist" in done.stderr


def test_classify_keeps_the_question_and_redacts_known_names(tmp_path):
    source = tmp_path / "answers.jsonl"
    lines = [
        {
            "id": 1,
            "text": "quorra wants more buses, text 07700 900123",
            "question": "q17",
            "known_names": ["Quorra"],
        },
        {"id": 2, "text": ""},
    ]
    source.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    done = youthvoice("analyse", "classify", str(source), timeout=300)
    assert done.returncode == 0, done.stderr
    first, second = [json.loads(line) for line in done.stdout.splitlines()]
    assert first["question"] == "q17"
    assert first["redacted"] == "[NAME] wants more buses, text [PHONE]"
    assert second["themes"] == [] and second["redacted"] == ""


def test_a_big_file_is_shared_between_processes_in_input_order(tmp_path):
    from analysis.classify import BATCH, PARALLEL_FROM

    texts = ["more buses please", "the youth club shut", "i love my foster carers", "idk"]
    n = PARALLEL_FROM + 37
    lines = [json.dumps({"id": i, "text": texts[i % 4]}) for i in range(n)]
    # Bad and blank lines in different batches: the workers read them, and each must still
    # be reported with its own line number, in order, with nothing else lost.
    bad_at = {3: "{broken", BATCH + 5: '{"id": "x"}', 2 * BATCH + 9: "[1, 2]"}
    for at in sorted(bad_at, reverse=True):
        lines.insert(at, bad_at[at])
    lines.insert(BATCH, "")
    source = tmp_path / "big.jsonl"
    source.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    out = tmp_path / "out.jsonl"
    done = youthvoice(
        "analyse", "classify", str(source), "-o", str(out), "--workers", "2", timeout=600
    )
    assert done.returncode == 0, done.stderr
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in rows] == list(range(n))
    assert all(r["themes"] == rows[i % 4]["themes"] for i, r in enumerate(rows))
    reported = [
        line.split(": skipped")[0] for line in done.stderr.splitlines() if "skipped:" in line
    ]
    numbers = [i + 1 for i, line in enumerate(lines) if line in bad_at.values()]
    assert reported == [f"big.jsonl:{number}" for number in numbers]
    assert f"{n} classified, 3 skipped" in done.stderr
