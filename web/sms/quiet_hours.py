"""Quiet hours: no wave or reminder is sent at night (UK time)."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

UK = ZoneInfo("Europe/London")


def in_quiet_hours(now: datetime, start: time, end: time) -> bool:
    """True when `now` (aware) falls in [start, end) in UK time; the window may cross midnight."""
    t = now.astimezone(UK).time()
    if start <= end:
        return start <= t < end
    return t >= start or t < end


def quiet_hours_end(now: datetime, start: time, end: time) -> datetime:
    """When the current quiet window ends (aware UTC), or `now` if it is not quiet."""
    if not in_quiet_hours(now, start, end):
        return now
    local = now.astimezone(UK)
    opening = local.replace(hour=end.hour, minute=end.minute, second=0, microsecond=0)
    if opening <= local:
        opening = (local + timedelta(days=1)).replace(
            hour=end.hour, minute=end.minute, second=0, microsecond=0
        )
    # Rebuild in the zone so a clock change overnight gives the right UTC instant.
    opening = datetime(opening.year, opening.month, opening.day, end.hour, end.minute, tzinfo=UK)
    return opening.astimezone(ZoneInfo("UTC"))
