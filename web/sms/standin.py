"""A local stand-in for Twilio: the parts of its REST API we use, for tests and demos.

- POST /2010-04-01/Accounts/<sid>/Messages.json creates a message (HTTP basic auth), records
  it, and later POSTs signed status callbacks (sent, then delivered) to its StatusCallback.
- It can fail on purpose for a number: POST /_standin/behaviour
  {"to": "+447700900123", "http_status": 400, "error_code": 21610, "times": 1}.
- It plays a phone: POST /_standin/phone {"from": "+44...", "body": "hi"} sends a signed
  inbound webhook to the platform, like Twilio does.
- GET .../Messages.json lists messages (newest first, ?To= filters), as Twilio does.
- GET /_standin/messages lists what was sent (?to= filters); POST /_standin/reset clears.
"""

from __future__ import annotations

import itertools
import queue
import secrets
import threading
from datetime import UTC, datetime
from typing import Any

import requests
from flask import Flask, abort, jsonify, request
from twilio.request_validator import RequestValidator


def _sid(prefix: str) -> str:
    return prefix + secrets.token_hex(16)


class StandinState:
    """What the stand-in has been asked to send, and how it should misbehave."""

    def __init__(self, account_sid: str, auth_token: str, webhook_url: str):
        self.account_sid, self.auth_token, self.webhook_url = account_sid, auth_token, webhook_url
        self.messages: list[dict[str, Any]] = []
        self.behaviour: dict[str, dict[str, Any]] = {}
        self.lock = threading.Lock()
        self.callbacks: queue.Queue = queue.Queue()
        self.counter = itertools.count(1)
        self.deliver = True

    def sign(self, url: str, params: dict[str, str]) -> str:
        return RequestValidator(self.auth_token).compute_signature(url, params)

    def post_signed(self, url: str, params: dict[str, str]) -> int:
        headers = {"X-Twilio-Signature": self.sign(url, params)}
        try:
            return requests.post(url, data=params, headers=headers, timeout=30).status_code
        except requests.RequestException:
            return 0


def _callback_worker(state: StandinState) -> None:
    while True:
        url, params = state.callbacks.get()
        if url is None:
            return
        state.post_signed(url, params)


def create_standin(account_sid: str, auth_token: str, webhook_url: str) -> Flask:
    """The stand-in app; `webhook_url` is the platform's /sms/inbound as Twilio would call it."""
    app = Flask("twilio_standin")
    state = StandinState(account_sid, auth_token, webhook_url)
    app.extensions["standin"] = state
    threading.Thread(target=_callback_worker, args=(state,), daemon=True).start()

    def twilio_error(status: int, code: int, message: str):
        body = {
            "code": code,
            "message": message,
            "status": status,
            "more_info": f"https://www.twilio.com/docs/errors/{code}",
        }
        return jsonify(body), status

    def authorised(account: str) -> bool:
        """HTTP basic auth with the account SID and auth token, as Twilio's API requires."""
        auth = request.authorization
        return (
            bool(auth)
            and account == state.account_sid
            and (auth.username, auth.password) == (state.account_sid, state.auth_token)
        )

    @app.post("/2010-04-01/Accounts/<account>/Messages.json")
    def create_message(account: str):
        if not authorised(account):
            return twilio_error(401, 20003, "Authenticate")
        form = request.form
        to, body = form.get("To", ""), form.get("Body", "")
        if not to or not body:
            return twilio_error(400, 21602, "Message body is required")
        with state.lock:
            rule = state.behaviour.get(to)
            if rule and rule.get("times", 1) > 0:
                rule["times"] = rule.get("times", 1) - 1
                return twilio_error(
                    rule.get("http_status", 400),
                    rule.get("error_code", 30001),
                    rule.get("message", "Stand-in error"),
                )
            sid = _sid("SM")
            record = {
                "sid": sid,
                "account_sid": account,
                "to": to,
                "body": body,
                "from": form.get("From"),
                "messaging_service_sid": form.get("MessagingServiceSid"),
                "status": "queued",
                "num_segments": str(max(1, -(-len(body) // 153))),
                "date_created": datetime.now(UTC).strftime("%a, %d %b %Y %H:%M:%S +0000"),
                "direction": "outbound-api",
                "error_code": None,
                "error_message": None,
                "uri": f"/2010-04-01/Accounts/{account}/Messages/{sid}.json",
                "seq": next(state.counter),
            }
            state.messages.append(record)
        callback = form.get("StatusCallback")
        if callback and state.deliver:
            for status in ("sent", "delivered"):
                state.callbacks.put(
                    (
                        callback,
                        {
                            "MessageSid": sid,
                            "MessageStatus": status,
                            "AccountSid": account,
                            "To": to,
                        },
                    )
                )
        return jsonify({k: v for k, v in record.items() if k != "seq"}), 201

    @app.get("/2010-04-01/Accounts/<account>/Messages.json")
    def list_messages(account: str):
        if not authorised(account):
            return twilio_error(401, 20003, "Authenticate")
        to = request.args.get("To")
        with state.lock:
            rows = [
                {k: v for k, v in m.items() if k != "seq"}
                for m in reversed(state.messages)
                if not to or m["to"] == to
            ]
        page_size = int(request.args.get("PageSize", 50))
        return jsonify(
            messages=rows[:page_size],
            meta={
                "key": "messages",
                "page": 0,
                "page_size": page_size,
                "next_page_url": None,
                "previous_page_url": None,
            },
        )

    @app.get("/_standin/messages")
    def sent():
        to = request.args.get("to")
        with state.lock:
            rows = [m for m in state.messages if not to or m["to"] == to]
        return jsonify(messages=rows)

    @app.post("/_standin/behaviour")
    def behaviour():
        rule = request.get_json(force=True)
        with state.lock:
            state.behaviour[rule["to"]] = rule
        return jsonify(ok=True)

    @app.post("/_standin/reset")
    def reset():
        with state.lock:
            state.messages.clear()
            state.behaviour.clear()
        return jsonify(ok=True)

    @app.post("/_standin/phone")
    def phone():
        data = request.get_json(force=True)
        if not data.get("from") or "body" not in data:
            abort(400)
        sid = data.get("sid") or _sid("SM")
        params = {
            "MessageSid": sid,
            "SmsSid": sid,
            "AccountSid": state.account_sid,
            "From": data["from"],
            "To": data.get("to", "+447700900000"),
            "Body": data["body"],
            "NumMedia": "0",
        }
        return jsonify(status=state.post_signed(state.webhook_url, params), sid=sid)

    return app
