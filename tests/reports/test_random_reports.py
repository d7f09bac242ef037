"""Hypothesis over random data in the database: whatever the engagements, requests and
payments, no hidden figure of the report can be worked out from everything it shows, across
its tables, its chart and both periods (the brute force of tests/reports/disclosure.py), and
no change gives one away."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reports import figures, periods
from survivors.models import Compensation, EngagementKind, ParticipationRequest
from tests.survivors.factories import ConsultantProfileFactory, EngagementFactory

from .disclosure import report_reveals_nothing, tables_reveal_nothing
from .fixed_data import moment

STATUSES = ["accepted", "completed", "declined", "expired", "pending", "withdrawn"]
requests = st.lists(
    st.tuples(
        st.sampled_from(EngagementKind.values),
        st.integers(min_value=0, max_value=4),  # which consultant
        st.sampled_from(STATUSES),
        st.integers(min_value=0, max_value=179),  # day in Q4 2024 and Q1 2025
        st.sampled_from(["check", "direct_deposit", "gift_card"]),
    ),
    max_size=14,
)


class Rollback(Exception):
    pass


@pytest.mark.django_db
@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(requests)
def test_no_hidden_figure_of_a_random_report_can_be_worked_out(partnership_x, rows):
    try:
        with transaction.atomic():
            profiles = [ConsultantProfileFactory(monthly_capacity=50) for _n in range(5)]
            for kind, who, status, day, method in rows:
                when = date(2024, 10, 1) + timedelta(days=day)
                engagement = EngagementFactory(
                    partnership=partnership_x,
                    kind=kind,
                    starts_at=moment(when),
                    ends_at=moment(when, 12),
                    response_deadline=moment(when, 9),
                    completed_at=moment(when, 14) if status == "completed" else None,
                )
                request = ParticipationRequest.objects.create(
                    engagement=engagement,
                    consultant=profiles[who],
                    status=status,
                    sent_at=moment(when - timedelta(days=3)),
                    hours_worked=Decimal(2) if status == "completed" else None,
                )
                if status == "completed":
                    Compensation.objects.create(
                        request=request,
                        partnership=partnership_x,
                        consultant=profiles[who],
                        fee=Decimal(100),
                        amount=Decimal(100),
                        due_on=when + timedelta(days=30),
                        status="paid",
                        paid_on=when + timedelta(days=day % 20),
                        paid_method=method,
                    )
            report = figures.build_report(partnership_x, periods.quarter(2025, 1))
            assert tables_reveal_nothing(report) == []
            # Every payment is $100 and there are at most 14.
            assert report_reveals_nothing(report, amount_unit=100, amount_bound=16) == []
            raise Rollback
    except Rollback:
        pass
