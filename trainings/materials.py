"""Programme materials: who may download them, and their files' removal from storage.

Files are never under MEDIA_URL (the web server does not serve MEDIA_ROOT): views.programmes
.material_download hands one out after `downloadable_materials()` has said yes, as experts' photos are.
"""

from django.db import transaction
from django.db.models import Q
from django.db.models.signals import post_delete

from .models import Cohort, Material, Programme


def programmes_of(user):
    """The programmes whose materials `user` may download: every one for coordinators
    (manage_trainings); else those with a cohort that `user` trains, trains a session of, or takes
    part in with their account (not removed). No permission is needed for the latter: expert
    trainers and participants are experts."""
    if not user.is_authenticated:
        return Programme.objects.none()
    if user.has_perm("accounts.manage_trainings"):
        return Programme.objects.all()
    cohorts = Cohort.objects.filter(
        Q(trainers=user) | Q(sessions__trainers=user) | Q(participants__user=user, participants__removed_at=None)
    )
    return Programme.objects.filter(pk__in=cohorts.values("programme_id"))


def downloadable_materials(user):
    """The materials `user` may download (see programmes_of)."""
    if not user.is_authenticated:
        return Material.objects.none()
    if user.has_perm("accounts.manage_trainings"):
        return Material.objects.all()
    return Material.objects.filter(programme__in=programmes_of(user).values("pk"))


@transaction.atomic
def delete_material(*, material: Material) -> None:
    """Delete the material; its file goes from storage once the deletion is committed (the
    post_delete receiver below)."""
    material.delete()


def remove_file(sender, instance: Material, **kwargs) -> None:
    # On every deletion (the page, admin, a deleted programme's cascade), after the commit: a rolled
    # back deletion keeps its file.
    if instance.file:
        storage, name = instance.file.storage, instance.file.name
        transaction.on_commit(lambda: storage.delete(name))


def connect_signals() -> None:
    post_delete.connect(remove_file, sender=Material, dispatch_uid="trainings.material.remove_file")
