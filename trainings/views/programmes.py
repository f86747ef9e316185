"""Programmes (the curriculum) for trainers and coordinators, and their materials: coordinators add
and delete them; the people of the programme's cohorts download them."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.db.models import Count, Sum
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import form_keys
from ..forms import MaterialAddForm
from ..materials import delete_material, downloadable_materials, programmes_of
from ..models import Cohort, Programme


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
