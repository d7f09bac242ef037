# ruff: noqa: I001, F401 — grouped by the app they come from, on purpose
"""Everything the reports read from the apps below them, imported in this one module.

The self-assessment is due to move out of `partnerships` into an app of its own: its
imports are grouped here so that the move changes this file only.
"""

# Survivor consultants, engagements, requests and pay.
from survivors.models import (
    Compensation,
    Engagement,
    EngagementKind,
    Expense,
    ParticipationRequest,
    PaymentMethod,
)

# Partnerships, goals and "you said, we did".
from partnerships.models import Goal, Membership, Partnership, Recommendation

# The trauma-informed self-assessment (moving to its own app later: change only these lines).
from partnerships.models import Answer, AssessmentRound, Priority, Rater
from partnerships.assessment import MIN_GROUP, area_means

# Trainings.
from trainings.choices import RequestStatus
from trainings.models import Evaluation, Training, TrainingRecord, TrainingRequest

# The toolkit's vocabulary and the roles of accounts.
from toolkit_portal.models import Role
from toolkit_portal.vocabulary import KeyArea, Principle, SurvivorRole
