"""An officer's whole journey in a real browser: sign in with two-factor, create a consultation,
import an audience with a bad row, text a wave through the Twilio stand-in, watch young
people's answers arrive, correct a theme tag, and export the answers as XLSX."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from uuid import uuid4

from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from analysis.themes import default_analyser
from surveys.db import engine_for
from surveys.settings import Settings
from surveys.theme_tags import tag_pending
from tests.support.console import PASSWORD, staff_user, totp_code
from tests.support.sms import Phone, new_number
from web.waves import WaveJobs

NOON = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
BUSES = "the buses are rubbish after 6 so i cant get to football"
KELLY = "i talk to my mate Kelly on 07700 900555 and go to the youth club"


def _answer_up_to_q6(phone: Phone, age_letter: str, q6: str) -> None:
    phone.say("YES")
    phone.say(age_letter)  # q1 age
    for _ in range(4):  # q2 to q5, scales
        phone.say("SKIP")
    phone.say(q6)  # q6, free text


def test_officer_journey_from_sign_in_to_xlsx_export(desk: Page, sms_world, db, tmp_path):
    base = sms_world.web_url
    admin = staff_user(db, "admin")
    sms_world.relay.clock = lambda: NOON  # outside quiet hours, so the wave goes out now
    try:
        # Sign in with a password and a code from the authenticator app.
        desk.goto(f"{base}/console/login")
        desk.get_by_label("Email address").fill(admin.email)
        desk.get_by_label("Password", exact=True).fill(PASSWORD)
        desk.get_by_role("button", name="Sign in").click()
        expect(desk.get_by_role("heading", name="Enter your security code")).to_be_visible()
        desk.get_by_label("Security code").fill(totp_code(db, admin))
        desk.get_by_role("button", name="Continue").click()
        expect(desk.get_by_role("heading", name="Consultations", exact=True)).to_be_visible()

        # Create an open consultation of the BMBF survey.
        slug = f"transport-{uuid4().hex[:6]}"
        desk.get_by_role("button", name="Create a consultation").click()
        desk.get_by_label("Title").fill("Getting around 2027")
        desk.get_by_label("Short name for the chat link").fill(slug)
        desk.get_by_label("Survey").select_option(label="Bright Minds Big Futures survey")
        desk.get_by_label("Open", exact=True).check()
        desk.get_by_role("button", name="Save consultation").click()
        expect(desk.get_by_role("heading", name="Getting around 2027")).to_be_visible()

        # A group, and an audience CSV with one bad row.
        numbers = [new_number(), new_number()]
        csv = (
            "phone,consent_source,consent_date\n"
            f"{numbers[0]},Youth Assembly sign-up form,2026-09-01\n"
            "07700 12,Youth Assembly sign-up form,2026-09-01\n"
            f"{numbers[1]},Youth Assembly sign-up form,2026-09-01\n"
        )
        desk.get_by_role("link", name="Audiences").click()
        desk.get_by_role("button", name="Create a group").click()
        group = f"Youth Assembly {uuid4().hex[:4]}"
        desk.get_by_label("Group name").fill(group)
        desk.get_by_role("button", name="Create group").click()
        desk.get_by_label("Contacts file (CSV)").set_input_files(
            files=[{"name": "contacts.csv", "mimeType": "text/csv", "buffer": csv.encode()}]
        )
        desk.get_by_role("button", name="Import contacts").click()
        expect(desk.locator("#import-errors")).to_contain_text(
            "line 3: phone: not a UK mobile or valid number"
        )
        expect(desk.get_by_text("2 contacts imported, 2 new to this group.")).to_be_visible()
        expect(desk.locator("body")).not_to_contain_text(numbers[0][-9:])  # masked

        # Schedule a wave for now, and let the worker send it through the stand-in.
        desk.goto(f"{base}/console/consultations/{slug}")
        desk.get_by_role("link", name="Waves and reminders").click()
        desk.get_by_label("Name", exact=True).fill("First wave")
        desk.get_by_label("Group to text").select_option(label=group)
        today = datetime.now(UTC)
        desk.get_by_label("Day", exact=True).fill(str(today.day))
        desk.get_by_label("Month", exact=True).fill(str(today.month))
        desk.get_by_label("Year", exact=True).fill(str(today.year))
        desk.get_by_label("Time", exact=True).fill("00:00")
        desk.get_by_role("button", name="Schedule wave").click()
        expect(desk.get_by_text("2 young people will be texted")).to_be_visible()
        jobs = WaveJobs(engine_for(os.environ["DATABASE_URL"]), Settings.from_env())
        assert jobs.dispatch_due() == 2
        sms_world.relay.run_once()
        phones = [Phone(sms_world, number=n) for n in numbers]
        assert all(len(p.inbox()) == 1 for p in phones)  # the invitation

        # Young people answer; the officer watches the counts rise.
        _answer_up_to_q6(phones[0], "b", KELLY)
        desk.goto(f"{base}/console/consultations/{slug}/responses/")
        expect(desk.locator("#count-started")).to_have_text("1")
        _answer_up_to_q6(phones[1], "c", BUSES)
        desk.reload()
        expect(desk.locator("#count-started")).to_have_text("2")
        desk.goto(f"{base}/console/consultations/{slug}/waves/")
        progress = desk.locator("table.yv-progress tbody td")
        expect(progress.nth(1)).to_have_text("2")  # sent
        expect(progress.nth(4)).to_have_text("2")  # started

        # The worker tags the free text; the officer adds the theme the model missed.
        while tag_pending(db, default_analyser()):
            db.commit()
        desk.goto(f"{base}/console/consultations/{slug}/responses/free-text?question=q6_cope")
        answer = desk.locator(".yv-answer", has_text="buses are rubbish")
        answer.get_by_label("Add a theme").select_option(label="Transport and getting around")
        answer.get_by_role("button", name="Add").click()
        answer = desk.locator(".yv-answer", has_text="buses are rubbish")
        expect(answer.locator(".yv-tags")).to_contain_text("Transport and getting around")
        expect(desk.locator(".govuk-notification-banner")).to_contain_text("Transport")
        redacted = desk.locator(".yv-answer", has_text="i talk to my mate")
        expect(redacted).to_contain_text("[PHONE]")
        expect(redacted).not_to_contain_text("07700 900555")

        # Export the answers as XLSX and read the file.
        desk.goto(f"{base}/console/consultations/{slug}/exports/")
        with desk.expect_download() as download:
            desk.get_by_role("link", name="Excel (XLSX) answers").click()
        path = tmp_path / "answers.xlsx"
        download.value.save_as(path)
    finally:
        sms_world.relay.clock = lambda: datetime.now(UTC)
    sheet = load_workbook(path).active
    header = [c.value for c in sheet[1]]
    rows = [
        dict(zip(header, (c.value for c in row), strict=True)) for row in sheet.iter_rows(min_row=2)
    ]
    assert sorted(r["q1_age"] for r in rows) == ["13-14", "15-16"]
    texts = {r["q1_age"]: r["q6_cope"] for r in rows}
    assert texts["15-16"] == BUSES
    assert texts["13-14"] == "i talk to my mate [NAME] on [PHONE] and go to the youth club"
    assert all(r["q2_happy"] == "(skipped)" for r in rows)
    assert {r["status"] for r in rows} == {"in_progress"}
