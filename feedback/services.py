"""Writes of session feedback: rounds, new form versions and anonymous answers."""

import hashlib
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.utils import timezone

from notifications.services import cancel_notifications, reschedule_notifications, schedule_notification

from . import answer_connection
from .models import TALLY_SHARDS, Answer, Channel, FormTemplate, FormVersion, Item, Receipt, Round, Tally, TextAnswer

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


def token_round(token: str) -> int | None:
    """The round a one-time token was issued for, if its signature holds."""
    try:
        value = signing.Signer(salt=TOKEN_SALT).unsign(token)
    except signing.BadSignature:
        return None
    pk = value.split(".", 1)[0]
    return int(pk) if pk.isdigit() else None


def token_is_valid(round_: Round, token: str) -> bool:
    return token_round(token) == round_.pk


@dataclass
class Filled:
    """What a participant filled: item id -> 1..5, "dont_know", a choice id, or text."""

    values: dict[int, int] = field(default_factory=dict)
    dont_know: set[int] = field(default_factory=set)
    choices: dict[int, int] = field(default_factory=dict)
    texts: dict[int, str] = field(default_factory=dict)

    def is_empty(self) -> bool:
        return not (self.values or self.dont_know or self.choices or self.texts)


def submit_answer(*, round_: Round, filled: Filled, token: str, channel: str = Channel.ONLINE) -> bool:
    """Store one answer; False when this form (its token) was sent already (a double submit, a reload
    after sending, two taps) or the round is not open (paper forms are typed in at any time).

    One statement, so one transaction and one round trip (make bench): the receipt gates the rest, the
    answer row keeps the date and channel, the stars and choices are added to the round's tallies, and
    the texts are stored on their own. A second submit of the same form waits on the receipt's unique
    key for the first to commit, then inserts nothing."""
    keys = sorted(
        [(item, value, False, None) for item, value in filled.values.items()]
        + [(item, None, True, None) for item in filled.dont_know]
        + [(item, None, False, choice) for item, choice in filled.choices.items()]
    )
    # The answer's own row in the tallies: how many answered, by channel.
    rows = [(None, None, False, None, channel), *((*key, "") for key in keys)]
    texts = sorted(filled.texts.items())
    params = {
        "digest": hashlib.sha256(token.encode()).hexdigest(),
        "round": round_.pk,
        "today": timezone.localdate(),
        "channel": channel,
        "shard": secrets.randbelow(TALLY_SHARDS),
        "items": [row[0] for row in rows],
        "values": [row[1] for row in rows],
        "dont_knows": [row[2] for row in rows],
        "choices": [row[3] for row in rows],
        "channels": [row[4] for row in rows],
        "text_items": [item for item, _text in texts],
        "texts": [text for _item, text in texts],
    }
    (stored,) = answer_connection.run(SUBMIT_SQL, params)
    return stored == 1


def _submit_sql() -> str:
    tables = {model.__name__: model._meta.db_table for model in (Receipt, Answer, Tally, TextAnswer, Round)}
    # Rows are added in one order (the ORDINALITY), so two answers to the same shard lock their tally
    # rows in the same order and cannot deadlock.
    return f"""
    WITH receipt AS (
        INSERT INTO "{tables["Receipt"]}" (token_hash, round_id)
        SELECT %(digest)s, id FROM "{tables["Round"]}"
        WHERE id = %(round)s AND (%(channel)s = 'paper' OR opens_at <= now() AND closes_at > now())
        ON CONFLICT (token_hash) DO NOTHING RETURNING round_id
    ), answer AS (
        INSERT INTO "{tables["Answer"]}" (round_id, answered_on, channel)
        SELECT round_id, %(today)s, %(channel)s FROM receipt RETURNING id
    ), tallies AS (
        INSERT INTO "{tables["Tally"]}" (round_id, item_id, value, dont_know, choice_id, channel, shard, n)
        SELECT receipt.round_id, t.item, t.value, t.dont_know, t.choice, t.channel, %(shard)s, 1
        FROM receipt, unnest(%(items)s::bigint[], %(values)s::smallint[], %(dont_knows)s::boolean[],
                             %(choices)s::bigint[], %(channels)s::text[])
             WITH ORDINALITY AS t(item, value, dont_know, choice, channel, position)
        ORDER BY t.position
        ON CONFLICT ON CONSTRAINT tally_key DO UPDATE SET n = "{tables["Tally"]}".n + 1
        RETURNING 1
    ), texts AS (
        INSERT INTO "{tables["TextAnswer"]}" (id, round_id, item_id, text, answered_on)
        SELECT gen_random_uuid(), receipt.round_id, t.item, t.text, %(today)s
        FROM receipt, unnest(%(text_items)s::bigint[], %(texts)s::text[]) AS t(item, text)
        RETURNING 1
    )
    SELECT count(*) FROM answer
    """  # noqa: S608 - the models' own table names


SUBMIT_SQL = _submit_sql()


def items_of(version: FormVersion) -> list[Item]:
    return list(version.items.prefetch_related("choices").order_by("order", "pk"))
