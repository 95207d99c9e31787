"""Error pages follow the GOV.UK patterns (and API paths answer in JSON)."""

from __future__ import annotations

from tests.conftest import DEAD_RASA, make_app
from tests.support.console import sign_in, staff_user


def test_page_not_found(client):
    resp = client.get("/console/no-such-page")
    page = resp.get_data(as_text=True)
    assert resp.status_code == 404 and "<title>Page not found - " in page
    assert "If you typed the web address, check it is correct." in page


def test_no_permission(client, db):
    sign_in(client, staff_user(db, "viewer"))
    resp = client.get("/console/users/")
    assert resp.status_code == 403
    assert "You do not have permission to see this page" in resp.get_data(as_text=True)


def test_server_error_page_and_json(prepared_db):
    app = make_app(prepared_db, DEAD_RASA)
    app.config["PROPAGATE_EXCEPTIONS"] = False

    def broken():
        raise RuntimeError("boom")

    app.add_url_rule("/console/broken", view_func=broken)
    app.add_url_rule("/chat/api/broken", view_func=broken, endpoint="api_broken")
    client = app.test_client()
    resp = client.get("/console/broken")
    page = resp.get_data(as_text=True)
    assert resp.status_code == 500 and "Sorry, there is a problem with the service" in page
    assert "boom" not in page
    api = client.get("/chat/api/broken")
    assert api.status_code == 500 and api.get_json() == {
        "error": "Something went wrong on our side. Please try again."
    }


def test_api_paths_answer_in_json(client):
    resp = client.get("/console/api/themes/answers/1")
    assert resp.status_code == 302 and "/console/login" in resp.headers["Location"]
    missing = client.post("/chat/api/messages", json={"conversation": "nope", "text": "hi"})
    assert missing.status_code == 404 and "error" in missing.get_json()


def test_nul_characters_get_a_clear_error_and_store_nothing(client, db):
    from sqlmodel import select

    from surveys.models import Consultation
    from tests.support.console import csrf_token

    sign_in(client, staff_user(db, "participation_officer"))
    token = csrf_token(client.get("/console/consultations/new").get_data(as_text=True))
    resp = client.post(
        "/console/consultations/new",
        data={
            "title": "Parks\x00",
            "slug": "nul-test",
            "survey": "bmbf",
            "status": "draft",
            "csrf_token": token,
        },
    )
    assert resp.status_code == 400 and "NUL" in resp.get_data(as_text=True)
    assert db.exec(select(Consultation).where(Consultation.slug == "nul-test")).first() is None
    assert client.get("/console/consultations/bmbf%00-2026").status_code == 404
    assert client.get("/console/audit/?action=x%00").status_code == 400
    chat = client.post("/chat/api/conversations", json={"consultation": "bmbf\x00"})
    assert chat.status_code == 404 and "error" in chat.get_json()
