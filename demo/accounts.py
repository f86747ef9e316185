"""Demo accounts, one per role. Fictional people; the password and TOTP secret are printed by
`load_demo` and only ever created on a DEBUG installation."""

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.db import transaction

from accounts.models import User
from accounts.roles import STAFF_ROLES, Role
from accounts.services import assign_role

DEMO_PASSWORD = "Kokemus-demo-2026"
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"

DEMO_USERS = [
    # email, first name, last name, role, language
    ("koordinaattori@demo.kokemuspankki.fi", "Sanna", "Virtanen", Role.COORDINATOR, "fi"),
    ("asiantuntija@demo.kokemuspankki.fi", "Aino", "Mäkelä", Role.EXPERT, "fi"),
    ("valmentaja@demo.kokemuspankki.fi", "Jukka", "Hämäläinen", Role.TRAINER, "fi"),
    ("paakayttaja@demo.kokemuspankki.fi", "Päivi", "Ylläpitäjä", Role.ADMIN, "fi"),
    # Unit staff who order experts for their unit (demo/week.py has her requests); no two-factor.
    ("tilaaja@demo.kokemuspankki.fi", "Riikka", "Tilaaja", Role.ORDERER, "fi"),
]


@transaction.atomic
def load() -> list[tuple[str, str]]:
    """Create or refresh the demo accounts; running it twice changes nothing. Returns (email, role)."""
    created = []
    for email, first_name, last_name, role, language in DEMO_USERS:
        user, _ = User.objects.get_or_create(
            email=email, defaults={"first_name": first_name, "last_name": last_name, "language": language}
        )
        user.set_password(DEMO_PASSWORD)
        user.is_superuser = role == Role.ADMIN
        user.save(update_fields=["password", "is_superuser"])
        assign_role(user=user, role=role)
        EmailAddress.objects.update_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
        if role in STAFF_ROLES and not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
            TOTP.activate(user, DEMO_TOTP_SECRET)
        created.append((email, role.label))
    return created
