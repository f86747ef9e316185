import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .roles import STAFF_ROLES, Role


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A person who signs in: email is the login, there is no username."""

    username = None
    email = models.EmailField(_("email address"), unique=True)
    language = models.CharField(
        _("language"),
        max_length=8,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text=_("Messages are sent in this language."),
    )
    phone = models.CharField(_("mobile phone"), max_length=32, blank=True, help_text=_("For text messages."))

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []
    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [models.UniqueConstraint(Lower("email"), name="accounts_user_email_ci_unique")]
        permissions = [
            ("search_experts", _("Can search and view the expert bank")),
            ("invite_experts", _("Can invite new experts")),
            ("keep_own_profile", _("Can keep an own expert profile")),
            ("run_hearings", _("Can run resident hearings")),
            ("run_trainings", _("Can run trainings and sessions")),
            ("manage_trainings", _("Can manage every training cohort and the onboarding of new experts")),
            ("view_feedback_results", _("Can view feedback results")),
            ("manage_users", _("Can manage users and roles")),
            ("order_experts", _("Can order an expert for the own unit")),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    def role_names(self) -> set[str]:
        # Cached per instance: the layout, the home page and the MFA middleware all ask.
        if not hasattr(self, "_role_names"):
            self._role_names = set(self.groups.values_list("name", flat=True))
        return self._role_names

    def remember_access(self, roles: set[str], permissions: set[str], has_totp: bool) -> None:
        """What the authentication backends read with the user (accounts.backends): the role names,
        the permissions (Django's ModelBackend caches them in `_perm_cache`; a superuser has every
        permission without it) and whether TOTP is set up."""
        self._role_names = roles
        if not self.is_superuser:
            self._perm_cache = permissions
        self._has_totp = has_totp

    def forget_access(self) -> None:
        """After a change of roles: read them again when next asked."""
        for name in ("_role_names", "_perm_cache", "_user_perm_cache", "_group_perm_cache", "_has_totp"):
            self.__dict__.pop(name, None)

    def has_totp(self) -> bool:
        if not hasattr(self, "_has_totp"):
            from allauth.mfa.models import Authenticator

            self._has_totp = Authenticator.objects.filter(user=self, type=Authenticator.Type.TOTP).exists()
        return self._has_totp

    def has_role(self, role: str) -> bool:
        return role in self.role_names()

    @property
    def is_staff_role(self) -> bool:
        return self.is_staff or self.is_superuser or bool(self.role_names() & STAFF_ROLES)


class InvitationQuerySet(models.QuerySet):
    def open(self):
        return self.filter(accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now())


class Invitation(models.Model):
    """A coordinator's invitation for a new expert to create an account (there is no open signup)."""

    email = models.EmailField(_("email address"))
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.EXPERT)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, default="fi")
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="invitations_sent",
        verbose_name=_("invited by"),
    )
    # Only a hash is stored, so a database dump does not hold working invitation links.
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    accepted_at = models.DateTimeField(pgettext_lazy("invitation", "accepted"), null=True, blank=True)
    accepted_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("account created"),
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]
        constraints = [
            # One pending invitation per address: inviting again renews it instead of adding a row.
            models.UniqueConstraint(
                Lower("email"),
                name="accounts_one_pending_invitation_per_email",
                condition=models.Q(accepted_at__isnull=True, revoked_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} #{self.pk}"

    @staticmethod
    def hash_token(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    def new_token(self) -> str:
        token = secrets.token_urlsafe(32)
        self.token_hash = self.hash_token(token)
        return token

    def is_open(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None and self.expires_at > timezone.now()


class AuditAction(models.TextChoices):
    VIEW = "view", _("Viewed")
    CHANGE = "change", _("Changed")
    EXPORT = "export", _("Exported")
    ERASE = "erase", _("Erased")


class AuditEvent(models.Model):
    """Who saw or changed whose personal data, and when (GDPR accountability). Append-only."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("who")
    )
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="audit_events",
        verbose_name=_("whose data"),
    )
    action = models.CharField(_("action"), max_length=10, choices=AuditAction.choices)
    what = models.CharField(_("what"), max_length=100)
    fields = models.JSONField(_("fields"), default=list, blank=True)
    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit log")
        ordering = ["-at"]
        indexes = [models.Index(fields=["subject", "-at"], name="audit_subject_at")]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.what}"
