"""A young person answers the first questions in Debian's chromium on a 320 px phone."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from surveys.definitions import DEFINITIONS_DIR, load_definition

BMBF = load_definition(DEFINITIONS_DIR / "bmbf.yaml")
QS = BMBF.questions


def last_bot(page: Page):
    return page.locator("#log li.bot").last


def test_answering_by_buttons_and_typing_on_a_small_phone(phone: Page, live_url: str):
    phone.goto(f"{live_url}/chat")
    expect(last_bot(phone)).to_contain_text("Bright Minds Big Futures")
    expect(phone.get_by_role("button", name="Start")).to_be_visible()
    phone.get_by_role("button", name="Start").click()

    expect(last_bot(phone)).to_contain_text(QS[0].text)
    phone.get_by_role("button", name="13-14").click()
    expect(phone.locator("#log li.you").last).to_have_text("You said: 13-14")

    expect(last_bot(phone)).to_contain_text(QS[1].text)
    phone.get_by_role("button", name="4", exact=True).click()

    expect(last_bot(phone)).to_contain_text(QS[2].text)
    phone.get_by_label("Your message").fill("four")
    phone.get_by_label("Your message").press("Enter")

    expect(last_bot(phone)).to_contain_text(QS[3].text)
    phone.get_by_role("button", name="Skip").click()

    expect(last_bot(phone)).to_contain_text(QS[4].text)
    phone.get_by_label("Your message").fill("banana")
    phone.get_by_role("button", name="Send", exact=True).click()
    expect(last_bot(phone)).to_contain_text("Sorry, I didn't get that")
    phone.get_by_role("button", name="5 really positive").click()

    expect(last_bot(phone)).to_contain_text(QS[5].text)
    phone.get_by_label("Your message").fill("talking to my nan <b>honestly</b>")
    phone.get_by_label("Your message").press("Enter")

    # Multi-select: toggle two, then send them together.
    expect(last_bot(phone)).to_contain_text(QS[6].text)
    send = phone.get_by_role("button", name="Send my answers")
    expect(send).to_be_disabled()
    phone.get_by_role("button", name="Family").click()
    phone.get_by_role("button", name="A teacher").click()
    expect(phone.get_by_role("button", name="Family")).to_have_attribute("aria-pressed", "true")
    send_box, composer = send.bounding_box(), phone.locator("#composer").bounding_box()
    assert send_box["y"] + send_box["height"] <= composer["y"]  # not hidden by the text box
    send.click()
    expect(phone.locator("#log li.you").last).to_have_text("You said: Family, A teacher")
    expect(last_bot(phone)).to_contain_text(QS[7].text)

    # Typed markup is shown as text, never as HTML.
    expect(phone.locator("#log li.you b")).to_have_count(0)
    expect(phone.locator("#log")).to_contain_text("talking to my nan <b>honestly</b>")

    # Readable at 320 px: nothing scrolls sideways; tap targets are at least 44 px tall.
    assert phone.evaluate("document.documentElement.scrollWidth") <= 320
    for box in phone.locator("#choices button").evaluate_all(
        "els => els.map(e => e.getBoundingClientRect().height)"
    ):
        assert box >= 44

    # Coming back later shows the conversation so far and the question they were on.
    phone.reload()
    expect(last_bot(phone)).to_contain_text(QS[7].text)
    expect(phone.locator("#log")).to_contain_text("You said: four")
    phone.get_by_role("button", name="Yes", exact=True).click()
    expect(last_bot(phone)).to_contain_text(QS[8].text)


def test_keyboard_only_user_can_start_and_answer(phone: Page, live_url: str):
    phone.goto(f"{live_url}/chat")
    start = phone.get_by_role("button", name="Start")
    expect(start).to_be_visible()
    start.focus()
    phone.keyboard.press("Enter")
    expect(last_bot(phone)).to_contain_text(QS[0].text)
    phone.get_by_label("Your message").focus()
    phone.keyboard.type("c")
    phone.keyboard.press("Enter")
    expect(last_bot(phone)).to_contain_text(QS[1].text)
    expect(phone.get_by_role("log", name="Conversation")).to_have_attribute("aria-live", "polite")
