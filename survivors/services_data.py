"""Survivor-inclusion indicators, and a consultant's data export and erasure."""

import statistics
from collections import Counter
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from toolkit_portal import hooks
from toolkit_portal.audit import record_audit
from toolkit_portal.vocabulary import SurvivorRole

from .models import (
    Compensation,
    Engagement,
    EngagementKind,
    Expense,
    ParticipationRequest,
    PrivateDetails,
    shown_title,
)
from .services_common import (
    EngagementError,
    Status,
)
from .services_engagements import CONSENT_FIELDS, profile_of
from .services_expenses import _delete_receipt_later

# Indicators ---------------------------------------------------------------------------------


def inclusion_indicators(partnership, *, today=None):
    """Survivor-inclusion indicators for the partnership's coordinators (last 12 months)."""
    today = today or timezone.localdate()
    since = today - timedelta(days=365)
    engaged = ParticipationRequest.objects.filter(
        engagement__partnership=partnership,
        status__in=[Status.ACCEPTED, Status.COMPLETED],
        engagement__starts_at__date__gte=since,
    )
    per_consultant = Counter(
        engaged.exclude(consultant=None).values_list("consultant_id", flat=True)
    )
    total = sum(per_consultant.values())
    top_two = sum(count for _id, count in per_consultant.most_common(2))
    concentration = (top_two / total) if total else 0.0
    by_role = Counter()
    for roles in Engagement.objects.filter(
        partnership=partnership, requests__in=engaged
    ).values_list("roles_needed", flat=True):
        # Only an engagement that names no role is counted as such; a role no longer in the
        # vocabulary is counted under its own name, never as "unspecified".
        by_role.update(roles or [NO_ROLE])

    compensations = Compensation.objects.filter(partnership=partnership)
    completed_count = ParticipationRequest.objects.filter(
        engagement__partnership=partnership, status=Status.COMPLETED
    ).count()
    paid = compensations.filter(status=Compensation.Status.PAID).select_related(
        "request__engagement"
    )
    days = [d for c in paid if (d := c.days_to_payment()) is not None]

    return {
        "distinct_consultants": len(per_consultant),
        "engagements": total,
        "top_two_share": concentration,
        "concentration_warning": total >= 3
        and concentration > settings.CONCENTRATION_WARNING_SHARE,
        "by_role": [
            (_role_label(role), n) for role, n in sorted(by_role.items(), key=lambda item: -item[1])
        ],
        "share_paid": (paid.count() / completed_count) if completed_count else None,
        "median_days_to_payment": statistics.median(days) if days else None,
        "overdue": compensations.overdue(today).count(),
        "tokenization_flags": tokenization_flags(partnership),
    }


NO_ROLE = ""


def _role_label(role):
    if role == NO_ROLE:
        return _("No role named")
    if role in SurvivorRole.values:
        return SurvivorRole(role).label
    return role.replace("_", " ").capitalize()


def tokenization_flags(partnership):
    """Rule 2: open group engagements with one survivor seat, and years in which one
    consultant carried all of the partnership's survivor engagements."""
    single_seat = [
        shown_title(*row)
        for row in Engagement.objects.filter(
            partnership=partnership,
            kind__in=EngagementKind.group_kinds(),
            seats__lt=2,
            status=Engagement.Status.OPEN,
        ).values_list("title", "portal_text", "portal_text_subject")
    ]
    years = (
        ParticipationRequest.objects.filter(
            engagement__partnership=partnership,
            status__in=[Status.ACCEPTED, Status.COMPLETED],
            consultant__isnull=False,
        )
        .values("engagement__starts_at__year")
        .annotate(
            consultants=Count("consultant", distinct=True),
            engagements=Count("engagement", distinct=True),
        )
        .filter(consultants=1, engagements__gte=2)
        .order_by("engagement__starts_at__year")
    )
    return {
        "single_seat_group_engagements": single_seat,
        "single_consultant_years": [row["engagement__starts_at__year"] for row in years],
    }


# Data rights --------------------------------------------------------------------------------


def export_consultant_data(profile):
    """Everything held about the consultant, as plain JSON-ready data."""
    user = profile.user
    details = PrivateDetails.objects.filter(profile=profile).first()
    record_audit(user, "survivors.data.exported", profile)

    def money(value):
        return str(value) if value is not None else None

    return {
        "account": {"email": user.email, "joined": user.date_joined.isoformat()},
        "profile": {
            "display_name": profile.display_name,
            "pronouns": profile.pronouns,
            "bio": profile.bio,
            "roles": profile.roles,
            "languages": profile.languages,
            "areas_served": profile.areas_served,
            "works_remote": profile.works_remote,
            "works_in_person": profile.works_in_person,
            "preferred_rate": money(profile.preferred_rate),
            "rate_basis": profile.rate_basis,
            "monthly_capacity": profile.monthly_capacity,
            "availability": profile.availability,
            "paused_until": profile.paused_until.isoformat() if profile.paused_until else None,
            "criminal_justice_opt_in": profile.criminal_justice_opt_in,
            "is_listed": profile.is_listed,
            "contact_email": profile.contact_email,
            "contact_phone": profile.contact_phone,
            "email_muted_kinds": profile.email_muted_kinds,
        },
        "private_details": {
            "legal_name": details.legal_name if details else "",
            "mailing_address": details.mailing_address if details else "",
            "payment_details": details.payment_details if details else "",
        },
        "profile_views": [
            {"viewer": view.viewer.email, "at": view.viewed_at.isoformat()}
            for view in profile.views_received.select_related("viewer")
        ],
        "requests": [
            {
                "engagement": str(r.engagement.display_title),
                "partnership": r.engagement.partnership.name,
                "starts_at": r.engagement.starts_at.isoformat(),
                "status": r.status,
                "decline_reason": r.decline_reason,
                "withdraw_reason": r.withdraw_reason,
                "consent": {field: getattr(r, field) for field in CONSENT_FIELDS},
                "agreed_terms": r.agreed_terms,
                "changed_terms": r.changed_terms,
                "hours_worked": money(r.hours_worked),
                "thank_you_note": r.thank_you_note,
            }
            for r in profile.requests.select_related("engagement__partnership")
        ],
        "expenses": [
            {
                "engagement": str(e.request.engagement.display_title),
                "kind": e.kind,
                "amount": money(e.amount),
                "note": e.note,
                "added_by": e.added_by,
                "status": e.status,
                "question": e.query_message,
                "has_receipt": bool(e.receipt),
                "added_at": e.created_at.isoformat(),
                "decided_at": e.decided_at.isoformat() if e.decided_at else None,
            }
            for e in Expense.objects.filter(request__consultant=profile).select_related(
                "request__engagement"
            )
        ],
        # The other apps' parts (training records, assessment answers...), in app order.
        **hooks.export_person_data(user),
        "compensation": [
            {
                "engagement": str(c.request.engagement.display_title),
                "fee": money(c.fee),
                "expenses": money(c.expenses_total),
                "amount": money(c.amount),
                "due_on": c.due_on.isoformat(),
                "status": c.status,
                "paid_on": c.paid_on.isoformat() if c.paid_on else None,
                "payment_method": c.payment_method,
            }
            for c in profile.compensations.select_related("request__engagement")
        ],
    }


@transaction.atomic
def erase_consultant(*, user, actor):
    """Erase the profile and personal fields. Engagements keep a "former consultant";
    compensation records stay for the books; the account can no longer sign in."""
    if actor.pk != user.pk and not actor.is_portal_admin:
        raise EngagementError(_("Only the consultant or an admin can erase this account."))
    profile = profile_of(user)
    if profile is not None:
        ParticipationRequest.objects.filter(consultant=profile).update(
            decline_reason="",
            withdraw_reason="",
            consent_off_limits="",
            consent_name_to_use="",
        )
        _erase_expense_details(profile)
        record_audit(actor, "survivors.data.erased", profile)
        # The change history keeps copies of the same fields: blank them there too.
        ParticipationRequest.history.filter(consultant_id=profile.pk).update(
            consent_off_limits="", consent_name_to_use="", consultant=None
        )
        Compensation.history.filter(consultant_id=profile.pk).update(consultant=None)
        profile.delete()  # private details, views and the request link go with it
    hooks.erase_person_data(person=user, actor=actor)  # the other apps' parts
    EmailAddress.objects.filter(user=user).delete()
    user.email = f"erased-{user.pk}@erased.invalid"
    user.set_unusable_password()
    user.is_active = False
    user.save(update_fields=["email", "password", "is_active"])
    _end_sessions_of(user)


def _erase_expense_details(profile):
    """Her expense lines stay for the books (kind, amount, decision); their receipts are
    deleted, and what was typed about them (her note, a coordinator's question) is blanked."""
    lines = Expense.objects.filter(request__consultant=profile)
    receipts = list(lines.exclude(receipt="").values_list("receipt", flat=True))
    lines.update(receipt="", receipt_type="", note="", query_message="")
    for name in receipts:
        _delete_receipt_later(name)


def _end_sessions_of(user):
    from allauth.usersessions.models import UserSession

    for user_session in UserSession.objects.filter(user=user):
        user_session.end()
