"""Consent to process health-related data (GDPR art. 9): the versioned text and each consent given."""

from datetime import timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ConsentText(models.Model):
    """The versioned text of the consent to process health-related data (GDPR art. 9).

    Publishing a new version asks every expert again (experts.consent_renewal): a profile is listed
    while its consent is for the newest published version, or for the one before it until the newest
    one's grace period ends.
    """

    version = models.PositiveIntegerField(_("version"), unique=True)
    text = models.TextField(_("text"))
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    # How long experts who consented to the previous version stay listed after this one is published:
    # they are told through the outbox and delisted only if they have not answered by then.
    grace_days = models.PositiveSmallIntegerField(
        _("grace period (days)"),
        default=30,
        validators=[MaxValueValidator(365)],
        help_text=_("Experts who consented to the previous version stay listed this long while they are asked again."),
    )

    class Meta:
        verbose_name = _("consent text")
        verbose_name_plural = _("consent texts")
        ordering = ["-version"]

    def __str__(self) -> str:
        return f"v{self.version}"

    @classmethod
    def current(cls) -> "ConsentText | None":
        return cls.objects.filter(published_at__lte=timezone.now()).order_by("-version").first()

    @property
    def grace_deadline(self):
        """Until when consents to the version before this one still count (ExpertProfile.consented())."""
        return self.published_at + timedelta(days=self.grace_days) if self.published_at else None


class Consent(models.Model):
    """One consent given (and maybe withdrawn): the history the county must be able to show."""

    profile = models.ForeignKey("experts.ExpertProfile", on_delete=models.CASCADE, related_name="consents")
    text = models.ForeignKey(ConsentText, on_delete=models.PROTECT, verbose_name=_("consent text"))
    given_at = models.DateTimeField(pgettext_lazy("consent", "given"), default=timezone.now)
    withdrawn_at = models.DateTimeField(pgettext_lazy("consent", "withdrawn"), null=True, blank=True)
    # Given on paper to a coordinator who entered it (an expert with weak digital skills).
    on_paper = models.BooleanField(_("given on paper"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("entered by"),
    )

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["-given_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["profile", "text"], condition=Q(withdrawn_at__isnull=True), name="expert_one_open_consent"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.profile} – {self.text}"
