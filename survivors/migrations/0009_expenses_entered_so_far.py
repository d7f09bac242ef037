# The data of 0007, in a migration of its own: PostgreSQL refuses to build 0007's indexes in
# a transaction that has updated the table's rows (pending trigger events).

from django.db import migrations
from django.db.models import OuterRef, Q, Subquery
from django.db.models.functions import Coalesce


def existing_lines_were_entered_by_coordinators(apps, schema_editor):
    """Every line so far was entered by a coordinator at completion and paid as entered:
    approved, decided (and, for want of better, created) when its engagement was completed."""
    Expense = apps.get_model("survivors", "Expense")
    ParticipationRequest = apps.get_model("survivors", "ParticipationRequest")
    completed_at = ParticipationRequest.objects.filter(pk=OuterRef("request_id")).values(
        "engagement__completed_at"
    )[:1]
    Expense.objects.update(
        added_by="coordinator",
        status="approved",
        decided_at=Subquery(completed_at),
        created_at=Coalesce(Subquery(completed_at), "created_at"),
    )


def keep_earlier_choice(apps, schema_editor):
    """A question about an expense is news about her payment: whoever turned off the payment
    emails has this one off too."""
    ConsultantProfile = apps.get_model("survivors", "ConsultantProfile")
    for profile in ConsultantProfile.objects.filter(
        Q(email_muted_kinds__contains=["compensation_paid"])
        & ~Q(email_muted_kinds__contains=["expense_queried"])
    ):
        profile.email_muted_kinds = [*profile.email_muted_kinds, "expense_queried"]
        profile.save(update_fields=["email_muted_kinds"])


class Migration(migrations.Migration):
    dependencies = [
        ("survivors", "0008_consultant_expenses"),
    ]

    operations = [
        migrations.RunPython(
            existing_lines_were_entered_by_coordinators, migrations.RunPython.noop
        ),
        migrations.RunPython(keep_earlier_choice, migrations.RunPython.noop),
    ]
