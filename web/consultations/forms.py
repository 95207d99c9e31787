"""Forms for consultations and survey questions (GOV.UK widgets)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from govuk_frontend_wtf.wtforms_widgets import (
    GovFileInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    DateField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional, Regexp

from surveys.models import QuestionType
from web.widgets import DateInput

STATUSES = [
    ("draft", "Draft: not open to young people yet"),
    ("open", "Open"),
    ("closed", "Closed"),
]
TYPES = [
    (QuestionType.SINGLE.value, "One answer from a list"),
    (QuestionType.MULTI.value, "Several answers from a list"),
    (QuestionType.SCALE.value, "A number on a scale"),
    (QuestionType.YESNO.value, "Yes, no or not sure"),
    (QuestionType.TEXT.value, "Their own words"),
]
SLUG = Regexp(
    r"^[a-z0-9][a-z0-9_-]{0,63}$",
    message="Use lower-case letters, numbers, hyphens and underscores only",
)
KEY = Regexp(
    r"^[a-z0-9][a-z0-9_]{0,63}$",
    message="Use lower-case letters, numbers and underscores only, like q3_school",
)


class ConsultationForm(FlaskForm):
    title = StringField(
        "Title",
        widget=GovTextInput(),
        validators=[InputRequired(message="Enter a title"), Length(max=200)],
    )
    slug = StringField(
        "Short name for the chat link",
        widget=GovTextInput(),
        validators=[InputRequired(message="Enter a short name"), SLUG],
    )
    survey = SelectField(
        "Survey", widget=GovSelect(), validators=[InputRequired(message="Select a survey")]
    )
    description = TextAreaField(
        "What it is about", widget=GovTextArea(), validators=[Optional(), Length(max=2000)]
    )
    audience = StringField(
        "Target audience", widget=GovTextInput(), validators=[Optional(), Length(max=200)]
    )
    group = SelectField("Group to invite", widget=GovSelect(), validators=[Optional()])
    opens_at = DateField("Opens", format="%d %m %Y", widget=DateInput(), validators=[Optional()])
    closes_at = DateField("Closes", format="%d %m %Y", widget=DateInput(), validators=[Optional()])
    status = RadioField(
        "Status",
        widget=GovRadioInput(),
        choices=STATUSES,
        validators=[InputRequired(message="Select a status")],
    )
    submit = SubmitField("Save consultation", widget=GovSubmitInput())

    def validate(self, extra_validators=None) -> bool:  # noqa: ANN001
        ok = super().validate(extra_validators)
        if self.opens_at.data and self.closes_at.data and self.closes_at.data < self.opens_at.data:
            self.closes_at.errors.append("The closing date must be on or after the opening date")
            ok = False
        return ok


class ImportForm(FlaskForm):
    file = FileField("Survey file (YAML)", widget=GovFileInput())
    text = TextAreaField(
        "Or paste the YAML", widget=GovTextArea(), validators=[Optional(), Length(max=200_000)]
    )
    submit = SubmitField("Import survey", widget=GovSubmitInput())


class QuestionForm(FlaskForm):
    key = StringField(
        "Question key",
        widget=GovTextInput(),
        validators=[InputRequired(message="Enter a key"), KEY],
    )
    type = RadioField(
        "Type of answer",
        widget=GovRadioInput(),
        choices=TYPES,
        validators=[InputRequired(message="Select the type of answer")],
    )
    text = TextAreaField(
        "Question for web chat",
        widget=GovTextArea(),
        validators=[InputRequired(message="Enter the question"), Length(max=500)],
    )
    sms = TextAreaField(
        "Question for SMS", widget=GovTextArea(), validators=[Optional(), Length(max=160)]
    )
    help = StringField("Help text", widget=GovTextInput(), validators=[Optional()])
    options = TextAreaField(
        "Options, one per line", widget=GovTextArea(), validators=[Optional(), Length(max=2000)]
    )
    scale_min = IntegerField(
        "Lowest number", widget=GovTextInput(), validators=[Optional(), NumberRange(0, 1)]
    )
    scale_max = IntegerField(
        "Highest number", widget=GovTextInput(), validators=[Optional(), NumberRange(2, 10)]
    )
    scale_low = StringField(
        "Label for the lowest", widget=GovTextInput(), validators=[Optional(), Length(max=40)]
    )
    scale_high = StringField(
        "Label for the highest", widget=GovTextInput(), validators=[Optional(), Length(max=40)]
    )
    submit = SubmitField("Save question", widget=GovSubmitInput())


class WaveForm(FlaskForm):
    name = StringField(
        "Name",
        widget=GovTextInput(),
        validators=[InputRequired(message="Enter a name for this wave"), Length(max=200)],
    )
    group = SelectField(
        "Group to text", widget=GovSelect(), validators=[InputRequired(message="Select a group")]
    )
    start_date = DateField(
        "Date",
        format="%d %m %Y",
        widget=DateInput(),
        validators=[InputRequired(message="Enter the date to send it")],
    )
    start_time = StringField(
        "Time",
        widget=GovTextInput(),
        validators=[
            InputRequired(message="Enter the time to send it"),
            Regexp(
                r"^([01]?\d|2[0-3]):[0-5]\d$", message="Enter a time like 17:30 (24-hour clock)"
            ),
        ],
    )
    reminder_after_days = IntegerField(
        "Send a reminder after (days)",
        widget=GovTextInput(),
        validators=[Optional(), NumberRange(1, 28, message="Enter a number of days from 1 to 28")],
    )
    submit = SubmitField("Schedule wave", widget=GovSubmitInput())


class SurveyForm(FlaskForm):
    slug = StringField(
        "Short name",
        widget=GovTextInput(),
        validators=[InputRequired(message="Enter a short name"), SLUG],
    )
    title = StringField(
        "Title",
        widget=GovTextInput(),
        validators=[InputRequired(message="Enter a title"), Length(max=200)],
    )
    description = TextAreaField(
        "Description", widget=GovTextArea(), validators=[Optional(), Length(max=2000)]
    )
    audience = StringField(
        "Who it is for", widget=GovTextInput(), validators=[Optional(), Length(max=200)]
    )
    intro_web = TextAreaField(
        "Welcome message for web chat",
        widget=GovTextArea(),
        validators=[InputRequired(message="Enter the welcome message"), Length(max=1200)],
    )
    intro_sms = TextAreaField(
        "Welcome text message",
        widget=GovTextArea(),
        validators=[InputRequired(message="Enter the welcome text"), Length(max=160)],
    )
    outro_web = TextAreaField(
        "Thank-you message for web chat",
        widget=GovTextArea(),
        validators=[InputRequired(message="Enter the thank-you message"), Length(max=1200)],
    )
    outro_sms = TextAreaField(
        "Thank-you text message",
        widget=GovTextArea(),
        validators=[InputRequired(message="Enter the thank-you text"), Length(max=160)],
    )
    submit = SubmitField("Save survey", widget=GovSubmitInput())
