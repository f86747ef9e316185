from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    EMAIL = "email", _("Email")
    SMS = "sms", _("Text message")


class Status(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")


class NotificationQuerySet(models.QuerySet):
    def due(self, now=None):
        return self.filter(status=Status.PENDING, due_at__lte=now or timezone.now())

    def for_target(self, target):
        return self.filter(content_type=ContentType.objects.get_for_model(target), object_id=target.pk)


class Notification(models.Model):
    """One message to one recipient: the outbox row that makes every reminder go out once in effect.

    The due time lives here, in PostgreSQL; Celery beat only sweeps due rows into send tasks. The unique
    key (kind, target, recipient, channel) makes a duplicate impossible, even from two processes.
    """

    kind = models.CharField(_("kind"), max_length=100)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices, default=Channel.EMAIL)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    # For people without an account (e.g. a resident who left an address in a hearing).
    to_address = models.CharField(_("address"), max_length=254, blank=True)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, default="fi")
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, verbose_name=_("about (type)"))
    object_id = models.CharField(_("about (id)"), max_length=64)
    target = GenericForeignKey("content_type", "object_id")
    context = models.JSONField(_("context"), default=dict, blank=True)
    due_at = models.DateTimeField(_("due"), db_index=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    claim_token = models.UUIDField(null=True, blank=True, editable=False)
    claimed_at = models.DateTimeField(_("claimed"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-due_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "content_type", "object_id", "recipient", "to_address", "channel"],
                name="notifications_one_per_key",
                nulls_distinct=False,
            ),
            models.CheckConstraint(
                condition=models.Q(recipient__isnull=False) | ~models.Q(to_address=""),
                name="notifications_has_recipient_or_address",
            ),
        ]
        indexes = [
            # The sweep's query: pending rows by due time, and claims that have expired.
            models.Index(fields=["due_at"], name="notif_pending_due", condition=models.Q(status="pending")),
            models.Index(fields=["claimed_at"], name="notif_sending_claimed", condition=models.Q(status="sending")),
            models.Index(fields=["content_type", "object_id"], name="notif_target"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk} ({self.get_status_display()})"


class NotificationPreference(models.Model):
    """A person's choice to stop one optional kind on one channel (the default is on)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preferences",
        verbose_name=_("user"),
    )
    kind = models.CharField(_("kind"), max_length=100)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    enabled = models.BooleanField(_("enabled"), default=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind", "channel"], name="notifications_one_preference"),
        ]

    def __str__(self) -> str:
        return f"{self.kind}/{self.channel}: {'on' if self.enabled else 'off'}"
