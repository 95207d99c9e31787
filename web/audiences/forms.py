"""Forms for audience groups and contact imports."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from govuk_frontend_wtf.wtforms_widgets import (
    GovFileInput,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import StringField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional


class GroupForm(FlaskForm):
    name = StringField(
        "Group name",
        widget=GovTextInput(),
        validators=[InputRequired(message="Enter a group name"), Length(max=120)],
    )
    description = TextAreaField(
        "Description", widget=GovTextArea(), validators=[Optional(), Length(max=1000)]
    )
    submit = SubmitField("Create group", widget=GovSubmitInput())


class ImportForm(FlaskForm):
    file = FileField("Contacts file (CSV)", widget=GovFileInput())
    submit = SubmitField("Import contacts", widget=GovSubmitInput())
