"""axe-core finds no serious or critical accessibility problems on the chat page or on any
console page, each visited as a role that may see it."""

from __future__ import annotations

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from analysis.themes import default_analyser
from surveys.models import AudienceGroup, User
from surveys.theme_tags import tag_pending
from tests.support.console import PASSWORD, staff_user, totp_code
from tests.support.themes import Reply, answered_consultation

SERIOUS = {"serious", "critical"}


def serious_violations(page: Page) -> list[str]:
    results = Axe().run(page)
    return [
        f"{v['id']}: {v['help']} ({len(v['nodes'])} nodes)"
        for v in results.response["violations"]
        if v.get("impact") in SERIOUS
    ]


def test_chat_page_at_start_and_mid_question(phone: Page, live_url: str):
    phone.goto(f"{live_url}/chat")
    expect(phone.get_by_role("button", name="Start")).to_be_visible()
    assert serious_violations(phone) == []
    phone.get_by_role("button", name="Start").click()
    expect(phone.locator("#log li.bot").last).to_contain_text("How old are you?")
    assert serious_violations(phone) == []


def _sign_in(page: Page, live_url: str, db, user: User) -> None:  # noqa: ANN001
    page.goto(f"{live_url}/console/login")
    assert serious_violations(page) == [], "sign-in page"
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    if user.totp_secret is not None:
        expect(page.get_by_role("heading", name="Enter your security code")).to_be_visible()
        assert serious_violations(page) == [], "two-factor page"
        page.get_by_label("Security code").fill(totp_code(db, user))
        page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("navigation")).to_be_visible()


@pytest.fixture
def world(db):
    """A consultation with tagged free text, a group, another user: every page has content."""
    consultation, _ = answered_consultation(
        db, [Reply("more buses after 6 please", age="13-14"), Reply("a skate park", age="15-16")]
    )
    while tag_pending(db, default_analyser()):
        db.commit()
    group = AudienceGroup(name=f"Axe group {consultation.slug}")
    db.add(group)
    db.commit()
    return consultation.slug, group.id, staff_user(db, "viewer").id


ADMIN_PAGES = [
    "/console/",
    "/console/consultations/new",
    "/console/consultations/{slug}",
    "/console/consultations/{slug}/edit",
    "/console/consultations/{slug}/preview?channel=sms",
    "/console/consultations/{slug}/preview?channel=web",
    "/console/consultations/{slug}/waves/",
    "/console/consultations/{slug}/responses/",
    "/console/consultations/{slug}/responses/free-text",
    "/console/consultations/{slug}/responses/themes",
    "/console/consultations/{slug}/exports/",
    "/console/surveys/",
    "/console/surveys/import",
    "/console/surveys/new",
    "/console/surveys/bmbf/edit",
    "/console/surveys/bmbf",
    "/console/surveys/bmbf/questions/new",
    "/console/surveys/bmbf/questions/q6_cope/edit",
    "/console/audiences/",
    "/console/audiences/new",
    "/console/audiences/{group}",
    "/console/users/",
    "/console/users/invite",
    "/console/users/{user}",
    "/console/audit/",
    "/console/annual/",
    "/console/account",
    "/cookies",
    "/privacy",
    "/accessibility",
    "/console/no-such-page",
]


def test_every_console_page_an_admin_sees(desk: Page, live_url: str, db, world):
    slug, group, user = world
    _sign_in(desk, live_url, db, staff_user(db, "admin"))
    problems = {}
    for path in ADMIN_PAGES:
        desk.goto(live_url + path.format(slug=slug, group=group, user=user))
        found = serious_violations(desk)
        if found:
            problems[path] = found
    assert problems == {}


def test_form_errors_and_two_factor_set_up_are_accessible(desk: Page, live_url: str, db):
    _sign_in(desk, live_url, db, staff_user(db, "participation_officer"))
    desk.goto(f"{live_url}/console/consultations/new")
    desk.get_by_role("button", name="Save consultation").click()
    expect(desk.locator(".govuk-error-summary")).to_be_visible()
    assert serious_violations(desk) == []
    desk.goto(f"{live_url}/console/two-factor/set-up")
    expect(desk.locator("svg").first).to_be_visible()
    assert serious_violations(desk) == []


def test_safeguarding_pages_a_lead_sees(desk: Page, live_url: str, db):
    _sign_in(desk, live_url, db, staff_user(db, "safeguarding_lead"))
    desk.goto(f"{live_url}/console/safeguarding/")
    assert serious_violations(desk) == []
    first = desk.locator("table a").first
    if first.count():
        first.click()
        assert serious_violations(desk) == []


XSS = '<img src=x onerror="window.__xss=1"><script>window.__xss=1</script>'


def test_xss_in_answers_is_shown_escaped_and_never_runs(desk: Page, live_url: str, db):
    consultation, _ = answered_consultation(db, [Reply(f"{XSS} buses", age="13-14")])
    while tag_pending(db, default_analyser()):
        db.commit()
    _sign_in(desk, live_url, db, staff_user(db, "participation_officer"))
    messages = []
    desk.on("console", lambda m: messages.append(m.text))
    free_text = "responses/free-text?question=q17_council_for_a_day"
    for path in (free_text, "responses/themes"):
        desk.goto(f"{live_url}/console/consultations/{consultation.slug}/{path}")
        assert desk.evaluate("window.__xss") is None
    desk.goto(f"{live_url}/console/consultations/{consultation.slug}/{free_text}")
    expect(desk.locator(".yv-answer__text").first).to_contain_text("<script>")
    assert not [m for m in messages if re.search(r"Content Security Policy", m)]
