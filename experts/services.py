"""Writes with side effects for the expert bank: consent, visibility, search document, audit."""

from django.conf import settings
from django.contrib.postgres.search import SearchVector
from django.db import transaction
from django.db.models import Value
from django.utils import timezone

from accounts.models import AuditAction
from accounts.services import record_audit_event

from .models import (
    NEVER_PUBLIC,
    VISIBLE_FIELDS,
    Consent,
    ConsentText,
    ExpertProfile,
    Visibility,
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
def give_consent(*, profile: ExpertProfile, text: ConsentText) -> Consent:
    """Consent to `text`; the profile is listed while `text` is the current version."""
    consent = Consent.objects.filter(profile=profile, text=text, withdrawn_at__isnull=True).first()
    if consent is None:
        consent = Consent.objects.create(profile=profile, text=text)
    profile.consent_version = text.version
    profile.save(update_fields=["consent_version", "updated_at"])
    record_audit_event(
        actor=profile.user, subject=profile.user, action=AuditAction.CHANGE, what="consent", fields=[f"v{text.version}"]
    )
    return consent


@transaction.atomic
def withdraw_consent(*, profile: ExpertProfile) -> int:
    """Withdraw every open consent: the profile leaves search at once. Returns how many were open."""
    count = Consent.objects.filter(profile=profile, withdrawn_at__isnull=True).update(withdrawn_at=timezone.now())
    profile.consent_version = None
    profile.save(update_fields=["consent_version", "updated_at"])
    record_audit_event(
        actor=profile.user, subject=profile.user, action=AuditAction.CHANGE, what="consent", fields=["withdrawn"]
    )
    return count


def search_words(profile: ExpertProfile) -> tuple[str, str]:
    """(weighted text A, text B) of a profile for search: names and labels in every language."""
    labels = []
    for experience in profile.experiences.select_related("area"):
        labels += [experience.area.name_fi, experience.area.name_sv, experience.area.name_en]
    for related in (profile.task_types, profile.languages, profile.municipalities):
        for item in related.all():
            labels += [item.name_fi, item.name_sv, item.name_en]
    if profile.organisation_id:
        labels.append(profile.organisation.name)
    heading = " ".join(filter(None, [profile.display_name, *labels]))
    return heading, profile.bio


def refresh_search_document(profile: ExpertProfile) -> None:
    """Rebuild the profile's full-text vector (Finnish) and trigram text after any change."""
    heading, body = search_words(profile)
    vector = SearchVector(Value(heading), config="finnish", weight="A") + SearchVector(
        Value(body), config="finnish", weight="B"
    )
    ExpertProfile.objects.filter(pk=profile.pk).update(search_document=vector, search_text=f"{heading} {body}".lower())
