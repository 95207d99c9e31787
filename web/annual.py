"""Console: the theme summary of a reporting year (1 April to 31 March) across every
consultation, compared with the year before: what the annual voice-of-the-child report uses.

    GET /console/annual/          the current reporting year
    GET /console/annual/<year>    reporting year YEAR/YEAR+1
"""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, url_for

from analysis.themes import default_analyser
from surveys.models import utcnow
from surveys.theme_year import FIRST_MONTH, UK, BadYear, summarise_year
from web.charts import bar_chart
from web.database import db_session
from web.permissions import Permission, require

bp = Blueprint("annual", __name__, url_prefix="/console/annual")


def current_year() -> int:
    """The reporting year today falls in (UK time)."""
    today = utcnow().astimezone(UK)
    return today.year if today.month >= FIRST_MONTH else today.year - 1


@bp.get("/")
@require(Permission.VIEW_THEMES)
def index():  # noqa: ANN201
    return redirect(url_for("annual.year", year=current_year()))


@bp.get("/<int:year>")
@require(Permission.VIEW_THEMES)
def year(year: int):  # noqa: ANN201
    with db_session() as s:
        try:
            summary = summarise_year(s, year, default_analyser())
        except BadYear:
            abort(404)
    chart = None
    if summary["answers"]:
        chart = bar_chart(
            "chart-year-themes",
            f"Themes across all free-text answers, {summary['year']}",
            [(t["name"], t["count"]) for t in summary["themes"]],
            summary["answers"],
        )
    return render_template(
        "annual/year.html",
        summary=summary,
        chart=chart,
        year=year,
        current=current_year(),
    )
