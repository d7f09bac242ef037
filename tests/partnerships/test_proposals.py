"""A coordinator awaiting approval proposes the partnership she coordinates; an administrator
approves her account and creates the partnership in one admin action."""

import pytest
from django.urls import reverse

from partnerships import services
from partnerships.models import Membership, Partnership, PartnershipProposal
from tests.auth import mfa_login
from toolkit_portal import hooks
from toolkit_portal.models import AuditEntry
from toolkit_portal.vocabulary import FourP, Sector

from .factories import PartnershipFactory

ORGS = [
    {"name": "Mesa County Sheriff", "sector": Sector.LAW_ENFORCEMENT},
    {"name": "Safe Harbor", "sector": Sector.VICTIM_SERVICES},
]


def _propose(user, **overrides):
    fields = {
        "name": "Western Slope Task Force",
        "areas_served": "Mesa, Delta",
        "focus": [FourP.PREVENTION, FourP.PROTECTION],
        "organizations": ORGS,
        **overrides,
    }
    return services.submit_proposal(actor=user, **fields)


# Service ---------------------------------------------------------------------------------


def test_sending_again_changes_her_one_open_proposal(pending_coordinator):
    first = _propose(pending_coordinator)
    second = _propose(pending_coordinator, name="Grand Valley Task Force", organizations=[])
    assert first.pk == second.pk
    assert PartnershipProposal.objects.filter(proposer=pending_coordinator).count() == 1
    second.refresh_from_db()
    assert second.name == "Grand Valley Task Force"
    assert second.organizations == []
    actions = AuditEntry.objects.filter(object_id=str(first.pk)).values_list("action", flat=True)
    assert sorted(actions) == ["partnerships.proposal.changed", "partnerships.proposal.sent"]


def test_only_a_coordinator_awaiting_approval_proposes(coordinator, consultant):
    for person in (coordinator, consultant):
        with pytest.raises(services.PartnershipError):
            _propose(person)


def test_an_organization_listed_twice_is_refused(pending_coordinator):
    twice = [*ORGS, {"name": "safe harbor ", "sector": Sector.HEALTH_CARE}]
    with pytest.raises(services.PartnershipError, match="listed twice"):
        _propose(pending_coordinator, organizations=twice)


def test_approval_creates_the_partnership_organizations_and_her_membership(
    pending_coordinator, admin_user
):
    PartnershipFactory(slug="western-slope-task-force")
    proposal = _propose(pending_coordinator)
    partnership = services.approve_proposal(proposal=proposal, actor=admin_user)
    pending_coordinator.refresh_from_db()
    assert pending_coordinator.is_approved_coordinator
    assert pending_coordinator.approved_by == admin_user
    assert partnership.slug == "western-slope-task-force-2"
    assert partnership.areas_served == "Mesa, Delta"
    assert partnership.focus == [FourP.PREVENTION, FourP.PROTECTION]
    assert sorted(partnership.organizations.values_list("name", "sector")) == [
        ("Mesa County Sheriff", Sector.LAW_ENFORCEMENT),
        ("Safe Harbor", Sector.VICTIM_SERVICES),
    ]
    assert Membership.objects.get(partnership=partnership).user == pending_coordinator
    assert partnership.is_coordinated_by(pending_coordinator)
    proposal.refresh_from_db()
    assert proposal.status == PartnershipProposal.Status.APPROVED
    assert proposal.partnership == partnership
    assert AuditEntry.objects.filter(action="partnerships.proposal.approved").exists()
    with pytest.raises(services.PartnershipError, match="already approved"):
        services.approve_proposal(proposal=proposal, actor=admin_user)


def test_a_reserved_name_gets_another_address(pending_coordinator, admin_user):
    proposal = _propose(pending_coordinator, name="Coverage")
    assert services.approve_proposal(proposal=proposal, actor=admin_user).slug == "coverage-2"


def test_approval_is_all_or_nothing(pending_coordinator, admin_user, monkeypatch):
    proposal = _propose(pending_coordinator)

    def broken(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(Membership.objects, "create", broken)
    with pytest.raises(RuntimeError):
        services.approve_proposal(proposal=proposal, actor=admin_user)
    pending_coordinator.refresh_from_db()
    assert pending_coordinator.approved_at is None
    assert not Partnership.objects.filter(name="Western Slope Task Force").exists()


# Pages -----------------------------------------------------------------------------------


FORM = {
    "name": "Western Slope Task Force",
    "areas_served": "Mesa, Delta",
    "focus": ["prevention"],
    "organization_1": "Safe Harbor",
    "sector_1": "victim_services",
}


def test_pending_coordinator_proposes_from_her_home_page(client, pending_coordinator):
    client.force_login(pending_coordinator)
    page = client.get(reverse("home")).content.decode()
    assert "Tell us which partnership you coordinate" in page
    assert "Member organization 1" in page
    response = client.post(reverse("partnerships:propose"), FORM)
    assert response.status_code == 302
    assert response.headers["Location"] == reverse("home")
    page = client.get(reverse("home")).content.decode()
    assert "Western Slope Task Force" in page
    assert "Safe Harbor (Victim services)" in page
    assert "Save the changes" in page


def test_an_organization_without_its_sector_is_shown_on_the_form(client, pending_coordinator):
    client.force_login(pending_coordinator)
    response = client.post(reverse("partnerships:propose"), {**FORM, "sector_1": ""})
    assert response.status_code == 200
    assert "Choose the sector this organization brings." in response.content.decode()
    assert not PartnershipProposal.objects.exists()


@pytest.mark.parametrize("persona", ["consultant", "coordinator", "admin_user"])
def test_others_cannot_propose(client, request, persona):
    mfa_login(client, request.getfixturevalue(persona))
    assert client.post(reverse("partnerships:propose"), FORM).status_code == 403
    assert not PartnershipProposal.objects.exists()


def test_anonymous_is_sent_to_sign_in_and_get_is_refused(client, pending_coordinator):
    response = client.post(reverse("partnerships:propose"), FORM)
    assert response.status_code == 302
    assert reverse("account_login") in response.headers["Location"]
    client.force_login(pending_coordinator)
    assert client.get(reverse("partnerships:propose")).status_code == 405


# Admin -----------------------------------------------------------------------------------


def test_admin_approves_the_coordinator_and_creates_the_partnership(
    client, admin_user, pending_coordinator
):
    proposal = _propose(pending_coordinator)
    mfa_login(client, admin_user)
    changelist = reverse("admin:partnerships_partnershipproposal_changelist")
    assert "Western Slope Task Force" in client.get(changelist).content.decode()
    response = client.post(
        changelist,
        {"action": "approve_and_create", "_selected_action": [proposal.pk]},
        follow=True,
    )
    assert "1 coordinator approved and her partnership created." in response.content.decode()
    partnership = Partnership.objects.get(name="Western Slope Task Force")
    assert partnership.is_coordinated_by(
        pending_coordinator.__class__.objects.get(pk=pending_coordinator.pk)
    )
    assert (
        client.get(
            reverse("admin:partnerships_partnershipproposal_change", args=[proposal.pk])
        ).status_code
        == 200
    )


# Her data --------------------------------------------------------------------------------


def test_her_proposal_is_in_her_export_and_goes_with_erasure(pending_coordinator, admin_user):
    _propose(pending_coordinator)
    exported = hooks.export_person_data(pending_coordinator)["partnership_proposals"]
    assert [p["name"] for p in exported] == ["Western Slope Task Force"]
    hooks.erase_person_data(person=pending_coordinator, actor=admin_user)
    assert not PartnershipProposal.objects.exists()
