"""`youthvoice run`: start web, worker, rasa and actions, print the URLs, stop them together."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from surveys.settings import INSTANCE_DIR
from web import processes as p


def _ports() -> dict[str, int]:
    return {
        "web": int(os.environ.get("PORT", 5000)),
        "rasa": int(os.environ.get("RASA_PORT", 5005)),
        "actions": int(os.environ.get("ACTIONS_PORT", 5055)),
    }


def run_all() -> int:
    ports = _ports()
    busy = [f"{name} ({port})" for name, port in ports.items() if not p.port_free(port)]
    if busy:
        print(
            f"Port(s) in use: {', '.join(busy)}. Stop what uses them, or set PORT, RASA_PORT "
            "and ACTIONS_PORT (see README, Troubleshooting).",
            file=sys.stderr,
        )
        return 1
    token = os.environ.get("RASA_TOKEN")
    if not token:
        print(
            "RASA_TOKEN is not set: run `make setup` (it writes instance/secrets.env).",
            file=sys.stderr,
        )
        return 1
    logs = INSTANCE_DIR / "logs"
    env = dict(os.environ)
    env.update(
        RASA_URL=f"http://127.0.0.1:{ports['rasa']}",
        ACTION_SERVER_URL=f"http://127.0.0.1:{ports['actions']}/webhook",
        RASA_TRACKER_DB=os.environ.get("RASA_TRACKER_DB", str(INSTANCE_DIR / "rasa-tracker.db")),
        SANIC_HOST="127.0.0.1",
        PUBLIC_URL=os.environ.get("PUBLIC_URL", f"http://127.0.0.1:{ports['web']}"),
    )
    bin_dir = os.path.dirname(sys.executable)
    specs = [
        (
            "actions",
            p.actions_command(ports["actions"]),
            env,
            p.PROJECT_ROOT,
            f"http://127.0.0.1:{ports['actions']}/health",
        ),
        (
            "rasa",
            p.rasa_command(ports["rasa"], token),
            p.rasa_env(env),
            p.BOT_DIR,
            f"http://127.0.0.1:{ports['rasa']}/",
        ),
        ("worker", [os.path.join(bin_dir, "youthvoice"), "worker"], env, p.PROJECT_ROOT, None),
        (
            "web",
            [
                os.path.join(bin_dir, "gunicorn"),
                "-w",
                os.environ.get("WEB_CONCURRENCY", "2"),
                "-b",
                f"127.0.0.1:{ports['web']}",
                "--access-logfile",
                "-",
                "web.wsgi:app",
            ],
            env,
            p.PROJECT_ROOT,
            f"http://127.0.0.1:{ports['web']}/healthz",
        ),
    ]
    procs: list[tuple[str, subprocess.Popen]] = []

    def shutdown(*_) -> None:  # noqa: ANN002
        for _name, proc in reversed(procs):
            p.stop(proc)

    signal.signal(signal.SIGTERM, lambda *_: (shutdown(), sys.exit(0)))
    try:
        for name, cmd, penv, cwd, health in specs:
            print(f"Starting {name}...", flush=True)
            log = logs / f"{name}.log"
            proc = p.start(cmd, penv, log, cwd)
            procs.append((name, proc))
            if health:
                p.wait_http(health, proc, log)
        web = f"http://127.0.0.1:{ports['web']}"
        print(
            f"\nYouth Voice is running (logs in {logs}).\n"
            f"  Web chat:  {web}/chat\n  Console:   {web}/console/\n"
            "Press Ctrl+C to stop.",
            flush=True,
        )
        while True:
            for name, proc in procs:
                if proc.poll() is not None:
                    print(
                        f"{name} stopped (exit {proc.returncode}); see {logs / (name + '.log')}",
                        file=sys.stderr,
                    )
                    return 1
            time.sleep(1)
    except p.StartupError as exc:
        print(f"Could not start: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\nStopping...")
        return 0
    finally:
        shutdown()
