"""Writes of session feedback: rounds, new form versions and anonymous answers."""

import hashlib
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from notifications.services import cancel_notifications, reschedule_notifications, schedule_notification

from .models import Answer, Channel, FormTemplate, FormVersion, Item, ItemAnswer, Receipt, Round, TextAnswer

TOKEN_SALT = "kokemuspankki.feedback.answer"  # noqa: S105 - a signing salt, not a secret
LINK_KIND = "feedback.link"
FEW_ANSWERS_KIND = "feedback.few_answers"


@transaction.atomic
def create_round(
    *,
    target,
    version: FormVersion,
    owner,
    title: str,
    opens_at: datetime,
    closes_at: datetime,
    series=None,
    threshold: int | None = None,
    participants: list[tuple[str, str]] = (),
) -> Round:
    """A round on `target`; the link goes to `participants` ((email, language) who agreed to get it)
    when it opens, and the owner hears a day before it closes if too few have answered."""
    round_ = Round(
        version=version,
        target=target,
        owner=owner,
        title=title,
        opens_at=opens_at,
        closes_at=closes_at,
        series=series,
        threshold=threshold or settings.KP_FEEDBACK_THRESHOLD,
    )
    round_.full_clean()
    for _attempt in range(5):  # a random 6-character code; a clash is rare and simply retried
        try:
            with transaction.atomic():
                round_.save()
            break
        except IntegrityError:
            round_.code = Round._meta.get_field("code").default()
    else:
        raise IntegrityError("no free feedback code")
    for email, language in participants:
        schedule_notification(
            kind=LINK_KIND,
            target=round_,
            to_address=email,
            language=language,
            due_at=round_.opens_at,
            context={"path": round_.answer_url()},  # the form, not the results (notifications.emails)
        )
    schedule_few_answers_reminder(round_)
    return round_


def schedule_few_answers_reminder(round_: Round) -> None:
    due = round_.closes_at - timedelta(days=1)
    if due > round_.opens_at:
        schedule_notification(kind=FEW_ANSWERS_KIND, target=round_, recipient=round_.owner, due_at=due)


@transaction.atomic
def change_round_times(*, round_: Round, opens_at: datetime, closes_at: datetime) -> Round:
    round_.opens_at, round_.closes_at = opens_at, closes_at
    round_.full_clean()
    round_.save(update_fields=["opens_at", "closes_at"])
    reschedule_notifications(target=round_, kind=LINK_KIND, due_at=opens_at)
    cancel_notifications(target=round_, kinds_=[FEW_ANSWERS_KIND])
    schedule_few_answers_reminder(round_)
    return round_


def few_answers_skip_reason(round_: Round) -> str:
    """The reminder's check when it is due (notifications.kinds.Kind.skip_reason)."""
    if round_.answers.count() >= round_.threshold:
        return "enough answers already"
    if round_.state() != "open":
        return "the round is not open"
    return ""


@transaction.atomic
def editable_version(*, template: FormTemplate) -> FormVersion:
    """The version of `template` to edit: the latest, or a copy of it once it has answers, so that the
    answers already given keep the questions they answered."""
    latest = template.latest_version()
    if latest is None:
        return FormVersion.objects.create(template=template, number=1)
    if not latest.has_answers():
        return latest
    copy = FormVersion.objects.create(
        template=template,
        number=latest.number + 1,
        **{name: getattr(latest, name) for name in translated("intro")},
    )
    for item in latest.items.prefetch_related("choices"):
        choices = list(item.choices.all())
        item.pk, item.version = None, copy
        item.save()
        for choice in choices:
            choice.pk, choice.item = None, item
            choice.save()
    return copy


def translated(name: str) -> list[str]:
    return [name, *(f"{name}_{code}" for code, _label in settings.LANGUAGES)]


# --- Answers


def issue_token(round_: Round) -> str:
    """A one-time token for a form as it is shown: submitting it twice stores one answer (Receipt)."""
    return signing.Signer(salt=TOKEN_SALT).sign(f"{round_.pk}.{secrets.token_urlsafe(16)}")


def token_is_valid(round_: Round, token: str) -> bool:
    try:
        value = signing.Signer(salt=TOKEN_SALT).unsign(token)
    except signing.BadSignature:
        return False
    return value.split(".", 1)[0] == str(round_.pk)


@dataclass
class Filled:
    """What a participant filled: item id -> 1..5, "dont_know", a choice id, or text."""

    values: dict[int, int] = field(default_factory=dict)
    dont_know: set[int] = field(default_factory=set)
    choices: dict[int, int] = field(default_factory=dict)
    texts: dict[int, str] = field(default_factory=dict)

    def is_empty(self) -> bool:
        return not (self.values or self.dont_know or self.choices or self.texts)


def submit_answer(*, round_: Round, filled: Filled, token: str, channel: str = Channel.ONLINE) -> Answer | None:
    """Store one answer, or None when this form (its token) was sent already: a double submit, a
    reload after sending, two taps. The receipt and the answer commit together or not at all."""
    digest = hashlib.sha256(token.encode()).hexdigest()
    today = timezone.localdate()
    with transaction.atomic():
        # One statement: a second submit of the same form waits here for the first to commit, then
        # finds its receipt and stores nothing.
        with connection.cursor() as cursor:
            cursor.execute(
                f'INSERT INTO "{Receipt._meta.db_table}" (token_hash, round_id) VALUES (%s, %s) '  # noqa: S608
                "ON CONFLICT (token_hash) DO NOTHING RETURNING token_hash",
                [digest, round_.pk],
            )
            if cursor.fetchone() is None:
                return None
        answer = Answer.objects.create(round=round_, answered_on=today, channel=channel)
        rows = [
            ItemAnswer(answer=answer, round=round_, item_id=item, value=value) for item, value in filled.values.items()
        ]
        rows += [ItemAnswer(answer=answer, round=round_, item_id=item, dont_know=True) for item in filled.dont_know]
        rows += [
            ItemAnswer(answer=answer, round=round_, item_id=item, choice_id=choice)
            for item, choice in filled.choices.items()
        ]
        ItemAnswer.objects.bulk_create(rows)
        TextAnswer.objects.bulk_create(
            [
                TextAnswer(round=round_, item_id=item, text=text, answered_on=today)
                for item, text in filled.texts.items()
            ]
        )
    return answer


def items_of(version: FormVersion) -> list[Item]:
    return list(version.items.prefetch_related("choices").order_by("order", "pk"))
