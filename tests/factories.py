"""Deterministic factories: sequences, no randomness."""

import factory
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP

from accounts.models import User
from accounts.services import assign_role

TEST_PASSWORD = "Testi-salasana-123"
TEST_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


class UserFactory(factory.django.DjangoModelFactory):
    """UserFactory(role="coordinator", mfa=True): a user with a verified email, a role and TOTP."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"henkilo{n}@example.fi")
    first_name = factory.Sequence(lambda n: ["Aino", "Eero", "Säde", "Jyrki", "Åsa"][n % 5])
    last_name = factory.Sequence(lambda n: ["Mäkelä", "Hämäläinen", "Åström", "Virtanen", "Kettu-Nieminen"][n % 5])

    @factory.post_generation
    def password(obj, create, extracted, **kwargs):  # noqa: N805
        obj.set_password(extracted or TEST_PASSWORD)
        if create:
            obj.save(update_fields=["password"])
            EmailAddress.objects.create(user=obj, email=obj.email, verified=True, primary=True)

    @factory.post_generation
    def role(obj, create, extracted, **kwargs):  # noqa: N805
        if create and extracted:
            assign_role(user=obj, role=extracted)

    @factory.post_generation
    def mfa(obj, create, extracted, **kwargs):  # noqa: N805
        if create and extracted:
            TOTP.activate(obj, TEST_TOTP_SECRET)
