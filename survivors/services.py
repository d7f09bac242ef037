"""Every change to consultants, engagements, requests and compensation goes through here.

Each function is atomic, takes the acting user as `actor`, raises EngagementError with a
message a person can read, and writes an audit entry. The functions live by topic in the
services_* modules beside this one; this module gathers them, so callers keep writing
`services.accept_request(...)`.
"""

from .services_common import (
    OPEN_REQUESTS,
    EngagementError,
    Status,
    TokenizationWarning,
)
from .services_compensation import (
    choose_payment_method,
    complete_engagement,
    compute_fee,
    mark_compensation_paid,
    paid_total_in_year,
    report_not_received,
)
from .services_data import (
    erase_consultant,
    export_consultant_data,
    inclusion_indicators,
    tokenization_flags,
)
from .services_engagements import (
    CONSENT_FIELDS,
    accept_request,
    apply_consent,
    cancel_engagement,
    cancel_request,
    change_request_status,
    create_engagement,
    decline_request,
    expire_request,
    leave_feedback,
    leave_thank_you,
    profile_of,
    rate_card_entry,
    read_private_details,
    record_profile_view,
    refusal_for,
    revoke_consent,
    save_private_details,
    send_participation_requests,
    upcoming_engagements_for,
    update_consent,
    withdraw_request,
)
from .services_expenses import (
    add_expense,
    approve_expense,
    change_expense,
    query_expense,
    remove_expense,
)
from .services_terms import (
    MATERIAL_TERMS,
    confirm_changed_terms,
    consultants_to_release,
    leave_changed_engagement,
    material_changes,
    update_engagement,
)

__all__ = [
    "Status",
    "EngagementError",
    "TokenizationWarning",
    "OPEN_REQUESTS",
    "profile_of",
    "read_private_details",
    "save_private_details",
    "record_profile_view",
    "rate_card_entry",
    "create_engagement",
    "refusal_for",
    "send_participation_requests",
    "change_request_status",
    "CONSENT_FIELDS",
    "accept_request",
    "decline_request",
    "withdraw_request",
    "cancel_request",
    "expire_request",
    "apply_consent",
    "update_consent",
    "revoke_consent",
    "cancel_engagement",
    "leave_feedback",
    "leave_thank_you",
    "upcoming_engagements_for",
    "MATERIAL_TERMS",
    "material_changes",
    "consultants_to_release",
    "update_engagement",
    "confirm_changed_terms",
    "leave_changed_engagement",
    "compute_fee",
    "complete_engagement",
    "choose_payment_method",
    "mark_compensation_paid",
    "report_not_received",
    "paid_total_in_year",
    "add_expense",
    "change_expense",
    "remove_expense",
    "approve_expense",
    "query_expense",
    "inclusion_indicators",
    "tokenization_flags",
    "export_consultant_data",
    "erase_consultant",
]
