"""SMS webhook load on loopback, bounded in time: Youth Voice's /sms/inbound against Rasa's
built-in Twilio channel, under the same open-loop load in one run.

    .venv/bin/python bench/sms_load.py [--rate 100] [--seconds 60] [--drain-seconds 30]

Open loop: requests start on a fixed schedule whatever the server does, so a slow server
cannot slow the offered load and hide its own latency (closed-loop tools such as locust's
users would). Prints webhook p50/p95/p99, throughput, lost and duplicated rows, the inbox
drain rate through the real Rasa, and the built-in channel's figures as ratios.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import secrets
import signal
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
from sqlalchemy import func
from sqlmodel import Session, select
from twilio.request_validator import RequestValidator

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from surveys.db import engine_for  # noqa: E402
from surveys.loader import seed  # noqa: E402
from surveys.migrate import upgrade  # noqa: E402
from surveys.models import Direction, Message, MessageStatus  # noqa: E402
from surveys.privacy import new_data_key  # noqa: E402
from surveys.settings import Settings  # noqa: E402
from tests.support.rasa_stack import rasa_stack  # noqa: E402
from web import processes as p  # noqa: E402
from web.messaging import build_gateway  # noqa: E402

ACCOUNT = "AC" + "1" * 32
REPLAY_EVERY = 50
MAX_IN_FLIGHT = 200  # one request in 50 repeats an earlier MessageSid, as Twilio retries do


@dataclass
class LoadResult:
    latencies_ms: list[float]
    errors: int
    sent_sids: set[str]
    attempts: int
    seconds: float

    def pct(self, q: float) -> float:
        data = sorted(self.latencies_ms)
        return data[min(len(data) - 1, int(q * len(data)))] if data else float("nan")

    @property
    def throughput(self) -> float:
        return len(self.latencies_ms) / self.seconds


async def open_loop(
    url: str, public_url: str, token: str, rate: float, seconds: float, timeout: float = 15
) -> LoadResult:
    validator = RequestValidator(token)
    latencies: list[float] = []
    errors = 0
    sids: set[str] = set()
    n = int(rate * seconds)
    # In-flight requests wait on a semaphore sized to the connection pool, so httpx's own pool
    # never holds a long queue (scanning it costs more CPU than the requests themselves).
    limits = httpx.Limits(max_connections=MAX_IN_FLIGHT, max_keepalive_connections=MAX_IN_FLIGHT)
    gate = asyncio.Semaphore(MAX_IN_FLIGHT)
    async with httpx.AsyncClient(timeout=timeout, limits=limits) as client:
        began = time.perf_counter()

        async def gated(request):  # noqa: ANN001, ANN202
            async with gate:
                return await request

        async def one(i: int) -> None:
            nonlocal errors
            if i and i % REPLAY_EVERY == 0 and sids:
                sid = sorted(sids)[i % len(sids)]
            else:
                sid = f"SM{secrets.token_hex(16)}"
            form = {
                "MessageSid": sid,
                "SmsSid": sid,
                "AccountSid": ACCOUNT,
                "From": f"+4477009{i % 100000:05d}",
                "To": "+447700900000",
                "Body": "hi",
                "NumMedia": "0",
            }
            headers = {"X-Twilio-Signature": validator.compute_signature(public_url, form)}
            intended = began + i / rate  # latency counts from when it should have been sent
            try:  # Twilio gives a webhook 15 s in all (connection overrides: tt)
                resp = await asyncio.wait_for(client.post(url, data=form, headers=headers), timeout)
                ok = resp.status_code < 300
            except (httpx.HTTPError, TimeoutError):
                ok = False
            if ok:
                latencies.append((time.perf_counter() - intended) * 1000)
                sids.add(sid)
            else:
                errors += 1

        tasks = []
        for i in range(n):
            delay = began + i / rate - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(one(i)))
        # Hard bound: whatever has not finished 15 s after the last send is a failure.
        _, pending = await asyncio.wait(
            tasks, timeout=max(0.0, began + seconds + timeout - time.perf_counter())
        )
        for task in pending:
            task.cancel()
        errors += len(pending)
        elapsed = time.perf_counter() - began
        print(
            f"    {n} requests, {len(pending)} unfinished at the deadline, {elapsed:.0f} s",
            flush=True,
        )
    return LoadResult(latencies, errors, sids, n, elapsed)


def stored_inbound(url: str) -> tuple[int, int]:
    """(rows, distinct MessageSids) of inbound SMS rows."""
    with Session(engine_for(url)) as s:
        rows = s.exec(
            select(func.count(Message.id)).where(
                Message.channel == "sms", Message.direction == Direction.IN
            )
        ).one()
        distinct = s.exec(
            select(func.count(func.distinct(Message.external_id))).where(
                Message.channel == "sms", Message.direction == Direction.IN
            )
        ).one()
    return rows, distinct


def drain(url: str, stack, seconds: float) -> tuple[int, float]:
    """Process the inbox through the real Rasa for at most `seconds`: (processed, rate)."""
    gateway = build_gateway(Settings.from_env(), stack.url, stack.token)
    began = time.perf_counter()
    for pid in gateway.due_participants():
        if time.perf_counter() - began > seconds:
            break
        gateway.process(pid)
    elapsed = time.perf_counter() - began
    with Session(engine_for(url)) as s:
        processed = s.exec(
            select(func.count(Message.id)).where(
                Message.direction == Direction.IN, Message.status == MessageStatus.PROCESSED
            )
        ).one()
    return processed, processed / elapsed


def start_gunicorn(env: dict[str, str], port: int, log: Path):
    cmd = [
        str(Path(sys.executable).parent / "gunicorn"),
        "-w",
        "2",
        "-b",
        f"127.0.0.1:{port}",
        "--timeout",
        "60",
        "web.wsgi:app",
    ]
    proc = p.start(cmd, env, log)
    p.wait_http(f"http://127.0.0.1:{port}/healthz", proc, log)
    return proc


def start_standin(env: dict[str, str], port: int, log: Path):
    """The Twilio stand-in in a process of its own (not competing with the load generator)."""
    cmd = [str(Path(sys.executable).parent / "youthvoice"), "sms", "standin", "--port", str(port)]
    proc = p.start(cmd, env, log)
    p.wait_http(f"http://127.0.0.1:{port}/_standin/messages", proc, log)
    return proc


def _interrupt(*_: object) -> None:
    raise KeyboardInterrupt  # run the clean-up below on SIGTERM too


def start_builtin_rasa(stack, workdir: Path, standin_url: str, token: str, port: int):
    creds = workdir / "builtin-credentials.yml"
    creds.write_text(
        "bench.rasa_builtin_twilio.StandinTwilioInput:\n"
        f"  account_sid: {ACCOUNT}\n  auth_token: {token}\n"
        f"  twilio_number: '+447700900000'\n  api_url: {standin_url}\n"
    )
    cmd = [
        str(p.rasa_bin()),
        "run",
        "-i",
        "127.0.0.1",
        "-p",
        str(port),
        "--model",
        str(p.MODEL),
        "--endpoints",
        "endpoints.yml",
        "--credentials",
        str(creds),
    ]
    log = workdir / "rasa-builtin.log"
    proc = p.start(cmd, stack.rasa_env, log, cwd=p.BOT_DIR)
    p.wait_http(f"http://127.0.0.1:{port}/webhooks/twilio/", proc, log)
    return proc


def row(name: str, r: LoadResult) -> str:
    return (
        f"{name:<26}{r.pct(0.50):>9.1f}{r.pct(0.95):>9.1f}{r.pct(0.99):>9.1f}"
        f"{r.throughput:>10.1f}{r.errors:>8}"
    )


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rate", type=float, default=100)
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--drain-seconds", type=float, default=30)
    args = ap.parse_args()

    work = Path(tempfile.mkdtemp(prefix="yv-bench-"))
    db_url = f"sqlite:///{work / 'bench.db'}"
    token = secrets.token_hex(16)
    os.environ.update(
        DATABASE_URL=db_url, YOUTHVOICE_DATA_KEY=new_data_key(), YOUTHVOICE_INSTANCE=str(work)
    )
    upgrade(db_url)
    with Session(engine_for(db_url)) as s:
        seed(s)
        s.commit()
    signal.signal(signal.SIGTERM, _interrupt)
    web_port, builtin_port, standin_port = p.free_ports(3)
    public = f"http://127.0.0.1:{web_port}"
    standin_url = f"http://127.0.0.1:{standin_port}"
    procs = []
    with rasa_stack(db_url, work) as stack:
        env = dict(
            os.environ,
            TWILIO_ACCOUNT_SID=ACCOUNT,
            TWILIO_AUTH_TOKEN=token,
            TWILIO_MESSAGING_SERVICE_SID="MG" + "2" * 32,
            TWILIO_API_URL=standin_url,
            PUBLIC_URL=public,
            RASA_URL=stack.url,
            RASA_TOKEN=stack.token,
            SECRET_KEY=secrets.token_hex(16),
        )
        try:
            procs.append(start_standin(env, standin_port, work / "standin.log"))
            procs.append(start_gunicorn(env, web_port, work / "web.log"))
            print(
                f"Load: {args.rate:.0f} signed webhooks/s for {args.seconds:.0f} s "
                f"(open loop, 1 in {REPLAY_EVERY} a MessageSid replay), SQLite, 2 cores"
            )
            ours = asyncio.run(
                open_loop(
                    f"{public}/sms/inbound", f"{public}/sms/inbound", token, args.rate, args.seconds
                )
            )
            print(f"  Youth Voice load done in {ours.seconds:.0f} s; draining...", flush=True)
            rows, distinct = stored_inbound(db_url)
            lost = len(ours.sent_sids) - distinct
            duplicated = rows - distinct
            processed, drain_rate = drain(db_url, stack, args.drain_seconds)

            print("  drain done; starting Rasa with its built-in Twilio channel...", flush=True)
            procs.append(start_builtin_rasa(stack, work, standin_url, token, builtin_port))
            url = f"http://127.0.0.1:{builtin_port}/webhooks/twilio/webhook"
            builtin = asyncio.run(open_loop(url, url, token, args.rate, args.seconds))
            print(f"  built-in channel load done in {builtin.seconds:.0f} s", flush=True)
        finally:
            for proc in reversed(procs):
                p.stop(proc)

    print(f"\n{'webhook':<26}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'req/s':>10}{'errors':>8}")
    print(row("Youth Voice /sms/inbound", ours))
    print(row("Rasa built-in twilio", builtin))
    print(
        f"\nYouth Voice: {len(ours.sent_sids)} distinct messages accepted, {rows} rows stored,"
        f" lost {lost}, duplicated {duplicated}"
    )
    print(
        f"Inbox drain through the real Rasa: {processed} messages in at most "
        f"{args.drain_seconds:.0f} s = {drain_rate:.1f} messages/s"
    )
    print(
        f"Ratio built-in / Youth Voice: p95 x{builtin.pct(0.95) / ours.pct(0.95):.1f}, "
        f"p99 x{builtin.pct(0.99) / ours.pct(0.99):.1f}, "
        f"errors {builtin.errors} vs {ours.errors}"
    )
    target = ours.pct(0.95) < 50 and lost == 0 and duplicated == 0 and ours.errors == 0
    print(f"Target (p95 < 50 ms, 0 lost, 0 duplicated, 0 errors): {'met' if target else 'NOT met'}")
    print(
        f"Throughput ratio (ours/built-in, completed req/s): "
        f"{ours.throughput / max(builtin.throughput, 0.001):.2f}"
    )
    print("(Latency counts from each request's scheduled time. When the built-in channel")
    print(" saturates both cores, even the load generator falls behind; that delay is counted.)")
    print(f"(work files in {work})")
    return 0 if target else 1


if __name__ == "__main__":
    sys.exit(main())
