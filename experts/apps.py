from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExpertsConfig(AppConfig):
    name = "experts"
    verbose_name = _("Expert bank")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        post_migrate.connect(seed_after_migrate, sender=self, dispatch_uid="experts.seed")
        post_migrate.connect(prepare_lexicon_after_migrate, sender=self, dispatch_uid="experts.lexicon")
        from .consent_renewal import register_notification_kinds

        register_notification_kinds()


def seed_after_migrate(sender, **kwargs):
    from django.apps import apps

    from .seed import seed

    seed(lambda name: apps.get_model("experts", name))


def prepare_lexicon_after_migrate(sender, **kwargs):
    """The search's Finnish and Swedish dictionaries (kokemuspankki.text) are built once per machine,
    here rather than in the first search request (~20 s)."""
    from kokemuspankki.text import prepare_lexicon

    prepare_lexicon()
