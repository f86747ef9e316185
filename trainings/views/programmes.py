"""Programmes (the curriculum) for trainers and coordinators, and their materials: coordinators add
and delete them; the people of the programme's cohorts download them."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.db.models import Count, Sum
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kokemuspankki import form_keys

from ..forms import MaterialAddForm
from ..materials import delete_material, downloadable_materials, programmes_of
from ..models import Cohort, Material, Participant, Programme, TrainingSession


@login_required
@permission_required("accounts.run_trainings", raise_exception=True)
def programme_list(request):
    """Every programme with its size; those not in use last."""
    programmes = Programme.objects.annotate(module_count=Count("modules"), hours=Sum("modules__hours")).order_by(
        "-is_active", "name"
    )
    return render(request, "trainings/programme_list.html", {"programmes": programmes})


@login_required
@permission_required("accounts.run_trainings", raise_exception=True)
def programme_detail(request, slug, form=None):
    """The curriculum, its materials by module, and the cohorts of it that the user sees."""
    programme = get_object_or_404(Programme.objects.select_related("feedback_template"), slug=slug)
    may_manage = request.user.has_perm("accounts.manage_trainings")
    if may_manage and form is None:
        form = MaterialAddForm(programme=programme)
    materials = materials_by_module(programme)
    modules = list(programme.modules.all())
    for module in modules:
        module.material_list = materials.get(module.pk, [])
    return render(
        request,
        "trainings/programme_detail.html",
        {
            "programme": programme,
            "modules": modules,
            "programme_materials": materials.get(None, []),
            "cohorts": Cohort.objects.visible_to(request.user).filter(programme=programme).order_by("-starts_on"),
            "may_manage": may_manage,
            "may_download": may_manage or programmes_of(request.user).filter(pk=programme.pk).exists(),
            "form": form,
        },
        status=400 if form is not None and form.is_bound else 200,
    )


def materials_by_module(programme) -> dict:
    """{module id or None: [materials]}: one query for the whole page."""
    grouped: dict = {}
    for material in programme.materials.all():
        grouped.setdefault(material.module_id, []).append(material)
    return grouped


@require_POST
@login_required
@permission_required("accounts.manage_trainings", raise_exception=True)
def material_add(request, slug):
    programme = get_object_or_404(Programme, slug=slug)
    form = MaterialAddForm(request.POST, request.FILES, programme=programme)
    here = f"{programme.get_absolute_url()}#materials"
    if sent := form_keys.sent_before(request, form, "material"):
        return form_keys.already_sent(request, sent, here)
    if not form.is_valid():
        return programme_detail(request, slug, form=form)
    key, first = form_keys.claim(request, form, "material")  # a double submit adds one material
    if not first:
        return form_keys.already_sent(request, key, here)
    material = form.save(commit=False)
    material.added_by = request.user
    material.save()
    form_keys.remember(key, here)
    messages.success(request, _("The material has been added."))
    return redirect(here)


@require_POST
@login_required
@permission_required("accounts.manage_trainings", raise_exception=True)
def material_delete(request, pk):
    # A second click of the same button finds nothing to delete: back to the programme all the same.
    material = downloadable_materials(request.user).select_related("programme").filter(pk=pk).first()
    if material is None:
        messages.info(request, _("The material had already been deleted."))
        return redirect("trainings:programme_list")
    programme = material.programme
    delete_material(material=material)
    messages.success(request, _("The material has been deleted."))
    return redirect(f"{programme.get_absolute_url()}#materials")


@login_required
def material_download(request, pk):
    """The file, as an attachment with its own name, only to the people of the programme's cohorts
    (materials.downloadable_materials); a link material sends the browser on to the link."""
    material = get_object_or_404(downloadable_materials(request.user), pk=pk)
    if material.url:
        return HttpResponseRedirect(material.url)
    if not material.file:
        raise Http404
    response = FileResponse(
        material.file.open("rb"),
        as_attachment=True,
        filename=material.filename or material.file.name.rsplit("/", 1)[-1],
        content_type=material.content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-cache"
    return response


@login_required
def my_trainings(request):
    """A participant's own trainings: the cohorts they take part in with an account (most have
    none until they join the bank), the sessions ahead, the materials to download, completion."""
    # Queries: the participations with cohort and programme; their sessions; their materials.
    participations = list(
        Participant.objects.current()
        .filter(user=request.user)
        .select_related("cohort__programme")
        .order_by("-cohort__starts_on", "pk")
    )
    cohorts = [participation.cohort for participation in participations]
    sessions = TrainingSession.objects.filter(cohort__in=cohorts, cancelled=False, ends_at__gt=timezone.now())
    materials = Material.objects.filter(programme__in=[cohort.programme_id for cohort in cohorts])
    by_cohort = {cohort.pk: [] for cohort in cohorts}
    for session in sessions.select_related("module").order_by("starts_at", "pk"):
        by_cohort[session.cohort_id].append(session)
    by_programme: dict[int, list] = {}
    for material in materials.select_related("module").order_by("module__order", "title", "pk"):
        by_programme.setdefault(material.programme_id, []).append(material)
    rows = [
        (participation, by_cohort[participation.cohort_id], by_programme.get(participation.cohort.programme_id, []))
        for participation in participations
    ]
    return render(request, "trainings/my_trainings.html", {"rows": rows})
