"""A Spanish participle agrees with what it describes, as the pages show it: a partnership is
"creada" and a recommendation "registrada", while a notification (an "aviso") and a position
("puesto") are masculine. The English words are shared ("created", "sent", "Open"), so each
subject has its own entry in the catalog."""

import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from tests.auth import mfa_login
from tests.partnerships.factories import PositionFactory, RecommendationFactory
from tests.trainings.factories import EvaluationFactory, GrowthGoalFactory, TrainingFactory
from toolkit_portal.models import Notification

from .catalog import visible_text


def _column(page, field):
    """The label of an admin list's column header (without the number of a sorted column)."""
    match = re.search(rf'<th[^>]*class="[^"]*column-{field}\b[^"]*"[^>]*>(.*?)</th>', page, re.S)
    assert match, f"no column {field}"
    return visible_text(match.group(1)).split()[-1]


def _sent_notification(recipient, about):
    return Notification.objects.create(
        kind="test",
        recipient=recipient,
        content_type=ContentType.objects.get_for_model(about),
        object_id=str(about.pk),
        occasion="once",
        status=Notification.Status.SENT,
        sent_at=timezone.now(),
    )


def _spanish(client, user):
    user.language = "es"
    user.save(update_fields=["language"])
    return mfa_login(client, user)


@pytest.mark.parametrize(
    ("changelist", "field", "spanish"),
    [
        ("partnerships_partnership", "created_at", "Creada"),
        ("survivors_recommendation", "created_at", "Registrada"),
        ("trainings_growthgoal", "created_at", "Creada"),
        ("trainings_evaluation", "created_at", "Creada"),
        ("toolkit_portal_notification", "sent_at", "Enviado"),
    ],
)
def test_admin_columns_agree_with_their_subject(
    client, admin_user, coordinator, partnership_x, changelist, field, spanish
):
    RecommendationFactory(partnership=partnership_x)
    _sent_notification(coordinator, partnership_x)
    GrowthGoalFactory()
    EvaluationFactory()
    page = _spanish(client, admin_user).get(reverse(f"admin:{changelist}_changelist"))
    assert _column(page.content.decode(), field) == spanish


def test_a_training_reads_creada_on_its_admin_page(client, admin_user):
    training = TrainingFactory()
    page = _spanish(client, admin_user).get(
        reverse("admin:trainings_training_change", args=[training.pk])
    )
    text = visible_text(page.content.decode())
    assert "Creada:" in text and "Creado:" not in text


def test_a_sent_notification_reads_enviado(client, admin_user, coordinator, partnership_x):
    notification = _sent_notification(coordinator, partnership_x)
    as_admin = _spanish(client, admin_user)
    listed = visible_text(
        as_admin.get(reverse("admin:toolkit_portal_notification_changelist")).content.decode()
    )
    assert "Enviado" in listed and "Enviada" not in listed
    shown = visible_text(
        as_admin.get(
            reverse("admin:toolkit_portal_notification_change", args=[notification.pk])
        ).content.decode()
    )
    assert "Tomado para el envío:" in shown and "Enviado:" in shown


def test_a_positions_state_reads_abierto(client, coordinator, partnership_x):
    PositionFactory(partnership=partnership_x)
    page = _spanish(client, coordinator).get(
        reverse("partnerships:positions", args=[partnership_x.slug])
    )
    text = visible_text(page.content.decode())
    assert "Abierto" in text and "Abierta" not in text
