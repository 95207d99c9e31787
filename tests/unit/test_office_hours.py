"""Office hours in UK time, with England's bank holidays, and how the next opening is said."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from web.safeguarding.office_hours import OfficeHours

OFFICE = OfficeHours.parse("Mon-Fri 09:00-17:00")


@pytest.mark.parametrize(
    ("when", "open_"),
    [
        (datetime(2026, 11, 25, 10, 0, tzinfo=UTC), True),  # Wednesday, GMT
        (datetime(2026, 11, 25, 17, 0, tzinfo=UTC), False),  # closing time
        (datetime(2026, 11, 28, 11, 0, tzinfo=UTC), False),  # Saturday
        (datetime(2026, 12, 25, 11, 0, tzinfo=UTC), False),  # Christmas Day
        (datetime(2026, 7, 1, 8, 30, tzinfo=UTC), True),  # 09:30 BST
        (datetime(2026, 7, 1, 16, 30, tzinfo=UTC), False),  # 17:30 BST
    ],
)
def test_is_open(when, open_):
    assert OFFICE.is_open(when) is open_


def test_next_opening_is_described_for_a_child():
    assert OFFICE.describe_next_opening(datetime(2026, 11, 25, 20, 0, tzinfo=UTC)) == (
        "tomorrow at 9am"
    )
    assert OFFICE.describe_next_opening(datetime(2026, 11, 27, 20, 0, tzinfo=UTC)) == (
        "on Monday at 9am"
    )
    assert OFFICE.describe_next_opening(datetime(2026, 11, 25, 6, 0, tzinfo=UTC)) == (
        "this morning at 9am"
    )
    # Christmas Eve 2026 is a Thursday: Friday and Monday are bank holidays.
    assert OFFICE.describe_next_opening(datetime(2026, 12, 24, 20, 0, tzinfo=UTC), short=True) == (
        "on Tue at 9am"
    )


@pytest.mark.parametrize("spec", ["", "9 to 5", "Mon-Fri 17:00-09:00", "Mon-Xyz 09:00-17:00"])
def test_a_bad_setting_is_a_clear_error(spec):
    with pytest.raises(ValueError, match="OFFICE_HOURS"):
        OfficeHours.parse(spec)
