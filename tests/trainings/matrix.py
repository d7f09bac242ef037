"""Objects for the access matrix's training addresses (tests/test_access_matrix.py).

Each builder takes the matrix's objects (unused here) and makes what its address needs,
owned by the root conftest's personas: consultant A and the coordinator of partnership X.
Consultant B, the other coordinator and the rest must meet 404 (or 403 for a wrong role).
"""

from decimal import Decimal

from django.utils import timezone

from partnerships.models import Partnership
from tests.personas import EMAILS
from toolkit_portal.models import User
from trainings import services

from .factories import GrowthGoalFactory, TrainingFactory, TrainingRequestFactory, pdf_upload

CONSULTANT_A = EMAILS["consultant"]
COORDINATOR_X = EMAILS["coordinator"]


def published_training(_objects):
    return {"slug": TrainingFactory(slug="matrix-course").slug}


def on_site_training(_objects):
    return {"slug": TrainingFactory(slug="matrix-on-site", on_site=True).slug}


def record_of_consultant_a(_objects):
    """A completion with a certificate, recorded by consultant A."""
    record = services.record_training(
        actor=User.objects.get(email=CONSULTANT_A),
        training=TrainingFactory(),
        completed_on=timezone.localdate(),
        hours=Decimal("2"),
        certificate=pdf_upload(),
    )
    return {"pk": record.pk}


def goal_of_consultant_a(_objects):
    return {"pk": GrowthGoalFactory(person=User.objects.get(email=CONSULTANT_A)).pk}


def request_of_partnership_x(_objects):
    training_request = TrainingRequestFactory(
        partnership=Partnership.objects.get(slug="partnership-x"),
        requested_by=User.objects.get(email=COORDINATOR_X),
    )
    return {"pk": training_request.pk}
