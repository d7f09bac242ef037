"""Survivor consultants, the engagements they are invited to, and what they are paid.

The rules come from the toolkit (DESIGN.md, rules 1–7): a consultant sets the capacity and
availability others must respect, chooses what is listed, answers with consent and without
giving reasons, and is paid as a professional.

The models live by topic in the models_* modules beside this one; this module gathers them
(Django finds them here, and so do the migrations and every caller).
"""

from .models_boards import Board, BoardMeeting, BoardMember, Recommendation
from .models_common import (
    ZERO,
    Availability,
    EngagementKind,
    PaymentMethod,
    RateBasis,
    ReminderKind,
    choice_label,
    month_bounds,
)
from .models_compensation import (
    QUERY_MAX_LENGTH,
    Compensation,
    CompensationQuerySet,
    Expense,
    ExpenseQuerySet,
    receipt_path,
    validate_receipt,
)
from .models_engagements import (
    CompensationPolicy,
    Engagement,
    EngagementQuerySet,
    Feedback,
    ParticipationRequest,
    PortalText,
    RateCardEntry,
    shown_title,
    shown_title_expression,
)
from .models_profiles import (
    ConsultantProfile,
    ConsultantProfileQuerySet,
    PrivateDetails,
    ProfileView,
)

__all__ = [
    "ZERO",
    "choice_label",
    "month_bounds",
    "Availability",
    "RateBasis",
    "ReminderKind",
    "PaymentMethod",
    "EngagementKind",
    "ConsultantProfileQuerySet",
    "ConsultantProfile",
    "PrivateDetails",
    "ProfileView",
    "CompensationPolicy",
    "RateCardEntry",
    "EngagementQuerySet",
    "Engagement",
    "PortalText",
    "shown_title",
    "shown_title_expression",
    "ParticipationRequest",
    "Feedback",
    "validate_receipt",
    "QUERY_MAX_LENGTH",
    "receipt_path",
    "ExpenseQuerySet",
    "Expense",
    "CompensationQuerySet",
    "Compensation",
    "Board",
    "BoardMeeting",
    "BoardMember",
    "Recommendation",
]
