import factory
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP
from django.utils import timezone

from toolkit_portal.models import Role, User

PASSWORD = "correct-horse-battery-9"
TOTP_SECRET = "JBSWY3DPEHPK3PXP"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    role = Role.CONSULTANT
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def verified_email(obj, create, extracted, **kwargs):
        if create:
            EmailAddress.objects.create(user=obj, email=obj.email, verified=True, primary=True)

    @factory.post_generation
    def totp(obj, create, extracted, **kwargs):
        # Coordinators and admins must have a second factor; give them one unless told not to.
        if create and (extracted if extracted is not None else obj.requires_mfa()):
            TOTP.activate(obj, TOTP_SECRET)


class ConsultantFactory(UserFactory):
    role = Role.CONSULTANT


class CoordinatorFactory(UserFactory):
    role = Role.COORDINATOR
    approved_at = factory.LazyFunction(timezone.now)


class PendingCoordinatorFactory(UserFactory):
    role = Role.COORDINATOR
    approved_at = None


class AdminFactory(UserFactory):
    role = Role.ADMIN
    is_staff = True
    is_superuser = True
