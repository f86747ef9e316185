"""Session feedback: form templates in versions, rounds on any target, and anonymous answers.

What an answer keeps, and what it does not: the round, the channel (online or paper) and the date.
No user, no IP address, no user agent, no time of day, and no device token (one answer per device is
kept by a cookie on the device, feedback.services). Free-text answers are stored apart from the
scale answers, with no link to the answer they came with, so that a comment cannot be joined to the
same person's ratings.
"""

import secrets
import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.roles import Role

# Short codes for links typed from a slide: no 0/O, 1/I/L, 2/Z, 5/S, 8/B; read case-insensitively.
CODE_ALPHABET = "ACDEFHJKMNPRTUVWXY34679"
CODE_LENGTH = 6
TEXT_MAX = 4000  # characters of one free-text answer


class FormKind(models.TextChoices):
    PARTICIPANT = "participant", _("Participants, after each session")
    STAFF = "staff", _("Staff, after a programme")
    OTHER = "other", _("Other")


class FormTemplate(models.Model):
    """A feedback form as staff know it ("Participant feedback after a session"). Its items live in
    versions: once a version has answers it is never edited again, so old answers keep their meaning."""

    name = models.CharField(_("name"), max_length=150)
    description = models.TextField(_("description"), max_length=1000, blank=True)
    kind = models.CharField(_("who fills it"), max_length=12, choices=FormKind.choices, default=FormKind.PARTICIPANT)
    is_active = models.BooleanField(_("in use"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("feedback form")
        verbose_name_plural = _("feedback forms")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name

    def latest_version(self) -> "FormVersion | None":
        return self.versions.order_by("-number").first()


class FormVersion(models.Model):
    template = models.ForeignKey(FormTemplate, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveSmallIntegerField(_("version"), default=1)
    intro = models.TextField(_("text above the questions"), max_length=1000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Moved on every change of the version or its questions (feedback.signals): the participant's
    # form is cached per process by (version, changed_at), so an edit shows at once everywhere.
    changed_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("form version")
        verbose_name_plural = _("form versions")
        ordering = ["template", "number"]
        constraints = [models.UniqueConstraint(fields=["template", "number"], name="form_version_unique")]

    def __str__(self) -> str:
        return f"{self.template} ({self.number})"

    def has_answers(self) -> bool:
        return Answer.objects.filter(round__version=self).exists()


class ItemKind(models.TextChoices):
    SCALE = "scale", _("Stars from 1 to 5")
    TEXT = "text", _("Free text")
    CHOICE = "choice", _("One choice")


class Item(models.Model):
    """One question of a form version. `key` stays the same across versions (copied with the item), so
    that a trend over rounds compares the same question when the form was edited in between."""

    version = models.ForeignKey(FormVersion, on_delete=models.CASCADE, related_name="items")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    key = models.SlugField(_("key"), max_length=40, help_text=_("The same question keeps its key in new versions."))
    kind = models.CharField(_("kind"), max_length=8, choices=ItemKind.choices, default=ItemKind.SCALE)
    section = models.CharField(
        _("section"), max_length=100, blank=True, help_text=_("Items of a section are averaged together (Learning).")
    )
    text = models.CharField(_("question"), max_length=300)
    help_text = models.CharField(_("help text"), max_length=300, blank=True)
    low_label = models.CharField(_("label of 1 star"), max_length=60, blank=True)
    high_label = models.CharField(_("label of 5 stars"), max_length=60, blank=True)
    allow_dont_know = models.BooleanField(_("offer “I cannot say”"), default=False)
    required = models.BooleanField(_("required"), default=False)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["version", "order", "pk"]
        constraints = [models.UniqueConstraint(fields=["version", "key"], name="item_key_unique_in_version")]

    def __str__(self) -> str:
        return self.text


class ItemChoice(models.Model):
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="choices")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    label = models.CharField(_("choice"), max_length=150)

    class Meta:
        verbose_name = _("choice")
        verbose_name_plural = _("choices")
        ordering = ["item", "order", "pk"]

    def __str__(self) -> str:
        return self.label


class Series(models.Model):
    """Rounds that belong together (a peer group's sessions, a cohort's sessions): the trend page."""

    name = models.CharField(_("name"), max_length=200)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("series of rounds")
        verbose_name_plural = _("series of rounds")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("feedback:series", args=[self.pk])


def default_threshold() -> int:
    return settings.KP_FEEDBACK_THRESHOLD


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


class RoundQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The rounds whose results `user` may read: their own, and those on targets the target's app
        lets them read (feedback.targets); an admin reads all. Never another expert's."""
        return self._by_target(user, "readable_by")

    def manageable_by(self, user):
        """The rounds `user` may change and type paper answers into: their own, or on a target they
        may manage."""
        return self._by_target(user, "manageable_by")

    def _by_target(self, user, rule: str):
        from . import targets

        if not user.is_authenticated:
            return self.none()
        if is_feedback_admin(user):
            return self
        condition = Q(owner=user)
        for model in targets.registered_models():
            allowed = getattr(targets.kind_of(model), rule)(user).values("pk")
            condition |= Q(target_type=ContentType.objects.get_for_model(model), target_id__in=allowed)
        return self.filter(condition)

    def on_target(self, target):
        """The rounds on `target` (an assignment, a session), oldest first, with their answer counts."""
        kind = ContentType.objects.get_for_model(target)
        return (
            self.filter(target_type=kind, target_id=target.pk)
            .annotate(answer_count=models.Count("answers"))
            .order_by("opens_at", "pk")
        )

    def for_list(self):
        return self.select_related("version__template", "series").annotate(answer_count=models.Count("answers"))


def is_feedback_admin(user) -> bool:
    return user.is_superuser or user.has_role(Role.ADMIN)


class Round(models.Model):
    """Feedback collected on one target (an assignment, a training session, a workshop): a form
    version, a short code for the link, and the time it is open."""

    version = models.ForeignKey(FormVersion, on_delete=models.PROTECT, related_name="rounds", verbose_name=_("form"))
    title = models.CharField(_("name shown to participants"), max_length=200)
    code = models.CharField(_("code"), max_length=CODE_LENGTH, unique=True, default=new_code, editable=False)
    target_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+", editable=False)
    target_id = models.PositiveBigIntegerField(editable=False)
    target = GenericForeignKey("target_type", "target_id")
    series = models.ForeignKey(
        Series, on_delete=models.SET_NULL, null=True, blank=True, related_name="rounds", verbose_name=_("series")
    )
    opens_at = models.DateTimeField(_("opens"))
    closes_at = models.DateTimeField(_("closes"))
    threshold = models.PositiveSmallIntegerField(
        _("answers needed before results show"),
        default=default_threshold,
        validators=[MinValueValidator(3), MaxValueValidator(100)],
        help_text=_("Results stay hidden until this many have answered, so that nobody can be singled out."),
    )
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RoundQuerySet.as_manager()

    class Meta:
        verbose_name = _("feedback round")
        verbose_name_plural = _("feedback rounds")
        ordering = ["-opens_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(closes_at__gt=models.F("opens_at")), name="round_closes_after_open"),
            models.CheckConstraint(condition=Q(threshold__gte=3), name="round_threshold_at_least_3"),
        ]
        indexes = [models.Index(fields=["target_type", "target_id"], name="round_target")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("feedback:round", args=[self.pk])

    def answer_url(self) -> str:
        return reverse("feedback:answer", args=[self.code])

    def state(self, now=None) -> str:
        now = now or timezone.now()
        if now < self.opens_at:
            return "future"
        return "open" if now < self.closes_at else "closed"


class Channel(models.TextChoices):
    ONLINE = "online", pgettext_lazy("feedback channel", "Online")
    PAPER = "paper", pgettext_lazy("feedback channel", "Paper form")


class Answer(models.Model):
    """One participant's answer to a round: deliberately nothing about who, and the date only."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="answers", db_index=False)
    answered_on = models.DateField(_("date"))
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices, default=Channel.ONLINE)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        indexes = [models.Index(fields=["round", "channel"], name="answer_round")]

    def __str__(self) -> str:
        return f"{self.round} {self.answered_on}"


TALLY_SHARDS = 16  # concurrent answers to one round add to different rows (services.submit_answer)


class Tally(models.Model):
    """How many answered a round's item so (a number of stars, "I cannot say" or a choice), or, with no
    item, how many answered the round by a channel. Answers are added here, not kept one row per
    person and item: nobody can read one participant's pattern of ratings, and a round's results are
    a few dozen rows whether 9 or 200,000 answered. Each answer adds to one of TALLY_SHARDS rows per
    key, so that participants answering at the same moment do not queue for one row's lock."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="tallies", db_index=False)
    item = models.ForeignKey(Item, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    value = models.PositiveSmallIntegerField(null=True, blank=True)
    dont_know = models.BooleanField(default=False)
    choice = models.ForeignKey(ItemChoice, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    channel = models.CharField(max_length=8, blank=True)  # only on the rows without an item
    shard = models.PositiveSmallIntegerField(default=0)
    n = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(value__isnull=True) | Q(value__gte=1, value__lte=5), name="tally_value_1_to_5"
            ),
            models.CheckConstraint(
                condition=Q(item__isnull=True, value__isnull=True, dont_know=False, choice__isnull=True)
                | Q(item__isnull=False, channel="")
                & (
                    Q(value__isnull=False, dont_know=False, choice__isnull=True)
                    | Q(value__isnull=True, dont_know=True, choice__isnull=True)
                    | Q(value__isnull=True, dont_know=False, choice__isnull=False)
                ),
                name="tally_one_kind",
            ),
            models.UniqueConstraint(
                fields=["round", "item", "value", "dont_know", "choice", "channel", "shard"],
                name="tally_key",
                nulls_distinct=False,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item_id}: {self.value or self.choice_id or self.channel} × {self.n}"


class TextAnswer(models.Model):
    """A free-text answer, on its own: no link to the answer it came with (see the module docstring).
    A random id, so that the order of ids does not pair a comment with the answer saved beside it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="texts", db_index=False)
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(max_length=TEXT_MAX)
    answered_on = models.DateField()

    class Meta:
        indexes = [models.Index(fields=["round", "item"], name="text_answer_round")]

    def __str__(self) -> str:
        return self.text[:50]


class Receipt(models.Model):
    """A submitted form's one-time token (its hash), so that a double submit stores one answer. No link
    to the answer and no time: the table says only "this form was sent already"."""

    token_hash = models.CharField(max_length=64, primary_key=True)
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="+")

    def __str__(self) -> str:
        return self.token_hash[:8]
