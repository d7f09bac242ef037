"""The demo accounts and partnership that `make run` loads. Idempotent."""

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.db import transaction
from django.utils import timezone

from assessment.demo import load_demo_assessment
from partnerships.demo import load_demo_partnerships
from partnerships.models import Membership, Partnership
from survivors.demo import load_demo_boards, load_demo_consultants, load_demo_engagements
from toolkit_portal.models import Role, User
from trainings.demo import load_demo_trainings

DEMO_PASSWORD = "demo-pass-2026"  # noqa: S105 — published demo credentials
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXP"  # noqa: S105 — published demo secret
DEMO_PARTNERSHIP_SLUG = "front-range-task-force"

CONSULTANTS = [
    "consultant@demo.local",
    "consultant2@demo.local",
    "consultant3@demo.local",
    "consultant4@demo.local",
    "consultant5@demo.local",
]


def _account(email, *, role, **fields):
    user, _created = User.objects.get_or_create(email=email, defaults={"role": role, **fields})
    if not user.check_password(DEMO_PASSWORD):  # new, or changed since the last load
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user


def _enrol_totp(user):
    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, DEMO_TOTP_SECRET)


@transaction.atomic
def load_demo():
    admin = _account("admin@demo.local", role=Role.ADMIN, is_staff=True, is_superuser=True)
    _enrol_totp(admin)
    coordinator = _account(
        "coordinator@demo.local",
        role=Role.COORDINATOR,
        approved_at=timezone.now(),
        approved_by=admin,
    )
    _enrol_totp(coordinator)
    partnership, _ = Partnership.objects.get_or_create(
        slug=DEMO_PARTNERSHIP_SLUG,
        defaults={
            "name": "Front Range Anti-Trafficking Task Force",
            "summary": (
                "A demo partnership of law enforcement, prosecution, victim services and "
                "survivor-led organizations along the Front Range."
            ),
            "is_listed": True,
        },
    )
    Membership.objects.get_or_create(
        partnership=partnership,
        user=coordinator,
        defaults={"role": Membership.Role.COORDINATOR},
    )
    users = {email: _account(email, role=Role.CONSULTANT) for email in CONSULTANTS}
    profiles = load_demo_consultants(users)
    load_demo_engagements(partnership=partnership, coordinator=coordinator, profiles=profiles)
    load_demo_partnerships(partnership=partnership, coordinator=coordinator, profiles=profiles)
    load_demo_boards(partnership=partnership, coordinator=coordinator, profiles=profiles)
    load_demo_assessment(partnership=partnership, coordinator=coordinator, profiles=profiles)
    load_demo_trainings()
    return {"admin": admin, "coordinator": coordinator, "partnership": partnership}
