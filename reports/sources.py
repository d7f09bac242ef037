# ruff: noqa: I001, F401 — grouped by the app they come from, on purpose
"""Everything the reports read from the apps below them, imported in this one module."""

# Survivor consultants, engagements, requests and pay.
from survivors.models import (
    Compensation,
    Engagement,
    EngagementKind,
    Expense,
    ParticipationRequest,
    PaymentMethod,
    Recommendation,
)

# Partnerships and goals.
from partnerships.models import Goal, Membership, Partnership

# The trauma-informed self-assessment.
from assessment.models import Answer, AssessmentRound, Priority, Rater
from assessment.scoring import MIN_GROUP, area_means

# Trainings.
from trainings.choices import RequestStatus
from trainings.models import Evaluation, Training, TrainingRecord, TrainingRequest

# The toolkit's vocabulary and the roles of accounts.
from toolkit_portal.models import Role
from toolkit_portal.vocabulary import KeyArea, Principle, SurvivorRole
