"""The Rasa project itself: its data validates, its test stories pass, its NLU is accurate."""

from __future__ import annotations

import subprocess
from collections import Counter

import yaml

from web import processes as p

HOLDOUT = p.BOT_DIR / "tests" / "nlu_holdout.yml"


def _rasa(*args: str, timeout: int = 300) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(p.rasa_bin()), *args],
        cwd=p.BOT_DIR,
        env=p.rasa_env(),
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def test_rasa_data_validate_is_clean(rasa):
    result = _rasa("data", "validate", "--fail-on-warnings")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]


def test_rasa_test_stories_pass(rasa, tmp_path):
    result = _rasa(
        "test",
        "core",
        "--stories",
        "tests/test_stories.yml",
        "--model",
        str(p.MODEL),
        "--fail-on-prediction-errors",
        "--out",
        str(tmp_path),
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]


def _holdout() -> list[tuple[str, str]]:
    data = yaml.safe_load(HOLDOUT.read_text())
    pairs = []
    for block in data["nlu"]:
        for line in block["examples"].splitlines():
            if line.strip().startswith("- "):
                pairs.append((line.strip()[2:], block["intent"]))
    return pairs


def test_nlu_recognises_unseen_messages(rasa):
    pairs = _holdout()
    assert len(pairs) >= 100
    right, per_intent, total = 0, Counter(), Counter()
    misses = []
    for text, intent in pairs:
        got = rasa.parse(text)["intent"]["name"]
        total[intent] += 1
        if got == intent:
            right += 1
            per_intent[intent] += 1
        else:
            misses.append((text, intent, got))
    accuracy = right / len(pairs)
    print(f"\nNLU holdout accuracy {accuracy:.3f} on {len(pairs)} messages; misses: {misses}")
    assert accuracy >= 0.85, misses
    for intent, n in total.items():
        assert per_intent[intent] / n >= 0.6, (intent, misses)
