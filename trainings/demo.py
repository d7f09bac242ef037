"""Demo data of the training catalog, loaded by toolkit_portal.demo.load_demo. Idempotent.

Needs the demo accounts and partnership that load_demo creates first, and the toolkit's
trainings that migration 0002 adds.
"""

from datetime import timedelta
from decimal import Decimal
from importlib import import_module

from django.db import transaction
from django.utils import timezone

from partnerships.models import Partnership
from toolkit_portal.models import User

from .choices import Audience, Cost, Delivery, Format, GrowthArea, Topic
from .models import Evaluation, GrowthGoal, Provider, Training, TrainingRecord, TrainingRequest

SUGGESTED_SLUG = "survivor-leadership-peer-circle"


def ensure_toolkit_trainings():
    """Add the toolkit's trainings again if they are gone (e.g. after `flush`)."""
    from django.apps import apps

    toolkit = import_module("trainings.migrations.0002_toolkit_trainings")
    toolkit.add_toolkit_trainings(apps, None)


@transaction.atomic
def load_demo_trainings():
    consultant = User.objects.get(email="consultant@demo.local")
    coordinator = User.objects.get(email="coordinator@demo.local")
    partnership = Partnership.objects.get(slug="front-range-task-force")
    today = timezone.localdate()
    ensure_toolkit_trainings()

    brain_story = Training.objects.get(slug="brain-story-certification")
    record, _created = TrainingRecord.objects.get_or_create(
        person=consultant,
        training=brain_story,
        defaults={
            "completed_on": today - timedelta(days=60),
            "hours": Decimal("20"),
            "note": "Took it over three weekends.",
        },
    )
    Evaluation.objects.get_or_create(
        record=record,
        defaults={
            "rating": 5,
            "comment": "Clear and kind. It helped me explain why early experiences matter.",
        },
    )
    GrowthGoal.objects.get_or_create(
        person=consultant,
        area=GrowthArea.LEADERSHIP,
        defaults={
            "topics": [Topic.RESILIENCE, Topic.ORGANIZATIONAL_CHANGE],
            "description": "Lead a training session for a partnership next year.",
        },
    )
    gundersen = Training.objects.get(slug="gundersen-national-child-protection-training-center")
    TrainingRequest.objects.get_or_create(
        training=gundersen,
        partnership=partnership,
        defaults={
            "requested_by": coordinator,
            "preferred_from": today + timedelta(days=45),
            "preferred_until": today + timedelta(days=75),
            "audience_size": 30,
            "notes": "Members from law enforcement, child welfare and victim services.",
        },
    )
    provider, _created = Provider.objects.get_or_create(
        name="Front Range Survivor Leaders Network", defaults={"website": ""}
    )
    Training.objects.get_or_create(
        slug=SUGGESTED_SLUG,
        defaults={
            "title": "Survivor Leadership Peer Circle",
            "provider": provider,
            "delivery": Delivery.HYBRID,
            "format": Format.LEARNING_COMMUNITY,
            "cost": Cost.FREE,
            "audiences": [Audience.SURVIVOR_LEADERS],
            "topics": [Topic.SURVIVOR_LEADERSHIP, Topic.RESILIENCE],
            "growth_areas": [GrowthArea.LEADERSHIP, GrowthArea.CONFIDENCE],
            "key_areas": ["engagement"],
            "principles": ["survivor_support", "empowerment"],
            "description": "Monthly peer-led circle for survivor leaders growing into leadership.",
            "suggested_by": consultant,
            "is_published": False,
        },
    )
