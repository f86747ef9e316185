"""The online form's answers: the one-time form token, a campaign's questions as the form needs them,
and storing one response in one statement.

Anonymity: a response row gets the campaign, the channel, the date, the form's language and the
optional background answers, nothing else (models.Response); an address to be told the outcome goes to
ContactRequest in the same statement but with no link to the response.
"""

import hashlib
import secrets
import time
from dataclasses import dataclass, field

from django.core import signing
from django.utils import timezone, translation

from experts.models import Municipality
from feedback import answer_connection
from kokemuspankki.process_cache import ProcessCache

from .models import Answer as AnswerRow
from .models import Campaign, Channel, ContactRequest, Question, Receipt, Response

TOKEN_SALT = "kokemuspankki.hearings.answer"  # noqa: S105 - a signing salt, not a secret
# A form stays sendable for a day after it was shown: long enough for a long answer written in
# pieces, short enough that an old tab's token is not a standing permit. Expired: the answers are
# shown again with a fresh token (views.public), never lost.
TOKEN_MAX_AGE = 24 * 3600


# --- The one-time form token


def issue_token(campaign_id: int) -> str:
    """A signed, timestamped token for a form as it is shown; its hash becomes the Receipt."""
    return signing.TimestampSigner(salt=TOKEN_SALT).sign(f"{campaign_id}.{secrets.token_urlsafe(16)}")


def read_token(token: str) -> tuple[int | None, bool]:
    """(the campaign the token was issued for, whether it has expired); (None, False) if forged."""
    signer = signing.TimestampSigner(salt=TOKEN_SALT)
    expired = False
    try:
        value = signer.unsign(token, max_age=TOKEN_MAX_AGE)
    except signing.SignatureExpired:
        expired = True
        try:
            value = signer.unsign(token)
        except signing.BadSignature:
            return None, False
    except signing.BadSignature:
        return None, False
    pk = value.split(".", 1)[0]
    return (int(pk) if pk.isdigit() else None), expired


# --- What the form is built from


@dataclass(frozen=True)
class FormSpec:
    """A campaign's questions (with their choices) and the municipalities to choose from, in the
    language the form is shown in."""

    questions: list[Question]
    municipalities: list[tuple[int, str]]


# Per process: every answer's POST validates against the same questions. Kept a few seconds only,
# so that a question edited by staff shows almost at once without the edit having to tell us; the
# statement that stores an answer checks the campaign is open itself, so a stale copy can never let
# an answer into a closed campaign.
SPEC_SECONDS = 5.0
_specs: ProcessCache[tuple[float, FormSpec]] = ProcessCache()


def form_spec(campaign: Campaign) -> FormSpec:
    key = (campaign.pk, campaign.updated_at, campaign.ask_municipality, translation.get_language())
    now = time.monotonic()
    kept = _specs.get(key)
    if kept is not None and kept[0] > now:
        return kept[1]
    questions = list(campaign.questions.prefetch_related("choices").order_by("order", "pk"))
    municipalities = (
        [(m.pk, m.name) for m in Municipality.objects.filter(is_active=True)] if campaign.ask_municipality else []
    )
    spec = FormSpec(questions, municipalities)
    _specs.put(key, (now + SPEC_SECONDS, spec))
    return spec


def forget_specs() -> None:
    """For tests that change questions and read the form again at once."""
    _specs.clear()


# --- Storing a response


@dataclass
class Filled:
    """A valid answer: (question id, choice id, value, text) rows and the background answers."""

    rows: list[tuple[int, int | None, int | None, str]] = field(default_factory=list)
    age_group: str = ""
    municipality: int | None = None
    email: str = ""


def submit_response(*, campaign_id: int, filled: Filled, token: str, language: str) -> bool:
    """Store one online response; False when this form (its token) was sent already (two taps, a
    reload after sending) or the campaign is not open for answers.

    One statement, so one transaction and one round trip (make bench): the receipt gates the rest, then
    the response, its answers and the optional address to be told the outcome. A second submit of the
    same form waits on the receipt's key for the first to commit, then inserts nothing."""
    rows = sorted(filled.rows, key=lambda row: (row[0], row[1] or 0))
    params = {
        "digest": hashlib.sha256(token.encode()).hexdigest(),
        "campaign": campaign_id,
        "today": timezone.localdate(),
        "language": language,
        "age_group": filled.age_group,
        "municipality": filled.municipality,
        "questions": [row[0] for row in rows],
        "choices": [row[1] for row in rows],
        "values": [row[2] for row in rows],
        "texts": [row[3] for row in rows],
        "email": filled.email,
    }
    (stored,) = answer_connection.run(SUBMIT_SQL, params)
    return stored == 1


def _submit_sql() -> str:
    tables = {
        model.__name__: model._meta.db_table for model in (Receipt, Response, AnswerRow, ContactRequest, Campaign)
    }
    # Data-modifying CTEs run once each whether or not the final SELECT reads them; everything hangs
    # off `receipt`, which is empty for a repeated token or a campaign that is not open.
    return f"""
    WITH receipt AS (
        INSERT INTO "{tables["Receipt"]}" (token_hash, campaign_id)
        SELECT %(digest)s::varchar, id FROM "{tables["Campaign"]}"
        WHERE id = %(campaign)s::bigint AND is_published AND outcome_published_at IS NULL
              AND opens_at <= now() AND closes_at > now()
        ON CONFLICT (token_hash) DO NOTHING RETURNING campaign_id
    ), response AS (
        INSERT INTO "{tables["Response"]}" (campaign_id, channel, answered_on, language, age_group, municipality_id)
        SELECT campaign_id, '{Channel.ONLINE.value}', %(today)s::date, %(language)s::varchar,
               %(age_group)s::varchar, %(municipality)s::bigint
        FROM receipt RETURNING id
    ), answers AS (
        INSERT INTO "{tables["Answer"]}" (response_id, question_id, choice_id, value, text)
        SELECT response.id, t.question, t.choice, t.value, t.text
        FROM response, unnest(%(questions)s::bigint[], %(choices)s::bigint[], %(values)s::smallint[],
                              %(texts)s::text[]) WITH ORDINALITY AS t(question, choice, value, text, position)
        ORDER BY t.position
        RETURNING 1
    ), contact AS (
        INSERT INTO "{tables["ContactRequest"]}" (campaign_id, email, language, consented_at)
        SELECT campaign_id, %(email)s::varchar, %(language)s::varchar, now() FROM receipt WHERE %(email)s::varchar <> ''
        ON CONFLICT ON CONSTRAINT contact_request_once DO NOTHING RETURNING 1
    )
    SELECT count(*) FROM response
    """  # noqa: S608 - the models' own table names


SUBMIT_SQL = _submit_sql()
