"""The platform's processes: how to train the bot and start Rasa and the action server."""

from __future__ import annotations

import hashlib
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

from surveys.settings import PROJECT_ROOT

BOT_DIR = PROJECT_ROOT / "bot"
RASA_VENV = PROJECT_ROOT / ".venv-rasa"
MODEL = BOT_DIR / "models" / "youthvoice.tar.gz"
STAMP = BOT_DIR / "models" / ".inputs.sha256"
TRAINING_INPUTS = ("config.yml", "domain.yml", "data")


class StartupError(RuntimeError):
    """A process did not come up; the message says why."""


def rasa_bin() -> Path:
    path = RASA_VENV / "bin" / "rasa"
    if not path.exists():
        raise StartupError(f"{path} is missing: run `make setup` first")
    return path


def training_hash() -> str:
    """A hash of everything `rasa train` reads: config, domain and training data."""
    digest = hashlib.sha256()
    for name in TRAINING_INPUTS:
        root = BOT_DIR / name
        files = sorted(root.rglob("*")) if root.is_dir() else [root]
        for f in files:
            if f.is_file():
                digest.update(str(f.relative_to(BOT_DIR)).encode())
                digest.update(f.read_bytes())
    return digest.hexdigest()


def rasa_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VIRTUAL_ENV", "PYTHONHOME"))}
    env.update(
        SQLALCHEMY_SILENCE_UBER_WARNING="1",
        TF_CPP_MIN_LOG_LEVEL="2",
        PYTHONPATH=str(PROJECT_ROOT),
        RASA_TELEMETRY_ENABLED="false",
    )
    env.update(extra or {})
    return env


def train_if_changed(force: bool = False) -> bool:
    """Train the bot when its inputs changed since the last training; True if it trained."""
    wanted = training_hash()
    if not force and MODEL.exists() and STAMP.exists() and STAMP.read_text().strip() == wanted:
        return False
    cmd = [str(rasa_bin()), "train", "--fixed-model-name", "youthvoice", "--out", "models"]
    subprocess.run(cmd, cwd=BOT_DIR, env=rasa_env(), check=True)
    STAMP.write_text(wanted + "\n")
    return True


def port_free(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((host, port))
        except OSError:
            return False
    return True


def free_ports(n: int) -> list[int]:
    """`n` distinct free loopback ports (all held open while choosing, so none repeats)."""
    socks = [socket.socket() for _ in range(n)]
    try:
        for s in socks:
            s.bind(("127.0.0.1", 0))
        return [s.getsockname()[1] for s in socks]
    finally:
        for s in socks:
            s.close()


def free_port() -> int:
    return free_ports(1)[0]


def rasa_command(port: int, token: str) -> list[str]:
    """`rasa run` on loopback with its HTTP API behind the token."""
    return [
        str(rasa_bin()),
        "run",
        "--enable-api",
        "--auth-token",
        token,
        "-i",
        "127.0.0.1",
        "-p",
        str(port),
        "--model",
        str(MODEL),
        "--endpoints",
        "endpoints.yml",
        "--credentials",
        "credentials.yml",
    ]


def actions_command(port: int) -> list[str]:
    return [sys.executable, "-m", "rasa_sdk", "--actions", "bot.actions", "-p", str(port)]


def start(cmd: list[str], env: dict[str, str], log_path: Path, cwd: Path = PROJECT_ROOT):
    log_path.parent.mkdir(parents=True, exist_ok=True)
    log = open(log_path, "ab")  # noqa: SIM115  (kept open for the child's lifetime)
    return subprocess.Popen(
        cmd, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )


def wait_http(url: str, proc: subprocess.Popen, log_path: Path, timeout: float = 180) -> None:
    """Wait until `url` answers 200, or fail with the end of the process's log."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            break
        try:
            if requests.get(url, timeout=2).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.5)
    tail = log_path.read_text(errors="replace")[-2000:] if log_path.exists() else ""
    state = f"exited with {proc.returncode}" if proc.poll() is not None else "timed out"
    raise StartupError(f"{' '.join(proc.args[:3])} {state}; end of {log_path}:\n{tail}")


def stop(proc: subprocess.Popen, timeout: float = 15) -> None:
    """Stop one process we started, by its id."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
