"""Resident hearings: the topic backlog, campaigns with their questions, answers from every channel,
themes, the outcome ("what we heard, what we did") with findings linked to decisions, and client
panels (asiakasraati) whose members are experts of the bank or residents.

Anonymity: a Response keeps the campaign, the channel, the date (never the time of day), the form's
language and the optional background answers; no user, IP address or user agent. An address to be
told the outcome is a ContactRequest of its own, with no link to any answer, deleted once the outcome
has been sent.
"""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from experts.models import ExpertProfile, Municipality


class Priority(models.IntegerChoices):
    LOW = 1, _("Low")
    NORMAL = 2, _("Normal")
    HIGH = 3, _("High")


class TopicStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    ACCEPTED = "accepted", _("Accepted, waiting for a campaign")
    IN_CAMPAIGN = "campaign", _("In a campaign")
    DECLINED = "declined", pgettext_lazy("topic status", "Declined")
    DONE = "done", pgettext_lazy("topic status", "Done")


class Topic(models.Model):
    """A topic worth hearing residents on, and the decision the hearing would inform."""

    title = models.CharField(_("topic"), max_length=200)
    description = models.TextField(_("description"), max_length=4000, blank=True)
    proposer = models.CharField(
        _("proposed by"), max_length=200, blank=True, help_text=_("A unit, a client panel or a resident group.")
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decision = models.CharField(_("the decision it would inform"), max_length=300, blank=True)
    decision_due = models.DateField(_("decision expected by"), null=True, blank=True)
    priority = models.PositiveSmallIntegerField(_("priority"), choices=Priority.choices, default=Priority.NORMAL)
    status = models.CharField(_("status"), max_length=10, choices=TopicStatus.choices, default=TopicStatus.PROPOSED)
    campaign = models.ForeignKey(
        "Campaign",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="topics",
        verbose_name=_("campaign"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["-priority", "decision_due", "pk"]

    def __str__(self) -> str:
        return self.title


class Channel(models.TextChoices):
    ONLINE = "online", _("Online form")
    WORKSHOP = "workshop", _("Workshop")
    PANEL = "panel", _("Client panel")
    PAPER = "paper", _("Paper or street")


class CampaignQuerySet(models.QuerySet):
    def published(self):
        """Campaigns shown to the public (a draft is only the staff's)."""
        return self.filter(is_published=True)

    def open_now(self):
        now = timezone.now()
        return self.published().filter(opens_at__lte=now, closes_at__gt=now)

    def past(self):
        return self.published().filter(closes_at__lte=timezone.now())

    def for_staff_list(self):
        """The staff's landing page: each campaign with its number of responses (every channel) in
        the same query, and its owner."""
        return self.select_related("owner").annotate(response_count=models.Count("responses"))


class Campaign(models.Model):
    """A hearing: what residents are asked, when, over which channels; and afterwards its outcome.
    Texts in fi/sv/en (translation.py)."""

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("short name"), max_length=80, unique=True)
    summary = models.TextField(_("summary"), max_length=2000)
    background = models.TextField(_("background"), max_length=10_000, blank=True)
    plain_summary = models.TextField(
        _("summary in plain language"),
        max_length=2000,
        blank=True,
        help_text=_("Selkokieli: short sentences, everyday words."),
    )
    responsible_unit = models.CharField(_("responsible unit"), max_length=200)
    target_groups = models.CharField(_("target groups"), max_length=300, blank=True)
    opens_at = models.DateTimeField(_("opens"))
    closes_at = models.DateTimeField(_("closes"))
    channels = ArrayField(
        models.CharField(max_length=10, choices=Channel.choices), verbose_name=_("channels"), default=list, blank=True
    )
    languages = ArrayField(
        models.CharField(max_length=8, choices=settings.LANGUAGES),
        verbose_name=_("languages"),
        default=list,
        blank=True,
        help_text=_("The languages its form and texts are offered in."),
    )
    is_published = models.BooleanField(_("published"), default=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="owned_campaigns", verbose_name=_("owner")
    )
    # Optional background questions of the online form.
    ask_age_group = models.BooleanField(_("ask the age group"), default=True)
    ask_municipality = models.BooleanField(_("ask the municipality"), default=True)
    # The outcome: "what we heard" and "what we did" (with findings and their decisions).
    heard_summary = models.TextField(_("what we heard"), max_length=10_000, blank=True)
    did_summary = models.TextField(_("what we did"), max_length=10_000, blank=True)
    outcome_published_at = models.DateTimeField(_("outcome published"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = CampaignQuerySet.as_manager()

    class Meta:
        verbose_name = _("hearing campaign")
        verbose_name_plural = _("hearing campaigns")
        ordering = ["-opens_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")), name="campaign_closes_after_opening"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("hearings:campaign", args=[self.slug])

    def state(self, now=None) -> str:
        """ "draft", "upcoming", "open", "closed" or "outcome" (its outcome published)."""
        now = now or timezone.now()
        if not self.is_published:
            return "draft"
        if self.outcome_published_at is not None:
            return "outcome"
        if now < self.opens_at:
            return "upcoming"
        return "open" if now < self.closes_at else "closed"


class QuestionKind(models.TextChoices):
    TEXT = "text", _("Free text")
    SINGLE = "single", _("One choice")
    MULTIPLE = "multiple", _("Several choices")
    LIKERT = "likert", _("Scale 1–5")


class Question(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    kind = models.CharField(_("kind"), max_length=10, choices=QuestionKind.choices, default=QuestionKind.TEXT)
    text = models.CharField(_("question"), max_length=500)
    help_text = models.CharField(_("help text"), max_length=500, blank=True)
    required = models.BooleanField(_("required"), default=False)
    # The scale's ends ("Not at all important" … "Very important").
    low_label = models.CharField(_("label of 1"), max_length=100, blank=True)
    high_label = models.CharField(_("label of 5"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["campaign", "order", "pk"]
        constraints = [models.UniqueConstraint(fields=["campaign", "order"], name="question_order_unique")]

    def __str__(self) -> str:
        return self.text


class Choice(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    label = models.CharField(_("choice"), max_length=200)

    class Meta:
        verbose_name = pgettext_lazy("hearing question", "choice")
        verbose_name_plural = pgettext_lazy("hearing question", "choices")
        ordering = ["question", "order", "pk"]

    def __str__(self) -> str:
        return self.label


class AgeGroup(models.TextChoices):
    UNDER_18 = "0-17", _("Under 18")
    FROM_18 = "18-29", _("18–29")
    FROM_30 = "30-44", _("30–44")
    FROM_45 = "45-64", _("45–64")
    FROM_65 = "65-74", _("65–74")
    FROM_75 = "75-", _("75 or over")


class Response(models.Model):
    """One person's answers, from the online form or typed in by staff from paper. No user, IP, user
    agent or time of day: only the date (the analysis needs no more)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="responses")
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices, default=Channel.ONLINE)
    answered_on = models.DateField(_("answered"), default=timezone.localdate)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, default="fi")
    age_group = models.CharField(_("age group"), max_length=8, choices=AgeGroup.choices, blank=True)
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("municipality")
    )

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        indexes = [models.Index(fields=["campaign", "channel"], name="hearing_response_channel")]

    def __str__(self) -> str:
        return f"{self.campaign} #{self.pk}"


class Receipt(models.Model):
    """A sent online form's one-time token (its hash), inserted in the same statement as the response,
    so that a double submit stores one response (hearings/answering.py). No link to the response and no
    time: the table says only "this form was sent already"."""

    token_hash = models.CharField(max_length=64, primary_key=True)
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="+")

    def __str__(self) -> str:
        return self.token_hash[:8]


class Theme(models.Model):
    """A theme of a campaign that staff tag free-text answers and notes with."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="themes")
    name = models.CharField(_("theme"), max_length=100)
    order = models.PositiveSmallIntegerField(_("order"), default=100)

    class Meta:
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        ordering = ["order", "name", "pk"]
        constraints = [models.UniqueConstraint(fields=["campaign", "name"], name="theme_name_unique")]

    def __str__(self) -> str:
        return self.name


class Answer(models.Model):
    """One answer to one question: a choice (one row per chosen choice of a multiple choice), a 1–5
    value, or a text."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    choice = models.ForeignKey(Choice, on_delete=models.CASCADE, null=True, blank=True, related_name="answers")
    value = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    text = models.TextField(max_length=4000, blank=True)
    themes = models.ManyToManyField(Theme, blank=True, related_name="answers", verbose_name=_("themes"))

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        indexes = [
            models.Index(fields=["question", "choice"], name="hearing_answer_choice"),
            models.Index(fields=["question", "value"], name="hearing_answer_value"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(value__isnull=True) | Q(value__gte=1, value__lte=5), name="answer_value_1_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.question_id}: {self.choice_id or self.value or self.text[:40]}"


class Note(models.Model):
    """What an offline channel produced, typed in by staff: a workshop's notes, a client panel's
    output. Tagged with themes like free-text answers, so every channel shows in the analysis."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="notes")
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices, default=Channel.WORKSHOP)
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("notes"), max_length=20_000)
    held_on = models.DateField(_("date"), default=timezone.localdate)
    participants = models.PositiveIntegerField(_("participants"), null=True, blank=True)
    meeting = models.ForeignKey(
        "PanelMeeting",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="outputs",
        verbose_name=_("client panel meeting"),
    )
    themes = models.ManyToManyField(Theme, blank=True, related_name="notes", verbose_name=_("themes"))
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("note from an offline channel")
        verbose_name_plural = _("notes from offline channels")
        ordering = ["held_on", "pk"]

    def __str__(self) -> str:
        return self.title


class ContactRequest(models.Model):
    """An address to be told the campaign's outcome, given with its own consent, stored apart from
    the answers (no link to them), deleted once the outcome has been sent (outcome.py)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="contact_requests")
    email = models.EmailField(_("email address"))
    language = models.CharField(max_length=8, choices=settings.LANGUAGES, default="fi")
    consented_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("request to hear the outcome")
        verbose_name_plural = _("requests to hear the outcome")
        constraints = [models.UniqueConstraint(fields=["campaign", "email"], name="contact_request_once")]

    def __str__(self) -> str:
        return str(self.campaign)


class Finding(models.Model):
    """Something heard, in the published outcome; linked to the decisions it went into."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="findings")
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    text = models.TextField(_("finding"), max_length=2000)

    class Meta:
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        ordering = ["campaign", "order", "pk"]

    def __str__(self) -> str:
        return self.text[:80]


class DecisionStatus(models.TextChoices):
    CONSIDERING = "considering", _("Under consideration")
    ADOPTED = "adopted", _("Adopted")
    NOT_ADOPTED = "not_adopted", _("Not adopted")


class Decision(models.Model):
    """What became of a finding: the body that decided, when, the minutes' § reference and link, and
    the status; "not adopted" says why."""

    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="decisions")
    body = models.CharField(_("decision-making body"), max_length=200)
    decided_on = models.DateField(_("date"), null=True, blank=True)
    reference = models.CharField(_("reference (§)"), max_length=100, blank=True)
    url = models.URLField(_("link to the decision"), blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=DecisionStatus.choices, default=DecisionStatus.CONSIDERING
    )
    reasons = models.TextField(_("reasons"), max_length=2000, blank=True)

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["finding", "decided_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="not_adopted") | ~Q(reasons=""), name="decision_not_adopted_has_reasons"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.body} {self.reference}".strip()


class Panel(models.Model):
    """A client panel (asiakasraati): a standing group of service users heard on campaigns."""

    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), max_length=4000, blank=True)
    unit = models.CharField(_("responsible unit"), max_length=200, blank=True)
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("coordinator")
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("client panel")
        verbose_name_plural = _("client panels")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("hearings:panel_detail", args=[self.pk])


class PanelMember(models.Model):
    """A member for a term: an expert of the bank (booked and paid through bookings for meetings) or
    a resident with contact details."""

    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="members")
    expert = models.ForeignKey(
        ExpertProfile, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("expert")
    )
    name = models.CharField(_("name"), max_length=150, blank=True)
    email = models.EmailField(_("email address"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    term_starts = models.DateField(_("term starts"))
    term_ends = models.DateField(_("term ends"), null=True, blank=True)
    contact_consent = models.BooleanField(_("agreed to be contacted"), default=False)

    class Meta:
        verbose_name = _("panel member")
        verbose_name_plural = _("panel members")
        ordering = ["panel", "name", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(expert__isnull=False) | ~Q(name=""), name="panel_member_expert_or_name"),
            models.CheckConstraint(
                condition=Q(term_ends__isnull=True) | Q(term_ends__gte=models.F("term_starts")),
                name="panel_member_term_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.name or str(self.expert)


class PanelMeeting(models.Model):
    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="meetings")
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    place = models.CharField(_("place"), max_length=300, blank=True)
    agenda = models.TextField(_("agenda"), max_length=4000, blank=True)

    class Meta:
        verbose_name = _("panel meeting")
        verbose_name_plural = _("panel meetings")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="panel_meeting_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.panel} {timezone.localtime(self.starts_at):%d.%m.%Y}"
