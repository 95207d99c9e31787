"""Fixes for govuk-frontend-wtf 3.2 widgets (it predates GOV.UK Frontend 6)."""

from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import GovDateInput


class DateInput(GovDateInput):
    """GovDateInput, but a form posted without the date's three boxes (or with some missing)
    renders empty boxes instead of raising."""

    def map_gov_params(self, field, **kwargs):  # noqa: ANN001, ANN003, ANN201
        if field.raw_data is not None and len(field.raw_data) != 3:
            field.raw_data = [*field.raw_data, "", "", ""][:3]
        return super().map_gov_params(field, **kwargs)
