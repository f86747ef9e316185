"""Participants answer with a short code and no account; staff start rounds and read their results."""

import time
from datetime import datetime
from typing import NamedTuple

from django.contrib.auth.decorators import login_required, permission_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import RequestDataTooBig
from django.db import connection
from django.db.models import Count
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from kokemuspankki.process_cache import ProcessCache

from . import exports, targets
from .forms import AnswerForm, CodeForm, RoundForm, RoundTimesForm, default_times, quick_filled
from .models import CODE_ALPHABET, Channel, FormKind, FormTemplate, FormVersion, Round, Series, is_feedback_admin
from .results import answer_counts, round_results, series_sections, series_trend
from .services import (
    change_round_times,
    create_round,
    issue_token,
    items_of,
    submit_answer,
    token_is_valid,
    token_round,
)

# The device's memory of the rounds it has answered: a signed cookie, not a record on the server.
ANSWERED_COOKIE = "kp_feedback"
ANSWERED_SALT = "kokemuspankki.feedback.answered"
ANSWERED_KEPT = 40  # round ids remembered per device


def answered_signature(ids: str) -> str:
    return salted_hmac(ANSWERED_SALT, ids, algorithm="sha256").hexdigest()[:24]


def answered_rounds(request) -> list[int]:
    """The round ids in the device's cookie ("12.40.41:signature"), if its signature holds."""
    ids, _colon, signature = request.COOKIES.get(ANSWERED_COOKIE, "").partition(":")
    if not ids or not constant_time_compare(signature, answered_signature(ids)):
        return []
    return [int(i) for i in ids.split(".") if i.isdigit()]


def remember_answered(response, request, round_: Round) -> None:
    ids = [i for i in answered_rounds(request) if i != round_.pk][-(ANSWERED_KEPT - 1) :] + [round_.pk]
    value = ".".join(map(str, ids))
    max_age = max(int((round_.closes_at - timezone.now()).total_seconds()), 0) + 30 * 24 * 3600
    response.set_cookie(
        ANSWERED_COOKIE,
        f"{value}:{answered_signature(value)}",
        max_age=max_age,
        httponly=True,
        samesite="Lax",
        secure=request.is_secure(),
    )


# The participant's form, per process: a version's questions and the unbound form's HTML per language,
# keyed by (version, changed_at) so that an admin's edit shows at once (feedback.signals). The form
# page is the one every participant opens: read and render once, not per request (make bench).
_items: ProcessCache[list] = ProcessCache()
_questions: ProcessCache[str] = ProcessCache()


def form_items(version_id: int, changed_at: datetime, version=None) -> list:
    """A version's questions, read once per process and version state (by id and changed_at)."""
    return _items.get_or_make(
        (version_id, changed_at), lambda: items_of(version or FormVersion.objects.get(pk=version_id))
    )


def version_items(version) -> list:
    return form_items(version.pk, version.changed_at, version)


def questions_html(request, version, items) -> str:
    """The unbound form's questions, rendered once per version and language."""
    return _questions.get_or_make(
        (version.pk, version.changed_at, translation.get_language()),
        lambda: render_to_string("feedback/_questions.html", {"form": AnswerForm(items=items)}, request),
    )


def normalise_code(code: str) -> str:
    """What was typed from a slide: any case, spaces or a dash in the middle."""
    return "".join(ch for ch in code.upper() if ch.isalnum())


def start(request):
    """/p/: type the code from the slide."""
    form = CodeForm(request.GET or None)
    if form.is_valid():
        code = normalise_code(form.cleaned_data["code"])
        if code and all(ch in CODE_ALPHABET for ch in code) and Round.objects.filter(code=code).exists():
            return redirect("feedback:answer", code=code)
        form.add_error("code", _("No feedback form has this code. Check the code and try again."))
    return render(request, "feedback/start.html", {"form": form}, status=404 if form.errors else 200)


class Found(NamedTuple):
    """What every participant's request reads of a round: one plain statement, no ORM (make bench)."""

    pk: int
    code: str
    title: str
    opens_at: datetime
    closes_at: datetime
    version_id: int
    changed_at: datetime

    def state(self) -> str:
        return Round.state(self)  # the same rule as the model's


ROUND_SQL = f"""SELECT r.id, r.code, r.title, r.opens_at, r.closes_at, r.version_id, v.changed_at
    FROM "{Round._meta.db_table}" r JOIN "{FormVersion._meta.db_table}" v ON v.id = r.version_id
    WHERE r.code = %s"""  # noqa: S608 - the models' tables


def find_round(code: str) -> Found | None:
    with connection.cursor() as cursor:
        cursor.execute(ROUND_SQL, [code])
        row = cursor.fetchone()
    return Found(*row) if row else None


def full_round(found: Found) -> Round:
    return Round.objects.select_related("version").get(pk=found.pk)


# The unbound form page per round, language and path, with stand-ins for the two per-request values:
# the form's one-time token and the language switch's CSRF token. Only for an anonymous visitor with
# no message waiting, whose page has nothing else of their own.
_pages: ProcessCache[str] = ProcessCache()
TOKEN_MARK, CSRF_MARK = "kp-one-time-token-here", "kp-csrf-token-here"


def form_page(request, found: Found) -> str | None:
    if request.user.is_authenticated or "messages" in request.COOKIES:
        return None
    key = (
        found.pk,
        found.title,
        found.version_id,
        found.changed_at,
        translation.get_language(),
        request.get_full_path(),
    )
    page = _pages.get(key)
    if page is None:
        round_ = full_round(found)
        items = version_items(round_.version)
        context = {
            "round": round_,
            "form": AnswerForm(items=items, initial={"token": TOKEN_MARK}),
            "questions": questions_html(request, round_.version, items),
            "csrf_token": CSRF_MARK,
        }
        page = _pages.put(key, render_to_string("feedback/answer_form.html", context, request))
    return page.replace(TOKEN_MARK, issue_token(found)).replace(CSRF_MARK, get_token(request))


# Rounds that answers arrived for lately, by id: a participant's POST names its round in its signed token,
# so a plain answer is stored without reading the round first. Whether the round is open is checked by
# the answer's own statement (services.submit_answer), so a round closed meanwhile still takes nothing.
_recent: ProcessCache[tuple[float, Found]] = ProcessCache()
RECENT_SECONDS = 5.0


def recent_round(pk: int, code: str) -> Found | None:
    now = time.monotonic()
    kept = _recent.get(pk)
    if kept is not None and kept[0] > now:
        return kept[1]
    found = find_round(code)
    if found is not None and found.pk == pk:
        _recent.put(pk, (now + RECENT_SECONDS, found))
    return found


def quick_answer(request, code: str):
    """A plainly valid answer, stored in one statement (the bench's POST); None: take the long way."""
    try:
        data = request.POST
    except RequestDataTooBig:
        request.feedback_too_big = True  # the stream is spent: the long way must not read it again
        return None
    token = data.get("token", "").strip()
    pk = token_round(token)
    found = recent_round(pk, code) if pk is not None else None
    if found is None or found.pk != pk or found.code != code:
        return None
    filled = quick_filled(data, form_items(found.version_id, found.changed_at))
    if filled is None or not submit_answer(round_=found, filled=filled, token=token):
        return None  # the form decides and words what was wrong; a repeat or a closed round is told so
    return thank(request, found)


def thank(request, found: Found):
    response = HttpResponseRedirect(f"{request.path}kiitos/")  # feedback:thanks, without resolving it
    remember_answered(response, request, found)
    return response


@csrf_exempt  # anonymous and without a session: the form's one-time token guards against replays
@never_cache
def answer(request, code):
    """The participant's form. No account and no session; one answer per device is kept by a cookie."""
    normal = normalise_code(code)
    if normal != code:
        return redirect("feedback:answer", code=normal) if normal else redirect("feedback:start")
    if request.method == "POST":
        response = quick_answer(request, code)
        if response is not None:
            return response
    found = find_round(code)
    if found is None:
        form = CodeForm(initial={"code": code})
        form.errors["code"] = form.error_class([_("No feedback form has this code. Check the code and try again.")])
        return render(request, "feedback/start.html", {"form": form}, status=404)
    state = found.state()
    if state != "open":
        return render(request, "feedback/answer_closed.html", {"round": full_round(found), "state": state})
    if request.method != "POST":
        if found.pk in answered_rounds(request):
            return render(request, "feedback/answer_thanks.html", {"round": full_round(found), "again": True})
        page = form_page(request, found)
        if page is not None:
            return HttpResponse(page)
    return answer_form(request, found)


def answer_form(request, found: Found):
    """The form bound to what was sent (stored, or shown again with its errors), or rendered afresh."""
    items = form_items(found.version_id, found.changed_at)
    too_big, questions = False, ""
    if request.method == "POST":
        try:
            data = None if getattr(request, "feedback_too_big", False) else request.POST
        except RequestDataTooBig:
            data = None
        too_big = data is None
        form = AnswerForm(data, items=items)
        if data is not None and form.is_valid():
            token = form.cleaned_data["token"]
            if token_is_valid(found, token):
                # False: sent already (two taps), or the round closed this very moment; either way the
                # participant is thanked for the answer that did arrive, or told it has closed.
                if submit_answer(round_=found, filled=form.filled(), token=token) or found.state() == "open":
                    return thank(request, found)
                return render(request, "feedback/answer_closed.html", {"round": full_round(found), "state": "closed"})
            form.add_error(None, _("This form is out of date. Your answers are still here: send them again."))
        form.data = form.data.copy() if data is not None else {}
        form.data["token"] = issue_token(found)
    else:
        form = AnswerForm(items=items, initial={"token": issue_token(found)})
    round_ = full_round(found)  # the page shows its title and intro: read only when one is rendered
    if not form.is_bound:
        questions = questions_html(request, round_.version, items)
    context = {"round": round_, "form": form, "too_big": too_big, "questions": questions}
    return render(request, "feedback/answer_form.html", context, status=400 if form.errors or too_big else 200)


def thanks(request, code):
    round_ = get_object_or_404(Round, code=normalise_code(code))
    return render(request, "feedback/answer_thanks.html", {"round": round_, "again": False})


# --- Staff


def visible_round(request, pk) -> Round:
    return get_object_or_404(
        Round.objects.visible_to(request.user).select_related("version__template", "series"), pk=pk
    )


def managed_round(request, pk) -> Round:
    return get_object_or_404(Round.objects.manageable_by(request.user).select_related("version"), pk=pk)


@login_required
@permission_required("accounts.view_feedback_results", raise_exception=True)
def index(request):
    """The rounds this user may read, newest first, with the series they belong to."""
    # Queries: the rounds with form, series and answer counts (one statement).
    rounds = list(Round.objects.visible_to(request.user).for_list().order_by("-opens_at", "-pk")[:200])
    series = Series.objects.filter(rounds__in=[r.pk for r in rounds]).annotate(n=Count("rounds")).order_by("name")
    return render(request, "feedback/index.html", {"rounds": rounds, "series": list(series), "now": timezone.now()})


@login_required
def round_detail(request, pk):
    """Results of one round, with the anonymity rule applied (feedback.results)."""
    round_ = visible_round(request, pk)
    counts = answer_counts(round_)
    answers = sum(counts.values())
    key = (round_.pk, answers, round_.threshold, round_.version.changed_at, translation.get_language())
    html = _results.get_or_make(
        key,
        lambda: render_to_string(
            "feedback/_results.html", {"results": round_results(round_, version_items(round_.version))}, request
        ),
    )
    context = {
        "round": round_,
        "results_html": html,
        "answers": answers,
        "paper": counts.get(Channel.PAPER, 0),
        "may_manage": Round.objects.manageable_by(request.user).filter(pk=pk).exists(),
        "target_url": target_url(round_),
    }
    return render(request, "feedback/round_detail.html", context)


# A round's rendered results per (round, answers, threshold, form, language): they change only when an
# answer arrives, so each process renders them once per answer rather than once per look (make bench).
# The comments' random order then holds until the next answer, still never the order they came in.
_results: ProcessCache[str] = ProcessCache()


def target_url(round_: Round) -> str:
    target = round_.target
    return target.get_absolute_url() if target is not None and hasattr(target, "get_absolute_url") else ""


@login_required
def round_export(request, pk, fmt):
    if fmt not in ("csv", "xlsx"):
        raise Http404
    round_ = visible_round(request, pk)
    results = round_results(round_, items_of(round_.version), texts=None)  # every comment
    name = f"palaute-{round_.code}-{timezone.localdate(round_.opens_at).isoformat()}"
    if fmt == "csv":
        response = HttpResponse(exports.results_csv(results), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    else:
        response = HttpResponse(exports.results_xlsx(results), content_type=exports.XLSX_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response


@login_required
def round_poster(request, pk):
    """A print-ready A4 page: the session's name, the QR code and the short link."""
    round_ = visible_round(request, pk)
    link = request.build_absolute_uri(round_.answer_url())
    short = request.build_absolute_uri(reverse("feedback:start"))
    context = {"round": round_, "link": link, "short": short, "qr": exports.qr_svg(link, title=round_.title)}
    return render(request, "feedback/round_poster.html", context)


@login_required
def round_qr(request, pk):
    """The QR code alone as an SVG file, for a slide."""
    round_ = visible_round(request, pk)
    svg = exports.qr_svg(request.build_absolute_uri(round_.answer_url()), title=round_.title, standalone=True)
    response = HttpResponse(svg, content_type="image/svg+xml")
    response["Content-Disposition"] = f'attachment; filename="palaute-{round_.code}.svg"'
    return response


@login_required
def round_paper(request, pk):
    """Staff type in the paper forms of a round, one after another (marked as paper)."""
    round_ = managed_round(request, pk)
    items = items_of(round_.version)
    saved = request.GET.get("saved") == "1"
    if request.method == "POST":
        form = AnswerForm(request.POST, items=items)
        if form.is_valid() and token_is_valid(round_, form.cleaned_data["token"]):
            submit_answer(round_=round_, filled=form.filled(), token=form.cleaned_data["token"], channel=Channel.PAPER)
            return redirect(reverse("feedback:paper", args=[pk]) + "?saved=1")
        form.data = form.data.copy()
        form.data["token"] = issue_token(round_)
    else:
        form = AnswerForm(items=items, initial={"token": issue_token(round_)})
    paper = round_.answers.filter(channel=Channel.PAPER).count()
    return render(request, "feedback/round_paper.html", {"round": round_, "form": form, "saved": saved, "paper": paper})


@login_required
def round_times(request, pk):
    round_ = managed_round(request, pk)
    form = RoundTimesForm(request.POST or None, instance=round_)
    if request.method == "POST" and form.is_valid():
        change_round_times(
            round_=round_, opens_at=form.cleaned_data["opens_at"], closes_at=form.cleaned_data["closes_at"]
        )
        return redirect(round_)
    return render(request, "feedback/round_times.html", {"round": round_, "form": form})


@login_required
def round_create(request, type_id, object_id):
    """Start a round on a target of another app (an assignment now): /feedback/new/<type>/<id>/."""
    content_type = get_object_or_404(ContentType, pk=type_id)
    model = content_type.model_class()
    kind = targets.kind_of(model) if model else None
    if kind is None:
        raise Http404
    if is_feedback_admin(request.user):
        target = get_object_or_404(model, pk=object_id)
    else:
        target = get_object_or_404(kind.manageable_by(request.user), pk=object_id)
    start_at, end_at = kind.times(target)
    opens, closes = default_times(start_at, end_at)
    # ?template=<id>: the form the target's app asks for (a training programme's feedback form).
    asked = request.GET.get("template", "")
    template = (
        FormTemplate.objects.filter(pk=asked, is_active=True).first() if asked.isascii() and asked.isdigit() else None
    )
    initial = {
        "title": str(target),
        "opens_at": timezone.localtime(opens),
        "closes_at": timezone.localtime(closes),
        "template": template
        or FormTemplate.objects.filter(kind=FormKind.PARTICIPANT, is_active=True).order_by("pk").first(),
    }
    form = RoundForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        series = data["series"]
        if data["new_series"]:
            series = Series.objects.create(name=data["new_series"], owner=request.user)
        language = request.LANGUAGE_CODE
        round_ = create_round(
            target=target,
            version=data["template"].latest_version(),
            owner=request.user,
            title=data["title"],
            opens_at=data["opens_at"],
            closes_at=data["closes_at"],
            series=series,
            participants=[*((email, language) for email in data["participants"]), *kind.participants(target)],
        )
        return redirect(round_)
    return render(request, "feedback/round_form.html", {"form": form, "target": target})


@login_required
def series_detail(request, pk):
    """The trend over a series' rounds that this user may read."""
    series = get_object_or_404(Series, pk=pk)
    rounds = list(Round.objects.visible_to(request.user).filter(series=series).order_by("opens_at", "pk"))
    if not rounds:
        raise Http404  # like a round one may not read: not found, rather than "exists but not yours"
    keys, points = series_trend(rounds)
    context = {
        "series": series,
        "keys": keys,
        "points": points,
        "sections": series_sections(points),
        "chart": exports.trend_chart(keys, points),
    }
    return render(request, "feedback/series_detail.html", context)
