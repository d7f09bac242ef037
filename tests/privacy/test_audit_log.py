"""The audit trail is append-only in the database, and holds nothing erasure would need."""

import pytest
from django.db import DatabaseError, connection, transaction

from partnerships import services as partnership_services
from partnerships.models import Membership
from survivors import services as survivor_services
from tests.partnerships.factories import MembershipFactory
from tests.survivors.factories import ParticipationRequestFactory
from tests.toolkit_portal.factories import CoordinatorFactory
from toolkit_portal.audit import record_audit
from toolkit_portal.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry(coordinator, partnership_x):
    return record_audit(coordinator, "partnerships.profile.updated", partnership_x, fields=[])


def _refused(sql, params=()):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(sql, params)


def test_the_application_role_cannot_update_an_entry(entry):
    _refused("UPDATE toolkit_portal_auditentry SET action = 'forged' WHERE id = %s", [entry.pk])
    _refused("UPDATE toolkit_portal_auditentry SET at = now()")
    entry.refresh_from_db()
    assert entry.action == "partnerships.profile.updated"


def test_the_application_role_cannot_delete_an_entry(entry):
    _refused("DELETE FROM toolkit_portal_auditentry WHERE id = %s", [entry.pk])
    _refused("DELETE FROM toolkit_portal_auditentry")
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_the_application_role_cannot_truncate_the_trail(entry):
    # Only a session that asks for it may truncate (the test settings do, for Django's
    # flush between transactional tests); the application never asks.
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('portal.audit_truncate', true)")
        allowed_before = cursor.fetchone()[0]
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL portal.audit_truncate = 'deny'")
            cursor.execute("TRUNCATE toolkit_portal_auditentry")
    assert AuditEntry.objects.filter(pk=entry.pk).exists()
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('portal.audit_truncate', true)")
        assert cursor.fetchone()[0] == allowed_before


def test_the_orm_cannot_change_or_remove_entries_either(entry):
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).update(action="forged")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).delete()
    assert AuditEntry.objects.get(pk=entry.pk).action == "partnerships.profile.updated"


def test_new_entries_are_still_written(coordinator, partnership_x):
    before = AuditEntry.objects.count()
    record_audit(coordinator, "partnerships.profile.updated", partnership_x)
    record_audit(None, "survivors.request.expired", partnership_x)
    assert AuditEntry.objects.count() == before + 2


def test_entries_name_people_only_by_reference(coordinator, partnership_x, profile, engagement):
    request = ParticipationRequestFactory(engagement=engagement, consultant=profile)
    record_audit(coordinator, "survivors.request.sent", request)
    record_audit(None, "survivors.request.expired", request)
    entries = AuditEntry.objects.order_by("id")
    assert [(e.actor_label, e.object_label) for e in entries] == [
        (f"coordinator #{coordinator.pk}", f"participationrequest #{request.pk}"),
        ("system", f"participationrequest #{request.pk}"),
    ]
    assert entries[0].actor == coordinator


def test_after_erasure_the_trail_holds_no_trace_of_the_person(
    coordinator, partnership_x, profile, engagement
):
    consultant = profile.user
    email, name = consultant.email, profile.display_name
    survivor_services.save_private_details(
        profile=profile,
        actor=consultant,
        legal_name="Rosalind Quill",
        mailing_address="12 Elm Street",
        payment_details="IBAN 0000",
    )
    survivor_services.read_private_details(profile=profile, actor=consultant)
    survivor_services.send_participation_requests(
        engagement=engagement, consultants=[profile], actor=coordinator
    )
    colleague = CoordinatorFactory(email="colleague.x@example.org")
    membership = MembershipFactory(
        partnership=partnership_x, user=colleague, role=Membership.Role.COORDINATOR
    )
    partnership_services.remove_membership(membership=membership, actor=coordinator)
    survivor_services.erase_consultant(user=consultant, actor=consultant)

    with connection.cursor() as cursor:
        cursor.execute("SELECT row_to_json(e)::text FROM toolkit_portal_auditentry AS e")
        trail = "\n".join(row[0] for row in cursor.fetchall())
    assert "survivors.data.erased" in trail
    for personal in [email, name, "Rosalind Quill", "colleague.x@example.org", "@example.org"]:
        assert personal not in trail
    consultant.refresh_from_db()
    erased_entry = AuditEntry.objects.get(action="survivors.data.erased")
    assert erased_entry.actor_id == consultant.pk
    assert consultant.email.endswith("@erased.invalid")


def test_the_migration_strips_personal_data_from_entries_written_before_it(
    coordinator, partnership_x
):
    from importlib import import_module

    migration = import_module("toolkit_portal.migrations.0005_audit_append_only")
    with transaction.atomic():
        with connection.cursor() as cursor:
            # As before the migration: no trigger, and labels and details that name people.
            cursor.execute(
                "ALTER TABLE toolkit_portal_auditentry "
                "DISABLE TRIGGER toolkit_portal_auditentry_append_only"
            )
            entry = AuditEntry.objects.create(
                actor=coordinator,
                actor_label=coordinator.email,
                action="partnerships.membership.removed",
                object_type="partnerships.membership",
                object_id="7",
                object_label="colleague.x@example.org — Partnership X (Coordinator)",
                details={"email": "colleague.x@example.org", "role": "coordinator"},
            )
            gone = AuditEntry.objects.create(
                actor_id=coordinator.pk + 10_000,
                actor_label="someone@example.org",
                action="survivors.request.sent",
                object_type="survivors.participationrequest",
                object_id="abc",
                object_label="River",
            )
            cursor.execute(migration.SCRUB_PERSONAL_DATA)
            entry.refresh_from_db()
            gone.refresh_from_db()
            transaction.set_rollback(True)  # the trigger comes back with the rollback
    assert entry.actor_label == f"coordinator #{coordinator.pk}"
    assert entry.object_label == "membership #7"
    assert entry.details == {"role": "coordinator"}
    assert (gone.actor_label, gone.object_label) == (
        f"user #{coordinator.pk + 10_000}",
        "participationrequest #abc",
    )
    assert not AuditEntry.objects.filter(pk__in=[entry.pk, gone.pk]).exists()
    later = record_audit(coordinator, "partnerships.profile.updated", partnership_x)
    _refused("UPDATE toolkit_portal_auditentry SET action = 'forged' WHERE id = %s", [later.pk])
