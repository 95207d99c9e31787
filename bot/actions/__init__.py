"""Custom actions for the Rasa bot (run by the rasa-sdk action server in .venv)."""

from bot.actions.survey import (  # noqa: F401
    ActionAskAnswer,
    ActionBeginSurvey,
    ActionIntroduce,
    ActionReply,
    ActionSessionStart,
    ActionStopSurvey,
    ActionSurveyFinished,
    ValidateSurveyForm,
)
