"""A phone that texts the platform through the Twilio stand-in, and the worker's two jobs."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

import requests

from surveys.phones import to_e164
from web.gateway import Gateway
from web.sms.relay import Relay

_numbers = itertools.count(100)


def new_number() -> str:
    """A fresh number in Ofcom's drama range (never a real phone)."""
    return to_e164(f"07700 900{next(_numbers):03d}")


@dataclass
class SmsWorld:
    """The platform's web app and the stand-in on real loopback servers, plus the worker jobs."""

    web_url: str
    standin_url: str
    gateway: Gateway
    relay: Relay
    app: object

    def work(self) -> None:
        """One pass of the worker: process the inbox, then send the outbox."""
        self.gateway.process_due()
        self.relay.run_once()

    def sent_to(self, number: str) -> list[str]:
        # Filter here, not in the URL: numbers must not appear in any access log.
        resp = requests.get(f"{self.standin_url}/_standin/messages", timeout=10)
        return [m["body"] for m in resp.json()["messages"] if m["to"] == number]

    def misbehave(self, number: str, **rule) -> None:  # noqa: ANN003
        requests.post(
            f"{self.standin_url}/_standin/behaviour", json={"to": number, **rule}, timeout=10
        ).raise_for_status()


@dataclass
class Phone:
    world: SmsWorld
    number: str = field(default_factory=new_number)
    seen: int = 0

    def text(self, body: str, sid: str | None = None) -> int:
        """Send one SMS through the stand-in (a signed webhook); returns the webhook status."""
        resp = requests.post(
            f"{self.world.standin_url}/_standin/phone",
            json={"from": self.number, "body": body, "sid": sid},
            timeout=30,
        )
        return resp.json()["status"]

    def say(self, body: str) -> list[str]:
        """Text, let the worker run, and return the new texts this phone received."""
        assert self.text(body) == 200
        self.world.work()
        return self.inbox()

    def inbox(self) -> list[str]:
        everything = self.world.sent_to(self.number)
        new, self.seen = everything[self.seen :], len(everything)
        return new
