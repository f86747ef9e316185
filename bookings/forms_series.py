"""Coordinators' forms for recurring assignments (series.py): the new assignment's "Repeat" choice,
and "only this date / this and the following dates" when a date of a series is moved or cancelled."""

from django import forms
from django.utils.translation import gettext_lazy as _

from experts.forms_profile import DateInput

from .forms import DATE_FORMATS, AssignmentForm, CancelForm, MoveAssignmentForm, PickerDateField
from .series import MAX_SERIES_DATES, SeriesError, check_length, series_times, weekly_dates


class AssignmentSeriesForm(AssignmentForm):
    """A new assignment that may repeat every week on the weekday of its date, until a last date."""

    NO_REPEAT, WEEKLY = "", "weekly"

    repeat = forms.ChoiceField(
        label=_("Repeat"),
        choices=[(NO_REPEAT, _("Does not repeat")), (WEEKLY, _("Every week on the same weekday until the last date"))],
        required=False,
        widget=forms.RadioSelect,
    )
    repeat_until = PickerDateField(
        label=_("Last date"),
        required=False,
        input_formats=DATE_FORMATS,
        widget=DateInput(),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["repeat"].initial = self.NO_REPEAT
        self.fields["repeat_until"].help_text = _(
            "Each week's date becomes an assignment of its own, with its own experts; at most %(max)s dates."
        ) % {"max": MAX_SERIES_DATES}

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("repeat") != self.WEEKLY:
            cleaned["repeat_until"] = None
            return cleaned
        last, day = cleaned.get("repeat_until"), cleaned.get("date")
        if last is None:
            if "repeat_until" not in self.errors:
                self.add_error("repeat_until", _("Give the last date of the recurring assignment."))
            return cleaned
        if day is None or "starts_at" not in cleaned:
            return cleaned
        try:
            days = weekly_dates(day, last)
            check_length(days)
            series_times(days, cleaned["start_time"], cleaned["end_time"])
        except SeriesError as error:
            self.add_error("repeat_until", str(error))
        return cleaned

    @property
    def repeats(self) -> bool:
        return bool(self.cleaned_data.get("repeat_until"))


class SeriesScopeMixin(forms.Form):
    """Which dates of a series a move or a cancellation applies to."""

    ONE, FOLLOWING = "one", "following"

    scope = forms.ChoiceField(
        label=_("Which dates"),
        choices=[(ONE, _("Only this date")), (FOLLOWING, _("This and the following dates"))],
        initial=ONE,
        widget=forms.RadioSelect,
    )

    @property
    def following(self) -> bool:
        return self.cleaned_data.get("scope") == self.FOLLOWING


class SeriesMoveForm(SeriesScopeMixin, MoveAssignmentForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scope"].help_text = _(
            "The following dates get the same new time of day and move by as many days as this one. If any "
            "of them cannot move, none does."
        )


class SeriesCancelForm(SeriesScopeMixin, CancelForm):
    field_order = ["scope"]  # as the page shows it (the error summary lists errors in this order)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scope"].help_text = _("Dates already done or cancelled stay as they are.")
