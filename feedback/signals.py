"""A form version's `changed_at` moves whenever it or one of its questions or choices changes (admin
edits them), so that the participant's form, cached per process by (version, changed_at), is never
served stale (feedback.views.form_for)."""

from django.db.models.signals import post_delete, post_save, pre_save
from django.utils import timezone

from .models import FormVersion, Item, ItemChoice


def touch_version(version_id: int | None) -> None:
    if version_id is not None:
        FormVersion.objects.filter(pk=version_id).update(changed_at=timezone.now())


def version_saved(sender, instance: FormVersion, **kwargs) -> None:
    instance.changed_at = timezone.now()


def item_changed(sender, instance: Item, **kwargs) -> None:
    touch_version(instance.version_id)


def choice_changed(sender, instance: ItemChoice, **kwargs) -> None:
    touch_version(Item.objects.filter(pk=instance.item_id).values_list("version_id", flat=True).first())


def connect() -> None:
    pre_save.connect(version_saved, sender=FormVersion, dispatch_uid="feedback.version_saved")
    for signal in (post_save, post_delete):
        signal.connect(item_changed, sender=Item, dispatch_uid=f"feedback.item_changed.{signal is post_save}")
        signal.connect(choice_changed, sender=ItemChoice, dispatch_uid=f"feedback.choice_changed.{signal is post_save}")
