"""What a young person is told after a possible disclosure.

Calm, not judging, and honest: it never promises to keep a secret. It says a person will read
the message and when, and gives 999, Childline and Shout for now (reliability-notes §3.3).
"""

from __future__ import annotations

from datetime import datetime

from web.safeguarding.office_hours import OfficeHours


def signposting_text(channel: str, office: OfficeHours, now: datetime) -> str:
    open_now = office.is_open(now)
    if channel == "sms":  # two GSM-7 segments at most
        when = "today" if open_now else office.describe_next_opening(now, short=True)
        return (
            "Thank you for telling us. We can't keep this just between us because we want you "
            f"to be safe, so a person from our team will read it {when}. In danger now? Call "
            "999. Childline: 0800 1111. Or text SHOUT to 85258. Both free, 24/7."
        )
    if open_now:
        when = "A person from our team will read your message soon, today."
    else:
        when = (
            "Our office is closed right now, so a person from our team will read your message "
            f"{office.describe_next_opening(now)}."
        )
    return (
        "Thank you for telling us. You did the right thing. We can't keep this just between "
        f"us, because we want you to be safe. {when}\n\n"
        "If you are in danger right now, call 999.\n"
        "You can talk to Childline any time: call 0800 1111, free.\n"
        "Or text SHOUT to 85258, free, 24/7.\n\n"
        "You can carry on with the survey whenever you want. Just send a message."
    )
