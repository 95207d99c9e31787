"""Audiences from CSV: phone numbers with the consent (or lawful basis) recorded for each.

Nobody is imported without a consent source and date, so nobody can be texted without one.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from sqlmodel import Session

from surveys.models import Participant
from surveys.participants import participant_for_phone
from surveys.phones import InvalidPhoneNumber, to_e164

REQUIRED = ("phone", "consent_source", "consent_date")


@dataclass
class ImportReport:
    participants: list[Participant] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # "line N: problem" (never the number)
    added: int = 0  # how many joined a group (set by the caller that adds them)


def _read(raw: bytes) -> list[dict[str, str]] | str:
    if b"\x00" in raw:
        return "the file is binary, not CSV text"
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return "the file is not UTF-8 text"
    try:
        reader = csv.DictReader(io.StringIO(text))
        missing = [c for c in REQUIRED if c not in (reader.fieldnames or [])]
        if missing:
            return f"missing column(s): {', '.join(missing)} (needed: {', '.join(REQUIRED)})"
        return list(reader)
    except csv.Error as exc:
        return f"not valid CSV: {exc}"


def import_contacts(session: Session, data_key: str | None, raw: bytes) -> ImportReport:
    """Create or update SMS participants from CSV bytes; bad rows are reported, not imported."""
    report = ImportReport()
    rows = _read(raw)
    if isinstance(rows, str):
        report.errors.append(f"line 1: {rows}")
        return report
    seen: set[str] = set()
    for line, row in enumerate(rows, start=2):
        try:
            e164 = to_e164(row.get("phone") or "")
        except InvalidPhoneNumber:
            report.errors.append(f"line {line}: phone: not a UK mobile or valid number")
            continue
        source = (row.get("consent_source") or "").strip()
        if not source:
            report.errors.append(f"line {line}: consent_source is required")
            continue
        try:
            consent_day = date.fromisoformat((row.get("consent_date") or "").strip())
        except ValueError:
            report.errors.append(f"line {line}: consent_date must be a date like 2026-11-01")
            continue
        if consent_day > date.today():
            report.errors.append(f"line {line}: consent_date is in the future")
            continue
        if e164 in seen:
            report.errors.append(f"line {line}: the same number appears earlier; skipped")
            continue
        seen.add(e164)
        p = participant_for_phone(session, data_key, e164)
        p.consent_source = source[:120]
        p.consent_at = datetime(consent_day.year, consent_day.month, consent_day.day, tzinfo=UTC)
        session.add(p)
        report.participants.append(p)
    session.flush()
    return report
