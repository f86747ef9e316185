"""Participants answer with a short code and no account; staff start rounds and read their results."""

from django.contrib.auth.decorators import login_required, permission_required
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.core.exceptions import RequestDataTooBig
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from . import exports, targets
from .forms import AnswerForm, CodeForm, RoundForm, RoundTimesForm, default_times
from .models import CODE_ALPHABET, Channel, Round, Series, is_feedback_admin
from .results import round_results, series_sections, series_trend
from .services import change_round_times, create_round, issue_token, items_of, submit_answer, token_is_valid

# The device's memory of the rounds it has answered: a signed cookie, not a record on the server.
ANSWERED_COOKIE = "kp_feedback"
ANSWERED_SALT = "kokemuspankki.feedback.answered"
ANSWERED_KEPT = 40  # round ids remembered per device


def answered_rounds(request) -> list[int]:
    try:
        ids = signing.loads(request.COOKIES.get(ANSWERED_COOKIE, ""), salt=ANSWERED_SALT)
    except signing.BadSignature:
        return []
    return [i for i in ids if isinstance(i, int)] if isinstance(ids, list) else []


def remember_answered(response, request, round_: Round) -> None:
    ids = [i for i in answered_rounds(request) if i != round_.pk][-(ANSWERED_KEPT - 1) :] + [round_.pk]
    max_age = max(int((round_.closes_at - timezone.now()).total_seconds()), 0) + 30 * 24 * 3600
    response.set_cookie(
        ANSWERED_COOKIE,
        signing.dumps(ids, salt=ANSWERED_SALT),
        max_age=max_age,
        httponly=True,
        samesite="Lax",
        secure=request.is_secure(),
    )


# The participant's form, per process: a version's questions and the unbound form's HTML per language,
# keyed by (version, changed_at) so that an admin's edit shows at once (feedback.signals). The form
# page is the one every participant opens: read and render once, not per request (make bench).
_items: dict[tuple, list] = {}
_questions: dict[tuple, str] = {}
CACHED_FORMS = 100


def form_items(version) -> list:
    key = (version.pk, version.changed_at)
    items = _items.get(key)
    if items is None:
        items = items_of(version)
        if len(_items) >= CACHED_FORMS:
            _items.clear()
        _items[key] = items
    return items


def questions_html(request, version, items) -> str:
    """The unbound form's questions, rendered once per version and language."""
    key = (version.pk, version.changed_at, translation.get_language())
    html = _questions.get(key)
    if html is None:
        html = render_to_string("feedback/_questions.html", {"form": AnswerForm(items=items)}, request)
        if len(_questions) >= CACHED_FORMS:
            _questions.clear()
        _questions[key] = html
    return html


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


@csrf_exempt  # anonymous and without a session: the form's one-time token guards against replays
@never_cache
def answer(request, code):
    """The participant's form. No account and no session; one answer per device is kept by a cookie."""
    normal = normalise_code(code)
    if normal != code:
        return redirect("feedback:answer", code=normal) if normal else redirect("feedback:start")
    round_ = Round.objects.select_related("version").filter(code=code).order_by().first()
    if round_ is None:
        form = CodeForm(initial={"code": code})
        form.errors["code"] = form.error_class([_("No feedback form has this code. Check the code and try again.")])
        return render(request, "feedback/start.html", {"form": form}, status=404)
    state = round_.state()
    if state != "open":
        return render(request, "feedback/answer_closed.html", {"round": round_, "state": state})
    if round_.pk in answered_rounds(request) and request.method != "POST":
        return render(request, "feedback/answer_thanks.html", {"round": round_, "again": True})
    items = form_items(round_.version)
    too_big, questions = False, ""
    if request.method == "POST":
        try:
            data = request.POST
        except RequestDataTooBig:
            data, too_big = None, True
        form = AnswerForm(data, items=items)
        if data is not None and form.is_valid():
            token = form.cleaned_data["token"]
            if token_is_valid(round_, token):
                submit_answer(round_=round_, filled=form.filled(), token=token)
                response = redirect("feedback:thanks", code=code)
                remember_answered(response, request, round_)
                return response
            form.add_error(None, _("This form is out of date. Your answers are still here: send them again."))
        form.data = form.data.copy() if data is not None else {}
        form.data["token"] = issue_token(round_)
    else:
        form = AnswerForm(items=items, initial={"token": issue_token(round_)})
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
    results = round_results(round_, items_of(round_.version))
    may_manage = Round.objects.manageable_by(request.user).filter(pk=pk).exists()
    context = {"round": round_, "results": results, "may_manage": may_manage, "target_url": target_url(round_)}
    return render(request, "feedback/round_detail.html", context)


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
    initial = {"title": str(target), "opens_at": timezone.localtime(opens), "closes_at": timezone.localtime(closes)}
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
