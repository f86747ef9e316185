"""The booking messages, sent through the notifications outbox. They share one template set
(templates/bookings/email/booking_*), which words each kind its own way."""

from django.utils.translation import gettext_lazy as _

from notifications.kinds import Kind, register

# (code, label on the preferences page, transactional, with a calendar file)
KINDS = [
    ("invitation", _("Invitations to assignments"), True, False),
    ("invitation_reminder", _("Reminders of unanswered invitations"), False, False),
    ("unanswered", _("Unanswered invitations (to coordinators)"), False, False),
    ("answered", _("Answers to invitations (to coordinators)"), False, False),
    ("confirmed", _("Confirmed assignments"), True, True),
    ("changed", _("Changed assignments"), True, True),
    ("filled", _("Assignments filled by someone else"), False, False),
    ("cancelled", _("Cancelled assignments"), True, True),
    ("cancelled_by_expert", _("Cancellations by experts (to coordinators)"), True, False),
    ("reminder_early", _("Reminders before an assignment"), False, True),
    ("reminder_late", _("Last reminders before an assignment"), False, False),
    ("check_in", _('"How did it go?" after an assignment'), False, False),
    ("checked_in", _('Experts\' answers to "How did it go?" (to coordinators)'), False, False),
]


# What an expert may also have by text message, if they choose (templates/bookings/email/booking_sms.txt).
SMS_KINDS = frozenset("invitation invitation_reminder confirmed changed cancelled reminder_early reminder_late".split())


def register_notification_kinds() -> None:
    for code, label, transactional, calendar in KINDS:
        register(
            Kind(
                code=f"bookings.{code}",
                label=label,
                template="bookings/email/booking",
                transactional=transactional,
                calendar=calendar,
                sms=code in SMS_KINDS,
            )
        )
    # The orderer's private feedback, waiting on the expert's booking page: a message of its own, which
    # names the assignment and says where to read it (never the feedback itself).
    register(
        Kind(
            code="bookings.orderer_feedback",
            label=_("Orderers' feedback on your assignments"),
            template="bookings/email/orderer_feedback",
        )
    )
