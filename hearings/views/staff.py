"""The staff's landing page, the topic backlog, campaigns and their questions, and what offline
channels produced (notes, paper answers).

Every page needs accounts.run_hearings (coordinators and admins; others get 403). Forms that add a
row carry a one-time key (form_keys.py), so a double submit adds one; edits save the same row again.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.cache import cache
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.http import posted
from kokemuspankki import form_keys

from .. import services
from ..forms_staff import CampaignForm, NoteForm, PaperResponseForm, QuestionForm, TopicFilterForm, TopicForm
from ..models import Campaign, Channel, Choice, Question, Response, Topic, TopicStatus
from ..services import HearingError

STATES = ["open", "upcoming", "draft", "closed", "outcome"]


def staff_required(view):
    return login_required(permission_required("accounts.run_hearings", raise_exception=True)(view))


def _created(request, form, scope: str, fallback: str, save):
    """The create pages' one-time-key dance: `save()` runs once per form; returns the redirect, or
    None to show the form (with its errors)."""
    if sent := form_keys.sent_before(request, form, scope):
        return form_keys.already_sent(request, sent, fallback)
    if request.method != "POST" or not form.is_valid():
        return None
    key, first = form_keys.claim(request, form, scope)
    if not first:
        return form_keys.already_sent(request, key, fallback)
    try:
        url = save()
    except Exception:
        cache.delete(key)  # not saved: the same form may be sent again
        raise
    form_keys.remember(key, url)
    return redirect(url)


# --- The landing page ----------------------------------------------------------------------------


@staff_required
def index(request):
    """Campaigns by state (open first, then upcoming, drafts, closed ones waiting for their outcome,
    those with an outcome), each with its number of responses."""
    campaigns = {state: [] for state in STATES}
    for campaign in Campaign.objects.for_staff_list().order_by("closes_at", "pk"):
        campaigns[campaign.state()].append(campaign)
    campaigns["outcome"].reverse()  # the latest outcome first
    context = {
        "groups": [(state, campaigns[state]) for state in STATES],
        "topics_waiting": Topic.objects.filter(status__in=[TopicStatus.PROPOSED, TopicStatus.ACCEPTED]).count(),
    }
    return render(request, "hearings/index.html", context)


# --- Topics --------------------------------------------------------------------------------------


@staff_required
def topic_list(request):
    """The backlog, most important and soonest decided first; declined and done ones on request."""
    filters = TopicFilterForm(request.GET)
    status = filters.cleaned_data["status"] if filters.is_valid() else ""
    topics = Topic.objects.select_related("campaign")
    if status:
        topics = topics.filter(status=status)
    else:
        topics = topics.exclude(status__in=[TopicStatus.DECLINED, TopicStatus.DONE])
    context = {"topics": list(topics.order_by("-priority", "decision_due", "pk")), "filters": filters}
    return render(request, "hearings/topic_list.html", context)


@staff_required
def topic_create(request):
    form = TopicForm(posted(request))
    fallback = reverse("hearings:topic_list")

    def save():
        topic = form.save(commit=False)
        topic.proposed_by = request.user
        topic.save()
        messages.success(request, _("The topic was saved."))
        return fallback

    return _created(request, form, "topic", fallback, save) or render(
        request, "hearings/topic_form.html", {"form": form}
    )


@staff_required
def topic_edit(request, pk):
    topic = get_object_or_404(Topic, pk=pk)
    form = TopicForm(posted(request), instance=topic)
    form.form_key_missing = False  # an edit saves the same row again: a double submit is harmless
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The topic was saved."))
        return redirect("hearings:topic_list")
    return render(request, "hearings/topic_form.html", {"form": form, "topic": topic})


@staff_required
@require_POST
def topic_campaign(request, pk):
    """Turn the topic into a draft campaign (a second click returns the same campaign)."""
    topic = get_object_or_404(Topic, pk=pk)
    campaign = services.create_campaign_from_topic(topic=topic, owner=request.user)
    messages.success(request, _("A draft campaign was made from the topic. Check its texts and times."))
    return redirect("hearings:campaign_edit", campaign.pk)


# --- Campaigns -----------------------------------------------------------------------------------


@staff_required
def campaign_create(request):
    form = CampaignForm(posted(request))

    def save():
        campaign = services.create_campaign(form=form, owner=request.user)
        messages.success(request, _("The campaign was saved. Add its questions next."))
        return reverse("hearings:campaign_manage", args=[campaign.pk])

    return _created(request, form, "campaign", reverse("hearings:index"), save) or render(
        request, "hearings/campaign_form.html", {"form": form}
    )


@staff_required
def campaign_edit(request, pk):
    campaign = get_object_or_404(Campaign, pk=pk)
    form = CampaignForm(posted(request), instance=campaign)
    form.form_key_missing = False  # an edit saves the same row again: a double submit is harmless
    if request.method == "POST" and form.is_valid():
        services.change_campaign(campaign=campaign, form=form)
        messages.success(request, _("The campaign was saved."))
        return redirect("hearings:campaign_manage", campaign.pk)
    return render(request, "hearings/campaign_form.html", {"form": form, "campaign": campaign})


@staff_required
def campaign_manage(request, pk):
    """One campaign for the staff: its state, what came in by channel, its questions and notes."""
    # Queries: the campaign with its owner; responses by channel; notes by channel; questions; their
    # choices; questions with answers; notes; linked topics.
    campaign = get_object_or_404(Campaign.objects.select_related("owner"), pk=pk)
    responses = dict(campaign.responses.values_list("channel").annotate(n=Count("pk")).order_by())
    notes_by_channel = dict(campaign.notes.values_list("channel").annotate(n=Count("pk")).order_by())
    questions = list(campaign.questions.prefetch_related("choices"))
    answered = set(
        Question.objects.filter(campaign=campaign, answers__isnull=False).distinct().values_list("pk", flat=True)
    )
    context = {
        "campaign": campaign,
        "state": campaign.state(),
        "channels": [(label, responses.get(code, 0), notes_by_channel.get(code, 0)) for code, label in Channel.choices],
        "response_total": sum(responses.values()),
        "channel_labels": [label for code, label in Channel.choices if code in campaign.channels],
        "questions": [(question, question.pk in answered) for question in questions],
        "notes": list(campaign.notes.order_by("-held_on", "-pk")),
        "topics": list(campaign.topics.all()),
    }
    return render(request, "hearings/campaign_manage.html", context)


# --- Questions -----------------------------------------------------------------------------------


@staff_required
def question_create(request, pk):
    campaign = get_object_or_404(Campaign, pk=pk)
    form = QuestionForm(posted(request))
    manage_url = reverse("hearings:campaign_manage", args=[campaign.pk])

    def save():
        services.add_question(campaign=campaign, form=form)
        messages.success(request, _("The question was added."))
        if "add_another" in request.POST:
            return reverse("hearings:question_create", args=[campaign.pk])
        return manage_url + "#questions"

    return _created(request, form, "question", manage_url, save) or render(
        request, "hearings/question_form.html", {"form": form, "campaign": campaign}
    )


@staff_required
def question_edit(request, pk):
    question = get_object_or_404(Question.objects.select_related("campaign"), pk=pk)
    answered_choices = set(Choice.objects.filter(question=question, answers__isnull=False).values_list("pk", flat=True))
    has_answers = question.answers.exists()
    form = QuestionForm(posted(request), instance=question, answered_choices=answered_choices, has_answers=has_answers)
    form.form_key_missing = False  # an edit saves the same row again: a double submit is harmless
    if request.method == "POST" and form.is_valid():
        services.change_question(question=question, form=form)
        messages.success(request, _("The question was saved."))
        return redirect(reverse("hearings:campaign_manage", args=[question.campaign_id]) + "#questions")
    context = {"form": form, "campaign": question.campaign, "question": question}
    return render(request, "hearings/question_form.html", context)


@staff_required
def question_delete(request, pk):
    # A question already deleted (the second post of a double click) is a 404 on a page that says so.
    question = get_object_or_404(Question.objects.select_related("campaign"), pk=pk)
    manage_url = reverse("hearings:campaign_manage", args=[question.campaign_id]) + "#questions"
    if request.method == "POST":
        try:
            services.delete_question(question=question)
        except HearingError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The question was deleted."))
        return redirect(manage_url)
    context = {"question": question, "campaign": question.campaign, "has_answers": question.answers.exists()}
    return render(request, "hearings/question_delete.html", context)


@staff_required
@require_POST
def question_move(request, pk):
    question = get_object_or_404(Question, pk=pk)
    services.move_question(question=question, up=request.POST.get("direction") == "up")
    return redirect(reverse("hearings:campaign_manage", args=[question.campaign_id]) + f"#question-{question.pk}")


# --- Offline channels ----------------------------------------------------------------------------


@staff_required
def note_create(request, pk):
    campaign = get_object_or_404(Campaign, pk=pk)
    form = NoteForm(posted(request))
    manage_url = reverse("hearings:campaign_manage", args=[campaign.pk])

    def save():
        note = form.save(commit=False)
        note.campaign, note.entered_by = campaign, request.user
        note.save()
        messages.success(request, _("The notes were saved."))
        return manage_url + "#notes"

    return _created(request, form, "note", manage_url, save) or render(
        request, "hearings/note_form.html", {"form": form, "campaign": campaign}
    )


@staff_required
def paper_create(request, pk):
    """A paper answer typed in through the campaign's questions; "save and type the next" for a pile."""
    campaign = get_object_or_404(Campaign, pk=pk)
    questions = list(campaign.questions.prefetch_related("choices"))
    form = PaperResponseForm(posted(request), campaign=campaign, questions=questions)
    manage_url = reverse("hearings:campaign_manage", args=[campaign.pk])

    def save():
        services.record_paper_response(campaign=campaign, form=form)
        count = Response.objects.filter(campaign=campaign, channel=Channel.PAPER).count()
        messages.success(request, _("The paper answer was saved (%(n)s paper answers in all).") % {"n": count})
        return reverse("hearings:paper_create", args=[campaign.pk]) if "add_another" in request.POST else manage_url

    return _created(request, form, "paper", manage_url, save) or render(
        request, "hearings/paper_form.html", {"form": form, "campaign": campaign}
    )
