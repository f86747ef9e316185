"""The public side, without an account: the list of campaigns, a campaign's page with its online form
and its outcome, and the thank-you page.

The form works with no session and no CSRF cookie: a signed, timestamped one-time token guards it
(answering.issue_token), so neither a session timeout nor a cleared cookie can lose an answer. Every
refusal (an expired form, the honeypot, the rate limit, a wrong value) shows the form again with the
answers as typed and says what to do.
"""

import time

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from kokemuspankki.process_cache import ProcessCache

from ..answering import form_spec, issue_token, read_token, submit_response
from ..forms_public import HONEYPOT, AnswerForm, quick_filled
from ..models import Campaign, Channel
from ..throttle import allow_answer


def public_list(request):
    """Open campaigns first, then upcoming ones, then past ones with their state."""
    # Queries: the published campaigns (one statement; the state is worked out in Python).
    now = timezone.now()
    campaigns = Campaign.objects.published().order_by("closes_at", "pk")
    groups = {"open": [], "upcoming": [], "past": []}
    for campaign in campaigns:
        state = campaign.state(now)
        groups["past" if state in ("closed", "outcome") else state].append((campaign, state))
    groups["past"].reverse()  # the latest closed first
    return render(request, "hearings/public_list.html", groups)


def published_campaign(slug: str) -> Campaign:
    return get_object_or_404(Campaign.objects.published(), slug=slug)


@csrf_exempt  # anonymous and without a session: the form's signed one-time token guards it
@never_cache
def campaign(request, slug):
    """A campaign's page; while it is open, its online form, which posts back here."""
    campaign = (request.method == "POST" and posted_campaign(request, slug)) or published_campaign(slug)
    state = campaign.state()
    if request.method == "POST" and state == "open":
        return answer(request, campaign)
    form = None
    if state == "open":
        form = AnswerForm(campaign=campaign, spec=form_spec(campaign), initial={"token": issue_token(campaign.pk)})
    status = 409 if request.method == "POST" else 200  # an answer sent after closing: the page says so
    return render(request, "hearings/campaign_detail.html", page_context(campaign, state, form), status=status)


# Campaigns that answers arrived for lately, by id, for a few seconds: an answer names its campaign in
# its signed token, so a stream of answers is stored without reading the campaign each time (make
# bench). The statement that stores an answer checks the campaign is published and open itself.
_recent: ProcessCache[tuple[float, Campaign]] = ProcessCache()
RECENT_SECONDS = 5.0


def posted_campaign(request, slug: str) -> Campaign | None:
    try:
        token = request.POST.get("token", "")
    except RequestDataTooBig:
        return None  # answer() says so
    campaign_id, _expired = read_token(token)
    if campaign_id is None:
        return None
    now = time.monotonic()
    kept = _recent.get(campaign_id)
    if kept is not None and kept[0] > now and kept[1].slug == slug:
        return kept[1]
    found = Campaign.objects.published().filter(pk=campaign_id, slug=slug).first()
    if found is not None:
        _recent.put(campaign_id, (now + RECENT_SECONDS, found))
    return found


def answer(request, campaign: Campaign):
    """Store the answer and thank, or show the form again with the answers and what to do."""
    try:
        data = request.POST
    except RequestDataTooBig:
        form = AnswerForm(campaign=campaign, spec=form_spec(campaign), initial={"token": issue_token(campaign.pk)})
        form.add_error(None, _("The answer was too long to receive. Shorten your texts and send again."))
        return render_form(request, campaign, form, status=413)
    spec = form_spec(campaign)
    # A plainly valid answer is read without building the form (make bench); anything else, the form.
    filled, form = quick_filled(data, campaign, spec), None
    if filled is None:
        form = AnswerForm(data, campaign=campaign, spec=spec)
        filled = form.filled() if form.is_valid() else None
    status = 400
    if filled is not None:
        token = data["token"].strip()
        problem, status = refusal_of(request, campaign, token, honeypot=data.get(HONEYPOT, "").strip())
        if problem is None:
            return store(request, campaign, filled, token)
        if form is None:
            form = AnswerForm(data, campaign=campaign, spec=spec)
            form.is_valid()
        form.add_error(None, problem)
    form.keep_answers(issue_token(campaign.pk))
    return render_form(request, campaign, form, status=status)


def thank(campaign: Campaign):
    return HttpResponseRedirect(reverse("hearings:thanks", args=[campaign.slug]))


def store(request, campaign: Campaign, filled, token: str):
    if submit_response(campaign_id=campaign.pk, filled=filled, token=token, language=request.LANGUAGE_CODE):
        return thank(campaign)
    # Not stored: sent already (two taps; the first one stored it), or closed this very moment (read
    # afresh: the campaign at hand may be a few seconds old).
    fresh = Campaign.objects.published().filter(pk=campaign.pk).first()
    if fresh is not None and fresh.state() == "open":
        return thank(campaign)
    return render(request, "hearings/campaign_detail.html", page_context(campaign, "closed", None), status=409)


def refusal_of(request, campaign: Campaign, token: str, *, honeypot: str) -> tuple[str | None, int]:
    """Why a valid-looking answer is not stored now, and the status to show the form with. The rate
    limit is counted last, so that only answers about to be stored count."""
    campaign_id, expired = read_token(token)
    if campaign_id != campaign.pk or expired:
        return _("This form had been open for a long time. Your answers are still here: send them again."), 400
    if honeypot:
        return _("Check your answers and send them again."), 400
    if not allow_answer(request, campaign.pk):
        return _("Many answers have been sent from your connection just now. Wait a moment and send again."), 429
    return None, 200


def render_form(request, campaign: Campaign, form: AnswerForm, *, status: int):
    return render(request, "hearings/campaign_detail.html", page_context(campaign, "open", form), status=status)


def page_context(campaign: Campaign, state: str, form: AnswerForm | None) -> dict:
    findings = []
    if state == "outcome":
        findings = list(campaign.findings.prefetch_related("decisions"))
    channels = [label for value, label in Channel.choices if value in campaign.channels]
    languages = [name for code, name in settings.LANGUAGES if code in campaign.languages]
    return {
        "campaign": campaign,
        "state": state,
        "form": form,
        "findings": findings,
        "channels": channels,
        "campaign_languages": languages,
    }


def thanks(request, slug):
    """What happens next: when the campaign closes and where its outcome will be published."""
    campaign = published_campaign(slug)
    # Queries: the campaign, and the decision dates of the topics it informs.
    due = campaign.topics.exclude(decision_due=None).order_by("decision_due").values_list("decision_due", flat=True)
    return render(request, "hearings/public_thanks.html", {"campaign": campaign, "decision_due": due.first()})
