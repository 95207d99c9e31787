"""Responses in the console: counts, the funnel and charts without JavaScript, free text shown
escaped and redacted, theme tags corrected by officers, and exports that cannot run formulas."""

from __future__ import annotations

import csv
import io
import re

import pytest
from openpyxl import load_workbook
from sqlmodel import select

from analysis.themes import default_analyser
from surveys.models import AnswerTag, AuditEvent, TagStatus
from surveys.theme_tags import tag_pending
from tests.support.console import sign_in, staff_user
from tests.support.themes import Reply, answered_consultation

XSS = '<script>alert("xss")</script><img src=x onerror=alert(1)> the buses are rubbish'
FORMULA = '=HYPERLINK("http://evil.example","click me") buses'


@pytest.fixture
def answered(db):
    replies = [
        Reply("the buses never come after 6, ring my sw on 07700 900123", age="13-14"),
        Reply(XSS, age="13-14"),
        Reply(FORMULA, age="15-16"),
        Reply("more youth clubs open at weekends please", age="15-16"),
    ]
    consultation, ids = answered_consultation(db, replies)
    analyser = default_analyser()
    while tag_pending(db, analyser):
        db.commit()
    return consultation, ids


@pytest.fixture
def officer(app_without_bot, db):
    client = app_without_bot.test_client()
    return client, sign_in(client, staff_user(db, "participation_officer")).token


def test_the_overview_counts_people_and_draws_charts_as_svg(officer, answered):
    client, _ = officer
    consultation, _ = answered
    page = client.get(f"/console/consultations/{consultation.slug}/responses/").get_data(True)
    assert re.search(r'id="count-completed">4<', page)
    funnel = re.search(r'<table class="govuk-table" id="funnel">(.*?)</table>', page, re.S).group(1)
    age_row = re.search(r"1\. How old are you\?</th>(.*?)</tr>", funnel, re.S).group(1)
    assert re.findall(r">(\d+)</td>", age_row) == ["4", "4", "0"]
    svg = re.search(
        r'<svg class="yv-chart"[^>]*aria-labelledby="chart-q1_age-title[^>]*>.*?</svg>', page, re.S
    ).group(0)
    assert "13-14" in svg and "2 (50%)" in svg and "<script" not in svg


def test_free_text_is_redacted_and_escaped_and_tags_can_be_corrected(officer, answered, db):
    client, token = officer
    consultation, ids = answered
    base = f"/console/consultations/{consultation.slug}/responses"
    url = f"{base}/free-text?question=q17_council_for_a_day"
    page = client.get(url).get_data(as_text=True)
    assert "07700 900123" not in page and "[PHONE]" in page
    assert "<script>alert" not in page and "&lt;script&gt;alert(" in page
    assert "<img src=x" not in page

    answer = ids[3]  # youth clubs
    suggested = db.exec(select(AnswerTag).where(AnswerTag.answer_id == answer)).all()
    assert suggested, "the model suggested at least one theme"
    first = suggested[0].code
    added = next(c for c in ("PLACES", "SEND", "CARER") if c not in {t.code for t in suggested})
    resp = client.post(
        f"/console/consultations/{consultation.slug}/responses/free-text/{answer}/tags",
        data={"code": first, "action": "remove", "csrf_token": token},
    )
    assert resp.status_code == 302 and f"#answer-{answer}" in resp.headers["Location"]
    client.post(
        f"/console/consultations/{consultation.slug}/responses/free-text/{answer}/tags",
        data={"code": added, "action": "add", "csrf_token": token},
    )
    db.expire_all()
    tags = {t.code: t for t in db.exec(select(AnswerTag).where(AnswerTag.answer_id == answer))}
    assert tags[first].status == TagStatus.REMOVED
    assert tags[added].status == TagStatus.ADDED and tags[added].decided_by is not None
    bad = client.post(
        f"/console/consultations/{consultation.slug}/responses/free-text/{answer}/tags",
        data={"code": "NOPE", "action": "add", "csrf_token": token},
        follow_redirects=True,
    )
    assert "The tag was not changed: unknown theme code" in bad.get_data(as_text=True)


def test_the_theme_summary_page_shows_themes_and_redacted_quotes(officer, answered):
    client, _ = officer
    consultation, _ = answered
    page = client.get(f"/console/consultations/{consultation.slug}/responses/themes").get_data(True)
    assert "4 free-text answers analysed" in page
    assert "07700 900123" not in page
    assert '<svg class="yv-chart"' in page


def _download(client, consultation, table, fmt):
    resp = client.get(f"/console/consultations/{consultation.slug}/exports/{table}.{fmt}")
    assert resp.status_code == 200
    assert resp.headers["Content-Disposition"].startswith("attachment;")
    assert resp.headers["Cache-Control"] == "no-store"
    return resp


def test_xlsx_and_csv_exports_neutralise_formulas_redact_and_are_audited(officer, answered, db):
    client, _ = officer
    consultation, _ = answered
    book = load_workbook(io.BytesIO(_download(client, consultation, "answers", "xlsx").data))
    sheet = book.active
    header = [c.value for c in sheet[1]]
    column = header.index("q17_council_for_a_day")
    texts = [row[column].value for row in sheet.iter_rows(min_row=2)]
    assert len(texts) == 4
    formula_cell = next(
        row[column] for row in sheet.iter_rows(min_row=2) if "HYPERLINK" in str(row[column].value)
    )
    assert formula_cell.data_type == "s" and formula_cell.value.startswith("'=")
    assert not any("07700 900123" in (t or "") for t in texts)
    ages = [row[header.index("q1_age")].value for row in sheet.iter_rows(min_row=2)]
    assert sorted(ages) == ["13-14", "13-14", "15-16", "15-16"]

    text = _download(client, consultation, "answers", "csv").data.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    cell = next(v for r in rows for v in r if "HYPERLINK" in v)
    assert cell.startswith("'=")
    themes = _download(client, consultation, "themes", "xlsx")
    assert load_workbook(io.BytesIO(themes.data)).active["A1"].value == "question"
    exports = db.exec(
        select(AuditEvent)
        .where(
            AuditEvent.action == "export", AuditEvent.target == f"consultation:{consultation.id}"
        )
        .order_by(AuditEvent.id)
    ).all()
    assert [(e.detail["table"], e.detail["format"]) for e in exports] == [
        ("answers", "xlsx"),
        ("answers", "csv"),
        ("themes", "xlsx"),
    ]
