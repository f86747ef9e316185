"""Writes with side effects for the expert bank: consent, visibility, search document, audit."""

import functools
from datetime import date, datetime, time

from django.conf import settings
from django.contrib.postgres.search import SearchVector, SearchVectorCombinable, SearchVectorField
from django.db import IntegrityError, connection, models, transaction
from django.db.models import Func, Value
from django.utils import timezone, translation

from accounts.models import AuditAction
from accounts.services import record_audit_event, record_audit_events
from kokemuspankki import text as analysis

from .consent_renewal import cancel_renewal_requests
from .models import (
    NEVER_PUBLIC,
    PART_MARK,
    VISIBLE_FIELDS,
    BlockedPeriod,
    Consent,
    ConsentText,
    ExpertProfile,
    ProfileExperience,
    SearchWord,
    TrainingLevel,
    Visibility,
    WeeklyAvailability,
)


def viewer_level(user, profile: ExpertProfile | None = None) -> str | None:
    """How much of other experts' profiles `user` may see: a Visibility level, or None for nothing.

    Coordinators and admins see everything the expert shares with coordinators; other staff (trainers)
    what is shared with all staff; everyone else only public details, and only with the public
    directory on. The expert always sees their own profile whole (handled by the caller).
    """
    if user.is_authenticated and (user.has_perm("accounts.search_experts")):
        return Visibility.COORDINATORS
    if user.is_authenticated and user.is_staff_role:
        return Visibility.STAFF
    if settings.KP_PUBLIC_DIRECTORY:
        return Visibility.PUBLIC
    return None


def record_profile_view(*, viewer, profile: ExpertProfile, fields: set[str]) -> None:
    """Log a view of non-public details (who, whose, when, which fields); public ones are not logged."""
    private = sorted(field for field in fields if profile.visibility_of(field) != Visibility.PUBLIC)
    if private and viewer.pk != profile.user_id:
        record_audit_event(
            actor=viewer, subject=profile.user, action=AuditAction.VIEW, what="expert profile", fields=private
        )


# The details a search result card shows (templates/experts/search_cards.html).
CARD_FIELDS = frozenset(
    {"training", "experience", "task_types", "languages", "municipalities", "work_mode", "organisation", "bio"}
)


def record_search_views(*, viewer, cards) -> None:
    """Log, in one INSERT, the non-public details a page of search results showed (one row per expert).
    `cards`: views.search.Card, each with the profile and the fields it showed."""
    entries = []
    for card in cards:
        profile, fields = card.profile, card.fields
        private = sorted(f for f in fields & CARD_FIELDS if profile.visibility_of(f) != Visibility.PUBLIC)
        if private and viewer.pk != profile.user_id:
            entries.append((profile.user_id, private))
    record_audit_events(actor=viewer, action=AuditAction.VIEW, what="expert search result", entries=entries)


def clean_visibility(choices: dict[str, str]) -> dict[str, str]:
    """Keep known fields and levels only; health-related fields are never public."""
    cleaned = {}
    for field in VISIBLE_FIELDS:
        level = choices.get(field, Visibility.COORDINATORS)
        if level not in Visibility.values or (field in NEVER_PUBLIC and level == Visibility.PUBLIC):
            level = Visibility.COORDINATORS
        cleaned[field] = level
    return cleaned


@transaction.atomic
def give_consent(
    *, profile: ExpertProfile, text: ConsentText, recorded_by=None, given_at: datetime | None = None
) -> Consent:
    """Consent to `text`; the profile is listed while `text` is the current version (and through the
    next one's grace period). `recorded_by`: the coordinator who entered a consent that the expert
    signed on paper on `given_at` (views/on_behalf.py). A consent already open to `text` is kept."""
    consent = Consent.objects.filter(profile=profile, text=text, withdrawn_at__isnull=True).first()
    if consent is None:
        consent = Consent.objects.create(
            profile=profile,
            text=text,
            on_paper=recorded_by is not None,
            recorded_by=recorded_by,
            given_at=given_at or timezone.now(),
        )
    profile.consent_version = text.version
    profile.save(update_fields=["consent_version", "updated_at"])
    record_audit_event(
        actor=recorded_by or profile.user,
        subject=profile.user,
        action=AuditAction.CHANGE,
        what="consent",
        fields=[f"v{text.version}", *(["on paper"] if recorded_by else [])],
    )
    cancel_renewal_requests(user=profile.user, text=text)
    return consent


@transaction.atomic
def withdraw_consent(*, profile: ExpertProfile) -> int:
    """Withdraw every open consent: the profile leaves search at once. Returns how many were open."""
    count = Consent.objects.filter(profile=profile, withdrawn_at__isnull=True).update(withdrawn_at=timezone.now())
    profile.consent_version = None
    profile.save(update_fields=["consent_version", "updated_at"])
    # Withdrawn on purpose: no reminders to consent again.
    cancel_renewal_requests(user=profile.user, text=ConsentText.objects.order_by("-version").first())
    record_audit_event(
        actor=profile.user, subject=profile.user, action=AuditAction.CHANGE, what="consent", fields=["withdrawn"]
    )
    return count


def search_words(profile: ExpertProfile) -> tuple[str, str]:
    """(weighted text A, text B) of a profile for search: the name, the training level and the list
    labels in every language, then the introduction."""
    labels = [training_level_names(profile.training_level)]
    for experience in profile.experiences.select_related("area"):
        labels += [experience.area.name_fi, experience.area.name_sv, experience.area.name_en]
    for related in (profile.task_types, profile.languages, profile.municipalities):
        for item in related.all():
            labels += [item.name_fi, item.name_sv, item.name_en]
    if profile.organisation_id:
        labels.append(profile.organisation.name)
    heading = " ".join(filter(None, [profile.display_name, *labels]))
    return heading, profile.bio


def training_level_names(level: str) -> str:
    """A training level's name in every language, for the search text ("kokemustoimija" finds it)."""
    names = []
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            names.append(str(TrainingLevel(level).label) if level in TrainingLevel.values else "")
    return " ".join(filter(None, names))


class TermVector(SearchVectorCombinable, Func):
    """A tsvector of these terms (kokemuspankki.text's forms, space-separated) with a weight. The
    terms are letters and digits, so the `simple` configuration keeps each as it is; it also gives
    them positions, which a weight needs (a lexeme without positions matches any weight)."""

    template = "setweight(to_tsvector('simple'::regconfig, %(expressions)s), %(weight)s)"
    output_field = SearchVectorField()

    def __init__(self, terms: str, weight: str):
        super().__init__(Value(terms, output_field=models.TextField()), weight=f"'{weight}'")


def stored_forms(text: str) -> tuple[str, str]:
    """(own forms, compound parts) of a text as stored: kokemuspankki.text's stored_terms(), the parts
    marked (models.search.PART_MARK) so that a synonym asks for own forms only. Exact lexemes without
    weights: the GIN index answers them without reading the rows."""
    own, parts = analysis.stored_terms(text)
    return own, " ".join(PART_MARK + part for part in parts.split())


def search_vectors(heading: str, body: str) -> dict:
    """The full-text columns of a profile from its texts (search_words()): Finnish snowball stems as
    PostgreSQL makes them, and the forms of kokemuspankki.text (base forms in Finnish and Swedish,
    compound parts, derivations, accents folded)."""
    (heading_own, heading_parts), (body_own, body_parts) = stored_forms(heading), stored_forms(body)
    return {
        "search_document": SearchVector(Value(heading), config="finnish", weight="A")
        + SearchVector(Value(body), config="finnish", weight="B")
        + TermVector(heading_own, "A")
        + TermVector(body_own, "B")
        + TermVector(heading_parts, "C")
        + TermVector(body_parts, "D"),
        "heading_document": SearchVector(Value(heading), config="finnish", weight="A")
        + TermVector(heading_own, "A")
        + TermVector(heading_parts, "C"),
        "search_text": f"{heading} {body}".lower(),
    }


def refresh_search_document(profile: ExpertProfile) -> None:
    """Rebuild the profile's full-text vectors and trigram text after any change, and add its terms
    to the words that typos are read against (SearchWord)."""
    heading, body = search_words(profile)
    ExpertProfile.objects.filter(pk=profile.pk).update(**search_vectors(heading, body))
    add_search_words([profile.pk])
    refresh_facets([profile.pk])


def add_search_words(profile_ids: list[int]) -> None:
    """Add the terms of these profiles' documents that SearchWord lacks, in one statement."""
    with connection.cursor() as cursor:
        cursor.execute(_search_words_sql("p.id = ANY(%s)"), [list(profile_ids)])


def rebuild_search_words() -> int:
    """Make SearchWord anew from the listed profiles' documents (tasks.rebuild_search_words, nightly):
    words of profiles that changed or left go. Returns the number of words."""
    listed = ExpertProfile.objects.listed().values("pk")
    sql, params = listed.query.sql_with_params()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f'DELETE FROM "{SearchWord._meta.db_table}"')  # noqa: S608 - the model's table
        cursor.execute(_search_words_sql(f"p.id IN ({sql})"), params)
        return SearchWord.objects.count()


def _search_words_sql(condition: str) -> str:
    # Lexemes of four letters or more (shorter words are not read as typos: allowed_edits()), not the
    # marked compound parts.
    profiles, words = ExpertProfile._meta.db_table, SearchWord._meta.db_table
    return (
        f'INSERT INTO "{words}" (word) SELECT DISTINCT term.lexeme FROM "{profiles}" p, '  # noqa: S608
        f"unnest(p.search_document) AS term WHERE {condition} AND length(term.lexeme) BETWEEN 4 AND 100 "
        f"AND left(term.lexeme, 1) <> '{PART_MARK}' "
        "ON CONFLICT DO NOTHING"
    )


def refresh_facets(profile_ids: list[int]) -> None:
    """Rebuild ExpertProfile.facets of these profiles from their related rows, in one UPDATE."""
    with connection.cursor() as cursor:
        cursor.execute(_facets_sql(), [list(profile_ids)])


@functools.cache
def _facets_sql() -> str:
    """The tokens of models.facet() from each related table, sorted and without repeats."""
    experience, weekly = ProfileExperience._meta.db_table, WeeklyAvailability._meta.db_table
    sources = [
        ("'area:' || area_id", experience, "profile_id"),
        ("'area:' || area_id || ':' || relation", experience, "profile_id"),
        ("'relation:' || relation", experience, "profile_id"),
        ("'weekday:' || weekday", weekly, "profile_id"),
    ]
    for name, kind in [("task_types", "task"), ("languages", "language"), ("municipalities", "municipality")]:
        field = ExpertProfile._meta.get_field(name)
        sources.append((f"'{kind}:' || {field.m2m_reverse_name()}", field.m2m_db_table(), field.m2m_column_name()))
    # Table and column names come from the models; the ids are the one parameter.
    tokens = " UNION ".join(f"SELECT {token} FROM {table} WHERE {fk} = p.id" for token, table, fk in sources)  # noqa: S608
    return f"UPDATE {ExpertProfile._meta.db_table} p SET facets = ARRAY({tokens} ORDER BY 1) WHERE p.id = ANY(%s)"  # noqa: S608


# --- The expert's own profile: the guided form, editing, status and availability (views/profile.py) ---


def record_profile_change(*, profile: ExpertProfile, actor, fields: list[str]) -> None:
    """What every save of profile data needs: a fresh search document and an audit event that names
    the changed fields (never their values). Nothing changed, nothing to do."""
    if not fields:
        return
    refresh_search_document(profile)
    record_audit_event(
        actor=actor, subject=profile.user, action=AuditAction.CHANGE, what="expert profile", fields=fields
    )


def _lock_profile(profile: ExpertProfile) -> None:
    # Two submits of the same form (a double click) then run one after the other, so set-style writes
    # (experiences, weekly slots) never meet half-done rows of the other request.
    list(ExpertProfile.objects.select_for_update().filter(pk=profile.pk).values_list("pk"))


@transaction.atomic
def save_profile_section(*, form, actor, step: int | None = None) -> ExpertProfile:
    """Save a valid section form of the expert's own profile (experts.forms_profile) and record it.

    `step` is the guided form's step this completes; progress never moves backwards. A replaced or
    removed photo file is deleted once the new state is committed.
    """
    fields = form.changed_profile_fields()
    creating = form.instance._state.adding
    if not creating:
        _lock_profile(form.instance)
    try:
        with transaction.atomic():
            profile = form.save()
    except IntegrityError:
        if not creating:
            raise
        # A double-submitted first step: the other request created this user's profile a moment ago
        # from the same data, and logged it. Drop our copy of the photo file and use theirs.
        if form.instance.photo.name:
            form.instance.photo.storage.delete(form.instance.photo.name)
        return ExpertProfile.objects.get(user=form.instance.user_id)
    if step and profile.onboarding_step < step:
        profile.onboarding_step = step
        profile.save(update_fields=["onboarding_step"])
    replaced = getattr(form, "replaced_photo", "")
    if replaced and replaced != profile.photo.name:
        storage = profile.photo.storage
        transaction.on_commit(lambda: storage.delete(replaced))
    record_profile_change(profile=profile, actor=actor, fields=fields)
    return profile


@transaction.atomic
def finish_profile_onboarding(*, profile: ExpertProfile, text: ConsentText | None, step: int) -> None:
    """The guided form's last step: consent to the current text (if one is published) and mark the
    profile complete."""
    if text is not None:
        give_consent(profile=profile, text=text)
    if profile.onboarding_step < step:
        profile.onboarding_step = step
        profile.save(update_fields=["onboarding_step"])


@transaction.atomic
def set_weekly_availability(*, profile: ExpertProfile, slots: list[tuple], monthly_cap: int | None, actor) -> None:
    """Replace the weekly pattern with `slots` ((weekday, start, end), already validated) and set the cap."""
    _lock_profile(profile)
    fields = []
    wanted = sorted(slots)
    if sorted(profile.weekly_slots.values_list("weekday", "start", "end")) != wanted:
        profile.weekly_slots.all().delete()
        WeeklyAvailability.objects.bulk_create(
            [WeeklyAvailability(profile=profile, weekday=day, start=start, end=end) for day, start, end in wanted]
        )
        fields.append("weekly_slots")
    if profile.monthly_cap != monthly_cap:
        profile.monthly_cap = monthly_cap
        profile.save(update_fields=["monthly_cap", "updated_at"])
        fields.append("monthly_cap")
    record_profile_change(profile=profile, actor=actor, fields=fields)


@transaction.atomic
def add_blocked_period(*, profile: ExpertProfile, start: date, end: date, note: str, actor) -> BlockedPeriod:
    """Block dates; the same period submitted twice is stored once."""
    _lock_profile(profile)
    period, created = BlockedPeriod.objects.get_or_create(
        profile=profile, start=start, end=end, defaults={"note": note}
    )
    if created:
        record_profile_change(profile=profile, actor=actor, fields=["blocked_periods"])
    return period


@transaction.atomic
def remove_blocked_period(*, profile: ExpertProfile, period_id: int, actor) -> bool:
    """Remove one of the profile's own blocked periods. False if there was none (already removed)."""
    deleted, _rows = BlockedPeriod.objects.filter(profile=profile, pk=period_id).delete()
    if deleted:
        record_profile_change(profile=profile, actor=actor, fields=["blocked_periods"])
    return bool(deleted)


# --- A profile kept on an expert's behalf (views/on_behalf.py) ---


@transaction.atomic
def record_paper_consent(*, profile: ExpertProfile, text: ConsentText, signed_on: date, actor, step: int) -> Consent:
    """A coordinator enters the consent to `text` that the expert signed on paper on `signed_on`: the
    Consent is marked on paper, with who entered it, and lists the profile like one given online.
    `step` is the guided form's consent step, done by this when the steps before it are. Entered
    twice, it is stored once."""
    _lock_profile(profile)
    profile.refresh_from_db(fields=["consent_version", "onboarding_step"])
    today = timezone.localdate()
    given_at = timezone.now() if signed_on == today else timezone.make_aware(datetime.combine(signed_on, time(12)))
    consent = give_consent(profile=profile, text=text, recorded_by=actor, given_at=given_at)
    if profile.onboarding_step == step - 1:
        profile.onboarding_step = step
        profile.save(update_fields=["onboarding_step"])
    return consent
