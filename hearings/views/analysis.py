"""The staff's analysis of a campaign: figures per question under a filter, the free-text answers and
notes with their themes (tagged many at once), the theme list with word frequencies and suggested
themes, the CSV and Excel exports, and the print-ready report.

Every page needs accounts.run_hearings (coordinators and administrators); others get 403. Staff see
every campaign, drafts too (there is nothing to analyse in a draft, but nothing to hide either). The
answers are anonymous and notes name no one, so nothing here is audited as personal data.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.http import posted

from .. import exports
from ..analysis import MIN_RESPONSES, Filters, analyse, campaign_questions, notes_for, text_answers, theme_counts
from ..forms_analysis import AnalysisFilterForm, TagForm, TextFilterForm, ThemeForm
from ..models import Campaign, QuestionKind, Response, Theme
from ..themes import campaign_words, create_theme, rename_theme, tag_texts

run_hearings_required = permission_required("accounts.run_hearings", raise_exception=True)
TEXTS_PER_PAGE = 50


def _municipalities(campaign):
    # A subquery, not a list: the filter's choices are read only when the form is rendered or checked.
    return Response.objects.filter(campaign=campaign, municipality__isnull=False).values("municipality")


def _query(request) -> str:
    """The filter as a query string for links to the other analysis pages (no page number, no empty
    fields)."""
    kept = {key: value for key, value in request.GET.items() if value and key != "sivu"}
    return urlencode(kept)


@login_required
@run_hearings_required
def analysis(request, pk):
    campaign = get_object_or_404(Campaign, pk=pk)
    form = AnalysisFilterForm(request.GET or None, municipalities=_municipalities(campaign))
    filters = form.filters()
    result = analyse(campaign, filters, campaign_questions(campaign))
    context = {
        "campaign": campaign,
        "form": form,
        "analysis": result,
        "themes": [] if result.too_few else theme_counts(campaign, filters),
        "min_responses": MIN_RESPONSES,
        "query": _query(request),
    }
    return render(request, "hearings/analysis.html", context)


@login_required
@run_hearings_required
def analysis_texts(request, pk):
    """The free-text answers (50 a page) and notes under the filter, each with its themes and a box
    to tick; one POST adds or removes a theme on every ticked one."""
    campaign = get_object_or_404(Campaign, pk=pk)
    questions = [question for question in campaign_questions(campaign) if question.kind == QuestionKind.TEXT]
    themes = list(campaign.themes.all())
    form = TextFilterForm(
        request.GET or None, questions=questions, themes=themes, municipalities=_municipalities(campaign)
    )
    tag_form = TagForm(posted(request), campaign=campaign)
    if tag_form.is_valid():
        data = tag_form.cleaned_data
        changed = tag_texts(
            campaign=campaign,
            theme=data["theme"],
            answer_ids=data["answers"],
            note_ids=data["notes"],
            remove=data["action"] == "remove",
        )
        messages.success(request, _("Themes changed on %(count)d answers and notes.") % {"count": changed})
        return redirect(request.get_full_path())
    filters = form.filters()
    too_few = filters.active and filters.responses(campaign).count() < MIN_RESPONSES
    answers = text_answers(filters, form.question_ids(questions), theme=form.theme())
    page = Paginator(answers.select_related("question").prefetch_related("themes"), TEXTS_PER_PAGE).get_page(
        request.GET.get("sivu")
    )
    context = {
        "campaign": campaign,
        "form": form,
        "tag_form": tag_form,
        "themes": themes,
        "too_few": too_few,
        "page": None if too_few else page,
        "notes": [] if too_few else notes_for(campaign, filters, theme=form.theme()).prefetch_related("themes"),
        "min_responses": MIN_RESPONSES,
        "query": _query(request),
    }
    return render(request, "hearings/analysis_texts.html", context)


def _render_themes(request, campaign, form):
    questions = [q.pk for q in campaign_questions(campaign) if q.kind == QuestionKind.TEXT]
    filter_form = AnalysisFilterForm(request.GET or None, municipalities=_municipalities(campaign))
    filters = filter_form.filters()
    counts = theme_counts(campaign, filters)
    too_few = filters.active and filters.responses(campaign).count() < MIN_RESPONSES
    context = {
        "campaign": campaign,
        "form": form,
        "filter_form": filter_form,
        "themes": counts,
        "too_few": too_few,
        "words": None if too_few else campaign_words(campaign, filters, questions, {c.theme.name for c in counts}),
        "min_responses": MIN_RESPONSES,
        "query": _query(request),
    }
    return render(request, "hearings/analysis_themes.html", context)


@login_required
@run_hearings_required
def themes(request, pk):
    """The campaign's themes with their counts, the word frequencies and suggested themes."""
    campaign = get_object_or_404(Campaign, pk=pk)
    return _render_themes(request, campaign, ThemeForm())


@require_POST
@login_required
@run_hearings_required
def theme_create(request, pk):
    campaign = get_object_or_404(Campaign, pk=pk)
    form = ThemeForm(request.POST)
    if not form.is_valid():
        return _render_themes(request, campaign, form)
    theme, made = create_theme(campaign=campaign, name=form.cleaned_data["name"])
    if made:
        messages.success(request, _("The theme “%(name)s” has been added.") % {"name": theme.name})
    else:
        messages.info(request, _("The theme “%(name)s” is already on the list.") % {"name": theme.name})
    return redirect(reverse("hearings:themes", args=[campaign.pk]) + _back_query(request))


def _back_query(request) -> str:
    # The themes page's filter travels in the form's action URL, so that adding keeps it.
    query = request.GET.urlencode()
    return f"?{query}" if query else ""


@login_required
@run_hearings_required
def theme_rename(request, pk, theme_pk):
    theme = get_object_or_404(Theme.objects.select_related("campaign"), pk=theme_pk, campaign_id=pk)
    form = ThemeForm(posted(request), instance=Theme(campaign=theme.campaign, name=theme.name))
    if form.is_valid():
        try:
            rename_theme(theme=theme, name=form.cleaned_data["name"])
        except ValidationError as error:
            form.add_error("name", error)
        else:
            messages.success(request, _("The theme has been renamed."))
            return redirect("hearings:themes", pk)
    return render(
        request, "hearings/analysis_theme_rename.html", {"campaign": theme.campaign, "theme": theme, "form": form}
    )


@login_required
@run_hearings_required
def theme_delete(request, pk, theme_pk):
    """Deleting a theme removes its tags from the answers and notes, not the texts themselves."""
    campaign = get_object_or_404(Campaign, pk=pk)
    theme = campaign.themes.filter(pk=theme_pk).first()
    if theme is None:
        if request.method == "POST":
            # Deleted already (a double click): the same outcome, said the same way.
            messages.success(request, _("The theme has been deleted."))
            return redirect("hearings:themes", pk)
        raise Http404
    if request.method == "POST":
        theme.delete()
        messages.success(request, _("The theme has been deleted."))
        return redirect("hearings:themes", pk)
    tagged = theme.answers.count() + theme.notes.count()
    context = {"campaign": campaign, "theme": theme, "tagged": tagged}
    return render(request, "hearings/analysis_theme_delete.html", context)


@login_required
@run_hearings_required
def export(request, pk, kind, fmt):
    """Every response (a row each) or every note, as CSV or Excel, named with the campaign's slug."""
    campaign = get_object_or_404(Campaign, pk=pk)
    rows = exports.response_rows(campaign) if kind == "vastaukset" else exports.note_rows(campaign)
    name = f"{campaign.slug}-{kind}"
    if fmt == "csv":
        response = HttpResponse(exports.as_csv(rows), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(exports.as_xlsx(rows, title=kind), content_type=exports.XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


@login_required
@run_hearings_required
def report(request, pk):
    """The print-ready report (A4): facts, figures per question, theme counts, the notes and, once
    published, the outcome with its findings and decisions."""
    campaign = get_object_or_404(Campaign.objects.select_related("owner"), pk=pk)
    result = analyse(campaign, Filters(), campaign_questions(campaign))
    notes = campaign.notes.prefetch_related("themes").order_by("held_on", "pk")
    findings = campaign.findings.prefetch_related("decisions") if campaign.outcome_published_at else []
    context = {
        "campaign": campaign,
        "analysis": result,
        "themes": theme_counts(campaign, Filters()),
        "notes": notes,
        "findings": findings,
    }
    return render(request, "hearings/report.html", context)
