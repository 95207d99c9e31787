"""Shared fixtures: one real database (SQLite or PostgreSQL, by YV_TEST_DB) and one real
trained Rasa server and action server per test session."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from sqlmodel import Session

from surveys.db import engine_for
from surveys.loader import seed
from surveys.migrate import upgrade
from surveys.privacy import new_data_key
from surveys.settings import Settings
from tests.support.postgres import postgres_server
from tests.support.rasa_stack import RasaStack, rasa_stack
from web import create_app
from web.processes import free_port

TEST_DB = os.environ.get("YV_TEST_DB", "sqlite")
DEAD_RASA = f"http://127.0.0.1:{free_port()}"  # nothing listens here: the bot is "down"


def pytest_report_header(config) -> str:  # noqa: ANN001
    return f"youthvoice test database: {TEST_DB}"


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> Iterator[str]:
    if TEST_DB == "postgresql":
        with postgres_server() as url:
            yield url
    elif TEST_DB == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'youthvoice-test.db'}"
    else:
        raise pytest.UsageError(f"YV_TEST_DB must be sqlite or postgresql, not {TEST_DB!r}")


@pytest.fixture(scope="session")
def prepared_db(database_url: str) -> Iterator[str]:
    """Migrated and seeded; DATABASE_URL points every in-process component at it."""
    mp = pytest.MonkeyPatch()
    mp.setenv("DATABASE_URL", database_url)
    mp.setenv("YOUTHVOICE_DATA_KEY", new_data_key())
    upgrade(database_url)
    with Session(engine_for(database_url)) as s:
        seed(s)
        s.commit()
    yield database_url
    mp.undo()


@pytest.fixture
def db(prepared_db: str) -> Iterator[Session]:
    with Session(engine_for(prepared_db), expire_on_commit=False) as s:
        yield s


@pytest.fixture(scope="session")
def rasa(prepared_db: str, tmp_path_factory) -> Iterator[RasaStack]:
    with rasa_stack(prepared_db, tmp_path_factory.mktemp("rasa")) as stack:
        yield stack


def make_app(database_url: str, rasa_url: str, token: str = "unused"):
    return create_app(
        {
            "TESTING": True,
            "CORE": Settings.from_env(),
            "RASA_URL": rasa_url,
            "RASA_TOKEN": token,
            "RASA_TIMEOUT": 30,
            "SECRET_KEY": "test-secret",
        }
    )


@pytest.fixture(scope="session")
def app(prepared_db: str, rasa: RasaStack):
    """The web app talking to the real Rasa."""
    return make_app(prepared_db, rasa.url, rasa.token)


@pytest.fixture
def client(app):
    from web.extensions import limiter

    limiter.reset()  # each test starts with no failed sign-ins counted against it
    return app.test_client()


@pytest.fixture(scope="session")
def app_without_bot(prepared_db: str):
    """The web app while Rasa is unreachable."""
    return make_app(prepared_db, DEAD_RASA)


ACCOUNT_SID = "AC" + "1" * 32


@pytest.fixture(scope="session")
def sms_world(prepared_db: str, rasa: RasaStack):
    """The web app and the Twilio stand-in on loopback servers, wired to each other."""
    import dataclasses
    import secrets

    from surveys.db import engine_for as _engine_for
    from tests.support.servers import serve
    from tests.support.sms import SmsWorld
    from web.sms.client import make_client
    from web.sms.relay import Relay
    from web.sms.settings import SmsSettings
    from web.sms.standin import create_standin

    token = secrets.token_hex(16)
    standin = create_standin(ACCOUNT_SID, token, webhook_url="")
    app = make_app(prepared_db, rasa.url, rasa.token)
    with serve(standin) as standin_url, serve(app) as web_url:
        settings = dataclasses.replace(
            SmsSettings.from_env(),
            account_sid=ACCOUNT_SID,
            auth_token=token,
            messaging_service_sid="MG" + "2" * 32,
            api_url=standin_url,
            public_url=web_url,
            rate_per_second=1000,
        )
        app.extensions["sms_settings"] = settings
        standin.extensions["standin"].webhook_url = f"{web_url}/sms/inbound"
        relay = Relay(
            _engine_for(prepared_db), settings, make_client(settings), Settings.from_env().data_key
        )
        yield SmsWorld(web_url, standin_url, app.extensions["gateway"], relay, app)
