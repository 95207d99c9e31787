"""The real `youthvoice` command, run as a user would: a new process, its output captured."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

YOUTHVOICE = str(Path(sys.executable).parent / "youthvoice")


def youthvoice(*args: str, timeout: float = 300, **options: Any) -> subprocess.CompletedProcess:
    """Run `youthvoice ARGS` (text in and out); `options` go to subprocess.run (env, input)."""
    return subprocess.run(
        [YOUTHVOICE, *args], capture_output=True, text=True, timeout=timeout, **options
    )
