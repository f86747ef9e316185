"""Writes with side effects for accounts: invitations and roles."""

import json
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from notifications.services import schedule_notification

from .emails import send_invitation_email
from .models import Invitation, User
from .roles import Role


@transaction.atomic
def assign_role(*, user: User, role: str) -> None:
    """Add a role; staff roles also get `is_staff` so that admins reach Django admin."""
    user.groups.add(Group.objects.get(name=role))
    if role == Role.ADMIN and not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    user.forget_access()


def invite_expert(*, email: str, invited_by: User, language: str, role: str = Role.EXPERT) -> Invitation:
    """Create or renew the pending invitation for `email` and mail the link. `role`: what the account
    gets when it is created (an expert, or a unit's orderer).

    Inviting the same address twice (a double-submitted form, two coordinators at once) renews the
    one pending row: the partial unique index on lower(email) makes a second row impossible.
    """
    email = email.strip().lower()
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError(_("This address already has an account."), code="exists")
    for attempt in range(2):
        try:
            return _create_or_renew_invitation(email=email, invited_by=invited_by, language=language, role=role)
        except IntegrityError:
            # Another request created the row between our lookup and insert; renew that one.
            if attempt:
                raise
    raise AssertionError("unreachable")


@transaction.atomic
def _create_or_renew_invitation(*, email: str, invited_by: User, language: str, role: str) -> Invitation:
    invitation = (
        Invitation.objects.select_for_update()
        .filter(email__iexact=email, accepted_at__isnull=True, revoked_at__isnull=True)
        .first()
    ) or Invitation(email=email)
    invitation.role = role
    invitation.invited_by = invited_by
    invitation.language = language
    invitation.expires_at = timezone.now() + timedelta(days=settings.KP_INVITATION_DAYS)
    token = invitation.new_token()
    invitation.full_clean(validate_constraints=False)
    invitation.save()
    transaction.on_commit(lambda: send_invitation_email(invitation=invitation, token=token))
    return invitation


def get_open_invitation(token: str) -> Invitation | None:
    return Invitation.objects.open().filter(token_hash=Invitation.hash_token(token)).first()


@transaction.atomic
def accept_invitation(*, invitation_id: int, user: User) -> bool:
    """Mark the invitation used by `user` and give them its role. False if it was no longer open."""
    invitation = Invitation.objects.select_for_update().filter(pk=invitation_id).first()
    if invitation is None or not invitation.is_open() or invitation.email.lower() != user.email.lower():
        return False
    invitation.accepted_at = timezone.now()
    invitation.accepted_user = user
    invitation.save(update_fields=["accepted_at", "accepted_user"])
    assign_role(user=user, role=invitation.role)
    if user.language != invitation.language:
        user.language = invitation.language
        user.save(update_fields=["language"])
    schedule_notification(kind="accounts.welcome", target=user, recipient=user, due_at=timezone.now())
    return True


def record_audit_events(*, actor, action: str, what: str, entries: list[tuple[int, list[str]]]) -> None:
    """Append one audit row per (subject user id, field names) in one INSERT: a page that shows many
    people's data (a page of search results) logs each of them. A statement written once, not
    bulk_create: 25 model instances and an INSERT compiled per page cost ~2 ms (make bench)."""
    if not entries:
        return
    from .models import AuditEvent

    actor_id = actor.pk if getattr(actor, "is_authenticated", False) else None
    table = AuditEvent._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f'INSERT INTO "{table}" (actor_id, subject_id, action, what, fields, at) '  # noqa: S608 - the model's table
            "SELECT %s, entry.subject, %s, %s, entry.fields::jsonb, now() "
            "FROM unnest(%s::bigint[], %s::text[]) AS entry(subject, fields)",
            [
                actor_id,
                action,
                what,
                [subject for subject, _fields in entries],
                [json.dumps(sorted(fields)) for _subject, fields in entries],
            ],
        )


def record_audit_event(*, actor, subject, action: str, what: str, fields: list[str] | None = None) -> None:
    """Append to the audit log. Field names only, never their values."""
    from .models import AuditEvent

    AuditEvent.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        subject=subject,
        action=action,
        what=what,
        fields=sorted(fields or []),
    )
