"""Fixed bot texts that are not part of a survey definition.

Every text here must be calm, plain and honest: none may promise secrecy or confidentiality.
SMS variants fit one GSM-7 segment where the text allows.
"""

from __future__ import annotations

from surveys.settings import Settings

CHILDLINE = "Childline 0800 1111"


def help_text(settings: Settings, channel: str, question_help: str = "") -> str:
    if channel == "sms":
        return (
            "Reply to the question, or SKIP to skip it, STOP to stop. "
            "Need to talk now? Childline 0800 1111, free."
        )
    lead = f"{question_help}\n\n" if question_help else ""
    return (
        f"{lead}Answer by tapping a button or typing your answer. "
        "Type SKIP to skip a question or STOP to stop. You don't have to answer anything you "
        f"don't want to. Need to talk to someone now? {CHILDLINE} is free, any time."
    )


def bot_text(settings: Settings, channel: str) -> str:
    return (
        f"Yes, I'm a chatbot: an automatic helper from {settings.council_name}. "
        "Real people in the Youth Voice team read what young people tell us."
    )


def privacy_text(settings: Settings, channel: str) -> str:
    if channel == "sms":
        return (
            "The Youth Voice team reads answers. We don't ask your name. If you tell us you "
            "might be at risk, a person will read it to help keep you safe."
        )
    return (
        f"The Youth Voice team at {settings.council_name} reads the answers. We don't ask for "
        "your name, and reports only show things many young people said, never who said them. "
        "This is not confidential if you tell us that you or someone else might be at risk of "
        "harm: then a person from the team will read it to help keep you safe."
    )


def human_text(settings: Settings, channel: str) -> str:
    return (
        f"You can talk to a real person: contact {settings.team_contact}. "
        f"If you need to talk to someone right now, {CHILDLINE} is free, any time. "
        "In an emergency call 999."
    )


def repeat_text(settings: Settings, channel: str) -> str:
    return "No problem, here it is again:"


def reprompt_lead(channel: str) -> str:
    return "Sorry, we didn't get that." if channel == "sms" else "Sorry, I didn't get that."


def moving_on_text(channel: str) -> str:
    return "No problem, let's move on."


def opt_out_confirm_text(channel: str) -> str:
    return "Do you want to stop? Reply STOP to stop, or answer the question to carry on."


def stopped_text(settings: Settings, channel: str) -> str:
    return (
        "OK, we've stopped. We won't ask you any more questions. "
        "If you change your mind, send START. Thanks for your time."
    )


def declined_text(channel: str) -> str:
    return "No problem. If you change your mind, send START any time."


def already_done_text(channel: str) -> str:
    return "You've already finished this survey. Thank you! We'll share what young people said."


def no_survey_text(settings: Settings, channel: str) -> str:
    return (
        "There is no survey open right now. "
        f"Thanks for getting in touch with {settings.council_name}."
    )


def out_of_scope_text(channel: str) -> str:
    return "Sorry, I can only help with the survey. Send HELP if you're stuck."


def goodbye_text(channel: str) -> str:
    return "Bye for now! You can come back and carry on any time."


def thanks_text(channel: str) -> str:
    return "You're welcome!"


def getting_ready_text(channel: str) -> str:
    """Said when a chat opens while the bot is unavailable."""
    return "Hi! We're getting things ready. We'll say hello here in a moment."


def saved_later_text(channel: str) -> str:
    """Said when the bot is unavailable: the message is kept and answered later."""
    return "Thanks, your message is saved. We'll reply soon."


def resume_text(channel: str) -> str:
    """After a safeguarding reply, the next message picks the survey up again."""
    if channel == "sms":
        return "Thanks for coming back. Here's where we were:"
    return "Thanks for coming back. When you're ready, here's where we were:"
