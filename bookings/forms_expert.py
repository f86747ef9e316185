"""Forms of the expert's own assignments: answering an invitation, cancelling, the check-in after an
assignment, private feedback on the arrangements, and the expert's own earnings limits.

The forms only validate; views/booking_expert.py hands the cleaned values to services_booking.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from experts.forms_profile import ProfileSectionMixin
from experts.models import ExpertProfile

from .models import CancelReason, CheckIn
from .money import MoneyField

ACCEPT, DECLINE = "accept", "decline"
# An expert cancels for their own reasons; "no longer needed" and "moved" are the orderer's.
EXPERT_CANCEL_REASONS = [CancelReason.ILLNESS, CancelReason.SCHEDULE, CancelReason.OTHER]


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(
        label=_("Can you take this assignment?"),
        choices=[(ACCEPT, _("I accept the assignment")), (DECLINE, _("I decline"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether you accept or decline.")},
    )
    note = forms.CharField(
        label=_("Note or reason (optional)"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The coordinator sees this. You do not have to give a reason for declining."),
    )

    @property
    def accepts(self) -> bool:
        return self.cleaned_data["answer"] == ACCEPT


class CancelForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Why do you cancel?"),
        choices=[(reason.value, reason.label) for reason in EXPERT_CANCEL_REASONS],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a reason.")},
    )
    note = forms.CharField(
        label=_("More about the reason (optional)"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The coordinator sees this. You do not need to tell anything about your health."),
    )


class CheckInForm(forms.Form):
    feeling = forms.TypedChoiceField(
        label=_("How did it go?"),
        choices=CheckIn.Feeling.choices,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how it went.")},
    )
    text = forms.CharField(
        label=_("Anything you want to tell the coordinator (optional)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    wants_debrief = forms.BooleanField(label=_("I would like to talk it through (debrief)"), required=False)


class PrivateFeedbackForm(forms.Form):
    text = forms.CharField(
        label=_("Your feedback on the arrangements"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("For example the venue, the schedule, the support you got. Only the coordinators see it."),
        error_messages={"required": _("Write your feedback first.")},
    )


class EarningsLimitsForm(ProfileSectionMixin, forms.ModelForm):
    monthly_earnings_limit = MoneyField(
        label=_("My monthly earnings limit (€)"),
        required=False,
        help_text=_("Leave empty if you do not want a monthly limit."),
    )
    yearly_earnings_limit = MoneyField(
        label=_("My yearly earnings limit (€)"),
        required=False,
        max_digits=9,
        help_text=_("Leave empty if you do not want a yearly limit."),
    )

    class Meta:
        model = ExpertProfile
        fields = ["monthly_earnings_limit", "yearly_earnings_limit"]
