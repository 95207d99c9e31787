"""axe-core finds no serious or critical accessibility problems on the chat page."""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

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


def test_console_sign_in_page(phone: Page, live_url: str):
    phone.goto(f"{live_url}/console/login")
    expect(phone.get_by_role("heading", name="Sign in")).to_be_visible()
    assert serious_violations(phone) == []
