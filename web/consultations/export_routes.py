"""Exports: answers and theme tables as CSV or XLSX, served as attachments and audited."""

from __future__ import annotations

from flask import Response, abort, render_template

from surveys import audit
from surveys.exports import answer_table, theme_table, to_csv, to_xlsx
from surveys.theme_summary import summarise
from web.consultations import exports_bp as bp
from web.consultations.routes import consultation_or_404
from web.database import db_session, staff_id
from web.permissions import Permission, require

MIMETYPES = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
TABLES = {"answers": "Answers", "themes": "Themes"}


@bp.get("/")
@require(Permission.EXPORT)
def index(slug: str):
    with db_session() as s:
        c = consultation_or_404(s, slug)
    return render_template("exports/index.html", c=c, tables=TABLES)


@bp.get("/<table>.<fmt>")
@require(Permission.EXPORT)
def download(slug: str, table: str, fmt: str):
    if table not in TABLES or fmt not in MIMETYPES:
        abort(404)
    with db_session() as s:
        c = consultation_or_404(s, slug)
        if table == "answers":
            header, rows = answer_table(s, c)
        else:
            header, rows = theme_table(summarise(s, slug))
        body = to_csv(header, rows) if fmt == "csv" else to_xlsx(TABLES[table], header, rows)
        audit.record(
            s,
            "export",
            actor_id=staff_id(),
            target=f"consultation:{c.id}",
            detail={"table": table, "format": fmt, "rows": len(rows)},
        )
        s.commit()
    return Response(
        body,
        mimetype=MIMETYPES[fmt],
        headers={
            "Content-Disposition": f'attachment; filename="{slug}-{table}.{fmt}"',
            "Cache-Control": "no-store",
        },
    )
