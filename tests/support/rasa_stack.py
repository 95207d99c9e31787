"""The real trained Rasa server and action server, on loopback ports of their own."""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import requests

from web import processes as p


@dataclass
class RasaStack:
    url: str
    token: str
    logs: Path
    rasa: subprocess.Popen
    rasa_cmd: list[str]
    rasa_env: dict[str, str]

    def reset_tracker(self, sender: str) -> None:
        """Forget a conversation in Rasa (as if its tracker store had been lost)."""
        resp = requests.put(
            f"{self.url}/conversations/{quote(sender, safe='')}/tracker/events",
            params={"token": self.token},
            json=[],
            timeout=30,
        )
        resp.raise_for_status()

    def parse(self, text: str) -> dict:
        resp = requests.post(
            f"{self.url}/model/parse", params={"token": self.token}, json={"text": text}, timeout=30
        )
        resp.raise_for_status()
        return resp.json()

    def kill(self) -> None:
        """SIGKILL the Rasa server (our own child, by its pid)."""
        os.kill(self.rasa.pid, signal.SIGKILL)
        self.rasa.wait(10)

    def restart(self) -> None:
        log = self.logs / "rasa.log"
        self.rasa = p.start(self.rasa_cmd, self.rasa_env, log, cwd=p.BOT_DIR)
        p.wait_http(f"{self.url}/", self.rasa, log)


@contextmanager
def rasa_stack(database_url: str, workdir: Path) -> Iterator[RasaStack]:
    p.train_if_changed()
    token = secrets.token_urlsafe(16)
    rasa_port, actions_port = p.free_ports(2)
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url,
        SANIC_HOST="127.0.0.1",
        RASA_TOKEN=token,
        ACTION_SERVER_URL=f"http://127.0.0.1:{actions_port}/webhook",
        RASA_TRACKER_DB=str(workdir / "rasa-tracker.db"),
    )
    actions_log, rasa_log = workdir / "actions.log", workdir / "rasa.log"
    actions = p.start(p.actions_command(actions_port), env, actions_log)
    rasa_cmd, rasa_env = p.rasa_command(rasa_port, token), p.rasa_env(env)
    rasa = p.start(rasa_cmd, rasa_env, rasa_log, cwd=p.BOT_DIR)
    stack = RasaStack(f"http://127.0.0.1:{rasa_port}", token, workdir, rasa, rasa_cmd, rasa_env)
    try:
        p.wait_http(f"http://127.0.0.1:{actions_port}/health", actions, actions_log)
        p.wait_http(f"http://127.0.0.1:{rasa_port}/", rasa, rasa_log)
        yield stack
    finally:
        p.stop(stack.rasa)
        p.stop(actions)
