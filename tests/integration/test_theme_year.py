"""The theme summary of a reporting year (1 April to 31 March) across consultations, with the
year before for comparison: what the annual voice-of-the-child report is built from."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from sqlmodel import Session, select

from analysis.themes import default_analyser
from surveys.models import Answer
from surveys.theme_summary import SUPPRESS
from surveys.theme_tags import tag_pending
from surveys.theme_year import BadYear, summarise_year
from tests.support.cli import youthvoice
from tests.support.console import sign_in, staff_user
from tests.support.themes import Reply, answered_consultation

BUSES = "the buses are rubbish, the 7 never comes after 6 and the fare is too dear"
CLUB = "the youth club shut so theres nothing to do round here, my mate Kayleigh Smith agrees"
# Years nothing else in the suite writes to (answers are otherwise dated today).
YEAR = 2031


def _given_on(db: Session, answer_ids: list[int], when: datetime) -> None:
    for answer in db.exec(select(Answer).where(Answer.id.in_(answer_ids))):
        answer.created_at = when
        db.add(answer)
    db.commit()


@pytest.fixture(scope="module")
def analyser():
    analyser = default_analyser()
    assert analyser is not None, "the theme pipeline is not built: run `make setup`"
    return analyser


@pytest.fixture(scope="module")
def two_years(prepared_db, analyser):
    """Year YEAR: two consultations (buses x SUPPRESS, club x 3); the year before: clubs only
    (SUPPRESS answers); plus answers either side of the 31 March / 1 April boundary."""
    from surveys.db import engine_for

    with Session(engine_for(prepared_db)) as db:
        buses, bus_ids = answered_consultation(
            db, [Reply(f"{BUSES} ({n})", age="13-14") for n in range(SUPPRESS)]
        )
        clubs, club_ids = answered_consultation(db, [Reply(f"{CLUB} ({n})") for n in range(3)])
        _, before_ids = answered_consultation(
            db, [Reply(f"{CLUB} last year ({n})") for n in range(SUPPRESS)]
        )
        _, (last_day,) = answered_consultation(db, [Reply(BUSES + " on the last day")])
        _, (next_year,) = answered_consultation(db, [Reply(BUSES + " next year")])
        while tag_pending(db, analyser):
            db.commit()
        _given_on(db, bus_ids + club_ids, datetime(YEAR, 6, 1, 12, tzinfo=UTC))
        _given_on(db, before_ids, datetime(YEAR - 1, 9, 1, 12, tzinfo=UTC))
        # 23:59 on 31 March and 00:00 on 1 April, UK summer time (BST is UTC+1).
        _given_on(db, [last_day], datetime(YEAR + 1, 3, 31, 22, 59, tzinfo=UTC))
        _given_on(db, [next_year], datetime(YEAR + 1, 3, 31, 23, 0, tzinfo=UTC))
        return {"buses": buses.slug, "clubs": clubs.slug}


def test_a_year_counts_its_own_answers_across_consultations(db, analyser, two_years):
    data = summarise_year(db, YEAR, analyser)
    assert data["year"] == f"{YEAR}/{(YEAR + 1) % 100}"
    assert (data["from"], data["to"]) == (f"{YEAR}-04-01", f"{YEAR + 1}-03-31")
    # SUPPRESS bus answers + 3 club answers + the one given at 23:59 on 31 March.
    assert data["answers"] == SUPPRESS + 3 + 1
    slugs = {c["slug"]: c["answers"] for c in data["consultations"]}
    assert slugs[two_years["buses"]] == SUPPRESS and slugs[two_years["clubs"]] == 3
    themes = {t["code"]: t for t in data["themes"]}
    assert themes["TRANS"]["count"] >= SUPPRESS
    assert themes["TRANS"]["share"] == round(themes["TRANS"]["count"] / data["answers"], 3)
    assert themes["TRANS"]["principles"] and themes["TRANS"]["quotes"]
    quotes = [q for t in data["themes"] for q in t["quotes"]]
    assert quotes and all("Kayleigh" not in q and "Smith" not in q for q in quotes)
    ages = {row["group"]: row for row in data["breakdowns"]["age_band"]}
    assert ages["13-14"]["answers"] == SUPPRESS and not ages["13-14"]["suppressed"]
    assert ages["not recorded"]["suppressed"]  # 4 answers: withheld
    assert "emerging" in data


def test_each_theme_is_compared_with_the_year_before(db, analyser, two_years):
    data = summarise_year(db, YEAR, analyser)
    assert data["previous_year"] == {"year": f"{YEAR - 1}/{YEAR % 100}", "answers": SUPPRESS}
    trans = next(t for t in data["themes"] if t["code"] == "TRANS")
    before = trans["previous_year"]
    assert not before["suppressed"] and before["count"] < SUPPRESS  # last year was clubs
    assert before["change_points"] == round((trans["share"] - before["share"]) * 100, 1)
    assert before["change_points"] > 0  # buses came up this year
    # The year before has no year before it in the data: nothing to compare, so withheld.
    earlier = summarise_year(db, YEAR - 1, analyser)
    assert earlier["answers"] == SUPPRESS
    assert all(t["previous_year"]["suppressed"] for t in earlier["themes"])


def test_an_answer_on_1_april_belongs_to_the_next_year(db, analyser, two_years):
    assert summarise_year(db, YEAR + 1, analyser)["answers"] == 1


def test_an_empty_year_and_an_impossible_year(db):
    empty = summarise_year(db, 2099)
    assert empty["answers"] == 0 and empty["themes"] == [] and empty["consultations"] == []
    with pytest.raises(BadYear):
        summarise_year(db, 99999)


def test_the_console_api_and_the_command(app_without_bot, db, two_years, tmp_path):
    client = app_without_bot.test_client()
    sign_in(client, staff_user(db, "viewer"), db=db)
    resp = client.get(f"/console/api/themes/years/{YEAR}")
    assert resp.status_code == 200 and resp.get_json()["answers"] == SUPPRESS + 4
    assert client.get("/console/api/themes/years/99999").status_code == 404

    out = tmp_path / "year.json"
    done = youthvoice("analyse", "year-summary", str(YEAR), "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert json.loads(out.read_text(encoding="utf-8"))["answers"] == SUPPRESS + 4
    bad = youthvoice("analyse", "year-summary", "99999")
    assert bad.returncode == 1 and "between 2000 and 2100" in bad.stderr


def test_the_console_page_compares_the_year_with_the_one_before(app_without_bot, db, two_years):
    client = app_without_bot.test_client()
    sign_in(client, staff_user(db, "iro"), db=db)
    assert client.get("/console/annual/").status_code == 302  # to the current year
    page = client.get(f"/console/annual/{YEAR}").get_data(as_text=True)
    assert f"Themes of the year {YEAR}/{(YEAR + 1) % 100}" in page
    assert "Transport and getting around" in page
    assert f"Share in {YEAR - 1}/{YEAR % 100}" in page and "Change (points)" in page
    assert "Kayleigh" not in page and "Smith" not in page  # quotes are redacted
    assert "<svg" in page  # the chart, drawn on the server
    earlier = client.get(f"/console/annual/{YEAR - 1}").get_data(as_text=True)
    assert "not shown" in earlier  # no year before it to compare with
    assert client.get("/console/annual/99999").status_code == 404


def test_answers_waiting_for_the_worker_are_counted_not_summarised(db, analyser):
    year = YEAR + 5  # a year nothing else writes to
    _, ids = answered_consultation(db, [Reply(f"{BUSES} still waiting ({n})") for n in range(2)])
    _given_on(db, ids, datetime(year, 6, 1, 12, tzinfo=UTC))
    waiting = summarise_year(db, year, analyser)
    assert (waiting["not_yet_analysed"], waiting["answers"]) == (2, 0)
    while tag_pending(db, analyser):
        db.commit()
    done = summarise_year(db, year, analyser)
    assert (done["not_yet_analysed"], done["answers"]) == (0, 2)
