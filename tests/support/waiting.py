"""Waiting for a condition (never for a fixed time)."""

from __future__ import annotations

import time
from collections.abc import Callable

POLL_SECONDS = 0.1


def wait_until(condition: Callable[[], object], timeout: float = 90) -> bool:
    """True as soon as `condition()` is true; False if `timeout` seconds pass first."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(POLL_SECONDS)  # how often to look, not how long to wait
    return False
