"""When a person from the team is at work: weekdays and times in UK time, minus bank holidays."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

UK = ZoneInfo("Europe/London")
DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
SPEC = re.compile(r"^\s*(\w{3})\s*-\s*(\w{3})\s+(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")


@lru_cache(maxsize=1)
def _bank_holidays() -> holidays.HolidayBase:
    return holidays.country_holidays("GB", subdiv="ENG")


@dataclass(frozen=True)
class OfficeHours:
    first_day: int
    last_day: int
    opens: time
    closes: time

    @classmethod
    def parse(cls, spec: str) -> OfficeHours:
        """'Mon-Fri 09:00-17:00' (UK time). Raises ValueError with the expected form."""
        m = SPEC.match(spec or "")
        if not m or m.group(1).lower() not in DAYS or m.group(2).lower() not in DAYS:
            raise ValueError(f"OFFICE_HOURS must look like 'Mon-Fri 09:00-17:00', not {spec!r}")
        opens = time(int(m.group(3)), int(m.group(4)))
        closes = time(int(m.group(5)), int(m.group(6)))
        if opens >= closes:
            raise ValueError("OFFICE_HOURS must open before it closes")
        return cls(DAYS.index(m.group(1).lower()), DAYS.index(m.group(2).lower()), opens, closes)

    def _working_day(self, d: date) -> bool:
        return self.first_day <= d.weekday() <= self.last_day and d not in _bank_holidays()

    def is_open(self, when: datetime) -> bool:
        local = when.astimezone(UK)
        return self._working_day(local.date()) and self.opens <= local.time() < self.closes

    def next_opening(self, when: datetime) -> datetime:
        """The next moment the office opens (UK time), after `when`."""
        local = when.astimezone(UK)
        day = local.date()
        if local.time() >= self.opens:
            day += timedelta(days=1)
        while not self._working_day(day):
            day += timedelta(days=1)
        return datetime.combine(day, self.opens, tzinfo=UK)

    def describe_next_opening(self, when: datetime, short: bool = False) -> str:
        """'this morning at 9am', 'tomorrow at 9am', 'on Monday at 9am' (or 'Mon 9am')."""
        opening = self.next_opening(when)
        today = when.astimezone(UK).date()
        hour = opening.strftime("%-I:%M%p").lower().replace(":00", "")
        if opening.date() == today:
            return f"at {hour}" if short else f"this morning at {hour}"
        if opening.date() == today + timedelta(days=1):
            return f"tomorrow at {hour}"
        return f"on {opening:%a} at {hour}" if short else f"on {opening:%A} at {hour}"
