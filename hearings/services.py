"""Writes of the staff side: campaigns (with their reminders), a topic turned into a campaign,
questions and their choices, and answers typed in from paper."""

from datetime import datetime, time, timedelta

from django.db import transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from . import reminders
from .models import Answer, Campaign, Channel, Choice, Question, QuestionKind, Response, Topic, TopicStatus

# Taken by the staff pages' prefix (urls.py): a campaign called "Hallinta" gets "hallinta-2".
RESERVED_SLUGS = {"hallinta"}


class HearingError(Exception):
    """An action that is not allowed now; the message is translated and shown to the user."""


# --- Campaigns -----------------------------------------------------------------------------------


def unique_slug(title: str, *, exclude_pk: int | None = None) -> str:
    """A short name from the Finnish title: "Ikäihmisten kotihoito" → "ikaihmisten-kotihoito",
    numbered when taken ("-2", "-3"…)."""
    base = slugify(title)[:70].strip("-") or "kuuleminen"
    taken = (
        set(Campaign.objects.filter(slug__startswith=base).exclude(pk=exclude_pk).values_list("slug", flat=True))
        | RESERVED_SLUGS
    )
    slug, number = base, 1
    while slug in taken:
        number += 1
        slug = f"{base}-{number}"
    return slug


@transaction.atomic
def create_campaign(*, form, owner) -> Campaign:
    campaign = form.save(commit=False)
    campaign.owner = owner
    campaign.slug = unique_slug(campaign.title_fi or campaign.title)
    campaign.full_clean()
    campaign.save()
    reminders.schedule_campaign_reminders(campaign)
    return campaign


@transaction.atomic
def change_campaign(*, campaign: Campaign, form) -> Campaign:
    """Saves the form (the short name stays: links to the public page have gone out); a new closing
    time or publishing moves the owner's reminders."""
    before = Campaign.objects.select_for_update().get(pk=campaign.pk)
    campaign = form.save()
    reminders.schedule_campaign_reminders(campaign, moved=before.closes_at != campaign.closes_at)
    return campaign


@transaction.atomic
def create_campaign_from_topic(*, topic: Topic, owner) -> Campaign:
    """A draft campaign prefilled from the topic, linked to it. The topic's row lock makes a double
    click take turns: the second finds the campaign made by the first and returns it."""
    topic = Topic.objects.select_for_update().get(pk=topic.pk)
    if topic.campaign_id is not None:
        return topic.campaign
    # The draft opens in a week for three weeks: placeholders the coordinator sets on the form.
    opens_at = timezone.make_aware(datetime.combine(timezone.localdate() + timedelta(days=7), time(9)))
    with translation.override("fi"):
        summary = (
            _("The hearing informs the decision: %(decision)s") % {"decision": topic.decision}
            if topic.decision
            else topic.title
        )
        campaign = Campaign(
            title=topic.title,
            title_fi=topic.title,
            slug=unique_slug(topic.title),
            summary=summary,
            summary_fi=summary,
            background=topic.description,
            background_fi=topic.description,
            responsible_unit=topic.proposer or _("To be decided"),
            opens_at=opens_at,
            closes_at=opens_at + timedelta(days=21),
            channels=[Channel.ONLINE],
            languages=["fi", "sv"],
            owner=owner,
        )
        campaign.full_clean()
        campaign.save()
    topic.campaign = campaign
    topic.status = TopicStatus.IN_CAMPAIGN
    topic.save(update_fields=["campaign", "status", "updated_at"])
    return campaign


# --- Questions -----------------------------------------------------------------------------------


@transaction.atomic
def add_question(*, campaign: Campaign, form) -> Question:
    # The campaign's lock orders two concurrent additions, so both get an order of their own.
    Campaign.objects.select_for_update().get(pk=campaign.pk)
    question = form.save(commit=False)
    question.campaign = campaign
    question.order = (campaign.questions.aggregate(last=Max("order"))["last"] or 0) + 1
    question.full_clean()
    question.save()
    _save_choices(question, form.choice_rows())
    return question


@transaction.atomic
def change_question(*, question: Question, form) -> Question:
    question = form.save()
    _save_choices(question, form.choice_rows())
    return question


def _save_choices(question: Question, rows: list[dict[str, str]]) -> None:
    """Choices by position: the first line edits the first choice, and so on. The form has already
    refused removing a choice that has answers, so the surplus deleted here has none."""
    if question.kind not in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        rows = []
    existing = list(question.choices.order_by("order", "pk"))
    for order, row in enumerate(rows, start=1):
        choice = existing[order - 1] if order <= len(existing) else Choice(question=question)
        choice.order = order
        for language, label in row.items():
            setattr(choice, f"label_{language}", label or None)
        choice.label = row["fi"]
        choice.save()
    Choice.objects.filter(pk__in=[choice.pk for choice in existing[len(rows) :]]).delete()


@transaction.atomic
def delete_question(*, question: Question) -> None:
    if question.answers.exists():
        raise HearingError(_("This question has answers and cannot be deleted."))
    question.delete()


@transaction.atomic
def move_question(*, question: Question, up: bool) -> None:
    """Swap places with the question above or below. The (campaign, order) unique constraint is
    checked per statement, so the swap goes through a free number past the last."""
    questions = list(
        Question.objects.select_for_update().filter(campaign_id=question.campaign_id).order_by("order", "pk")
    )
    index = next(i for i, row in enumerate(questions) if row.pk == question.pk)
    other_index = index - 1 if up else index + 1
    if not 0 <= other_index < len(questions):
        return
    this, other = questions[index], questions[other_index]
    free = questions[-1].order + 1
    Question.objects.filter(pk=this.pk).update(order=free)
    Question.objects.filter(pk=other.pk).update(order=this.order)
    Question.objects.filter(pk=this.pk).update(order=other.order)


# --- Offline channels ----------------------------------------------------------------------------


@transaction.atomic
def record_paper_response(*, campaign: Campaign, form) -> Response:
    """One paper form typed in: a Response with channel "paper" and its answers, as the online
    form stores them (a chosen choice per row, a 1–5 value, or a text)."""
    data = form.cleaned_data
    response = Response.objects.create(
        campaign=campaign,
        channel=Channel.PAPER,
        answered_on=data["answered_on"],
        language=data["language"],
        age_group=data.get("age_group") or "",
        municipality=data.get("municipality"),
    )
    Answer.objects.bulk_create(form.answers(response))
    return response
