"""Partnership pages: the public list, profile and statewide coverage; the coordinators'
profile, organizations, goals, members and recommendations; the consultant's "You said, we
did" page.

Every object comes through a queryset limited to what the user may see: a partnership the
user does not coordinate gives 404 on its management pages. State changes are POST only and
go through services.py.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from toolkit_portal.access import approved_coordinator_required
from toolkit_portal.view_helpers import (
    coordinated_or_404,
    fields,
    page_of,
    run_action,
    run_form,
)
from toolkit_portal.vocabulary import FourP, Sector

from . import services
from .forms import (
    GoalForm,
    InvitationForm,
    MembershipRoleForm,
    OrganizationForm,
    PartnershipProfileForm,
    PositionForm,
    ProgressNoteForm,
    ProposalForm,
)
from .models import Goal, Invitation, Membership, Organization, Partnership, PartnershipProposal

# Public --------------------------------------------------------------------------------------


def partnership_list(request):
    # Listed partnerships, and the unlisted ones this person may open (their own, or every
    # one for an admin): no partnership page is reachable only by its address.
    page = page_of(request, Partnership.objects.visible_to(request.user).order_by("name"))
    return render(request, "partnerships/partnership_list.html", {"page_obj": page})


def partnership_detail(request, slug):
    partnership = get_object_or_404(Partnership.objects.visible_to(request.user), slug=slug)
    is_coordinator = partnership.is_coordinated_by(request.user)
    context = {
        "partnership": partnership,
        "is_coordinator": is_coordinator,
        "organizations": partnership.organizations.all(),
        "coverage": partnership.sector_coverage(),
    }
    if is_coordinator:
        context["memberships"] = partnership.memberships.select_related("user").order_by(
            "role", "user__email"
        )
        context["goal_total"] = partnership.goals.count()
        context["past_target_count"] = partnership.goals.past_target().count()
    return render(request, "partnerships/partnership_detail.html", context)


def coverage(request):
    """Listed partnerships against the 4Ps and the sectors: three queries per page."""
    page = page_of(request, Partnership.objects.listed(), size=settings.LONG_LIST_PAGE_SIZE)
    partnerships = list(page.object_list)
    ids = [p.pk for p in partnerships]
    organizations = {}
    for partnership_id, sector, count in (
        Organization.objects.filter(partnership_id__in=ids)
        .values_list("partnership_id", "sector")
        .annotate(n=Count("id"))
        .order_by()
    ):
        organizations[(partnership_id, sector)] = count
    goals = {}
    for partnership_id, four_p, count in (
        Goal.objects.filter(partnership_id__in=ids)
        .values_list("partnership_id", "four_p")
        .annotate(n=Count("id"))
        .order_by()
    ):
        goals[(partnership_id, four_p)] = count
    four_p_rows = []
    sector_rows = []
    for partnership in partnerships:
        four_p_rows.append(
            {
                "partnership": partnership,
                "cells": [
                    {
                        "label": label,
                        "focus": value in partnership.focus,
                        "goals": goals.get((partnership.pk, value), 0),
                    }
                    for value, label in FourP.choices
                ],
            }
        )
        sector_rows.append(
            {
                "partnership": partnership,
                "cells": [
                    {"label": label, "count": organizations.get((partnership.pk, value), 0)}
                    for value, label in Sector.choices
                ],
            }
        )
    four_p_totals = [
        (
            label,
            sum(1 for row in four_p_rows if row["cells"][i]["focus"] or row["cells"][i]["goals"]),
        )
        for i, (_value, label) in enumerate(FourP.choices)
    ]
    sector_totals = [
        (label, sum(1 for row in sector_rows if row["cells"][i]["count"]))
        for i, (_value, label) in enumerate(Sector.choices)
    ]
    return render(
        request,
        "partnerships/coverage.html",
        {
            "page_obj": page,
            "four_p_choices": FourP.choices,
            "sector_choices": Sector.choices,
            "four_p_rows": four_p_rows,
            "sector_rows": sector_rows,
            "four_p_totals": four_p_totals,
            "sector_totals": sector_totals,
        },
    )


# Profile and organizations -------------------------------------------------------------------


@approved_coordinator_required
def profile_edit(request, slug):
    partnership = coordinated_or_404(request, Partnership.objects, slug=slug)
    return run_form(
        request,
        PartnershipProfileForm(request.POST or None, instance=partnership),
        lambda form: services.update_profile(
            partnership=partnership, actor=request.user, **fields(form)
        ),
        success_message=_("The partnership's profile is saved."),
        redirect_to=partnership,
        template="partnerships/partnership_form.html",
        context={"partnership": partnership},
    )


@approved_coordinator_required
def organization_list(request, slug):
    partnership = coordinated_or_404(request, Partnership.objects, slug=slug)
    return run_form(
        request,
        OrganizationForm(request.POST or None),
        lambda form: services.add_organization(
            partnership=partnership, actor=request.user, **fields(form)
        ),
        success_message=_("The organization is added."),
        redirect_to=reverse("partnerships:organizations", kwargs={"slug": partnership.slug}),
        template="partnerships/organization_list.html",
        context={
            "partnership": partnership,
            "page_obj": page_of(request, partnership.organizations.all()),
            "coverage": partnership.sector_coverage(),
        },
        error_field="name",
    )


def _organization(request, slug, pk):
    partnership = coordinated_or_404(request, Partnership.objects, slug=slug)
    return get_object_or_404(partnership.organizations.select_related("partnership"), pk=pk)


@approved_coordinator_required
def organization_edit(request, slug, pk):
    organization = _organization(request, slug, pk)
    return run_form(
        request,
        OrganizationForm(request.POST or None, instance=organization),
        lambda form: services.update_organization(
            organization=organization, actor=request.user, **fields(form)
        ),
        success_message=_("The organization is saved."),
        redirect_to=reverse("partnerships:organizations", kwargs={"slug": slug}),
        template="partnerships/organization_form.html",
        context={"partnership": organization.partnership, "organization": organization},
        error_field="name",
    )


@approved_coordinator_required
def organization_remove(request, slug, pk):
    organization = _organization(request, slug, pk)
    return run_action(
        request,
        lambda: services.remove_organization(organization=organization, actor=request.user),
        success_message=_("The organization is removed."),
        redirect_to=reverse("partnerships:organizations", kwargs={"slug": slug}),
        template="partnerships/organization_remove.html",
        context={"partnership": organization.partnership, "organization": organization},
    )


# Goals ----------------------------------------------------------------------------------------


@approved_coordinator_required
def goal_list(request, slug):
    partnership = coordinated_or_404(request, Partnership.objects, slug=slug)
    overview = services.goals_overview(partnership)
    return render(
        request,
        "partnerships/goal_list.html",
        {"partnership": partnership, "today": timezone.localdate(), **overview},
    )


@approved_coordinator_required
def goal_create(request, slug):
    partnership = coordinated_or_404(request, Partnership.objects, slug=slug)
    return run_form(
        request,
        GoalForm(request.POST or None),
        lambda form: services.create_goal(
            partnership=partnership, actor=request.user, **fields(form)
        ),
        success_message=_("The goal is added."),
        redirect_to=lambda goal: reverse(
            "partnerships:goal-detail", kwargs={"slug": slug, "pk": goal.pk}
        ),
        template="partnerships/goal_form.html",
        context={"partnership": partnership},
    )


def _goal(request, slug, pk):
    partnership = coordinated_or_404(request, Partnership.objects, slug=slug)
    return get_object_or_404(partnership.goals.select_related("partnership"), pk=pk)


@approved_coordinator_required
def goal_detail(request, slug, pk):
    goal = _goal(request, slug, pk)
    return run_form(
        request,
        ProgressNoteForm(request.POST or None, initial={"noted_on": timezone.localdate()}),
        lambda form: services.add_progress_note(goal=goal, actor=request.user, **fields(form)),
        success_message=_("The progress note is added."),
        redirect_to=reverse("partnerships:goal-detail", kwargs={"slug": slug, "pk": goal.pk}),
        template="partnerships/goal_detail.html",
        context={
            "partnership": goal.partnership,
            "goal": goal,
            "notes": goal.notes.select_related("author"),
        },
    )


@approved_coordinator_required
def goal_edit(request, slug, pk):
    goal = _goal(request, slug, pk)
    return run_form(
        request,
        GoalForm(request.POST or None, instance=goal),
        lambda form: services.update_goal(goal=goal, actor=request.user, **fields(form)),
        success_message=_("The goal is saved."),
        redirect_to=reverse("partnerships:goal-detail", kwargs={"slug": slug, "pk": goal.pk}),
        template="partnerships/goal_form.html",
        context={"partnership": goal.partnership, "goal": goal},
    )


# Members and invitations ---------------------------------------------------------------------


@approved_coordinator_required
def member_list(request, slug):
    partnership = coordinated_or_404(request, Partnership.objects, slug=slug)
    return run_form(
        request,
        InvitationForm(request.POST or None),
        lambda form: services.invite_coordinator(
            partnership=partnership, actor=request.user, email=form.cleaned_data["email"]
        ),
        success_message=_("The invitation is sent."),
        redirect_to=reverse("partnerships:members", kwargs={"slug": slug}),
        template="partnerships/member_list.html",
        context={
            "partnership": partnership,
            "page_obj": page_of(
                request,
                partnership.memberships.select_related("user").order_by("role", "user__email"),
            ),
            "invitations": partnership.invitations.pending().select_related("invited_by"),
            "role_choices": Membership.Role.choices,
            "days": settings.PARTNERSHIP_INVITATION_DAYS,
        },
        error_field="email",
    )


def _membership(request, slug, pk):
    partnership = coordinated_or_404(request, Partnership.objects, slug=slug)
    return get_object_or_404(partnership.memberships.select_related("user", "partnership"), pk=pk)


@approved_coordinator_required
def member_remove(request, slug, pk):
    membership = _membership(request, slug, pk)
    return run_action(
        request,
        lambda: services.remove_membership(membership=membership, actor=request.user),
        success_message=_("The person no longer belongs to the partnership."),
        redirect_to=reverse("partnerships:members", kwargs={"slug": slug}),
        template="partnerships/member_remove.html",
        context={"partnership": membership.partnership, "membership": membership},
    )


@require_POST
@approved_coordinator_required
def member_role(request, slug, pk):
    membership = _membership(request, slug, pk)
    form = MembershipRoleForm(request.POST)
    return run_action(
        request,
        lambda: services.change_membership_role(
            membership=membership, actor=request.user, **fields(form)
        ),
        form=form,
        success_message=_("The role is changed."),
        redirect_to=reverse("partnerships:members", kwargs={"slug": slug}),
    )


@require_POST
@approved_coordinator_required
def invitation_revoke(request, slug, pk):
    partnership = coordinated_or_404(request, Partnership.objects, slug=slug)
    invitation = get_object_or_404(Invitation, partnership=partnership, pk=pk)
    return run_action(
        request,
        lambda: services.revoke_invitation(invitation=invitation, actor=request.user),
        success_message=_("The invitation is revoked; its link no longer works."),
        redirect_to=reverse("partnerships:members", kwargs={"slug": slug}),
    )


def invitation(request, token):
    """The link in the invitation email. Anyone may open it: it says what it is for and leads
    to sign-up or sign-in, then back here to join."""
    found = services.invitation_from_token(token)
    if found is None:
        return render(request, "partnerships/invitation.html", {"invalid": True}, status=404)
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect(f"{reverse('account_login')}?{urlencode({'next': request.path})}")
        try:
            services.accept_invitation(invitation=found, actor=request.user)
        except services.PartnershipError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, services.joined_message(invitation=found, user=request.user))
            if request.user.is_approved_coordinator or request.user.is_portal_admin:
                return redirect(found.partnership)
            return redirect("home")
    next_query = urlencode({"next": request.path})
    return render(
        request,
        "partnerships/invitation.html",
        {
            "invitation": found,
            "state": found.state(),
            "next_query": next_query,
            "email_matches": request.user.is_authenticated
            and request.user.email.lower() == found.email.lower(),
        },
    )


# Positions open to survivors -----------------------------------------------------------------


@approved_coordinator_required
def position_list(request, slug):
    partnership = coordinated_or_404(request, Partnership.objects, slug=slug)
    return run_form(
        request,
        PositionForm(request.POST or None),
        lambda form: services.save_position(
            partnership=partnership, actor=request.user, **fields(form)
        ),
        success_message=_("The position is posted. Listed consultants see it."),
        redirect_to=reverse("partnerships:positions", kwargs={"slug": slug}),
        template="partnerships/position_list.html",
        context={
            "partnership": partnership,
            "page_obj": page_of(request, partnership.positions.order_by("-closes_on")),
            "today": timezone.localdate(),
        },
        error_field="closes_on",
    )


@approved_coordinator_required
def position_edit(request, slug, pk):
    partnership = coordinated_or_404(request, Partnership.objects, slug=slug)
    position = get_object_or_404(partnership.positions, pk=pk)
    return run_form(
        request,
        PositionForm(request.POST or None, instance=position),
        lambda form: services.save_position(
            partnership=partnership, actor=request.user, position=position, **fields(form)
        ),
        success_message=_("The position is saved."),
        redirect_to=reverse("partnerships:positions", kwargs={"slug": slug}),
        template="partnerships/position_form.html",
        context={"partnership": partnership, "position": position},
    )


@login_required
def open_positions(request):
    """Open positions, for every consultant (listed or not) and admins."""
    if not (request.user.is_consultant or request.user.is_portal_admin):
        raise PermissionDenied
    positions = services.open_positions_for(request.user)
    return render(
        request, "partnerships/open_positions.html", {"page_obj": page_of(request, positions)}
    )


# A coordinator awaiting approval proposes her partnership -------------------------------------


def _open_proposal(user):
    return PartnershipProposal.objects.open().filter(proposer=user).first()


def pending_approval(request, form=None, status=200):
    """The page a coordinator awaiting approval meets (the shell's home shows it): why she
    waits, and the partnership she proposes, with the form to send or change it."""
    proposal = _open_proposal(request.user)
    if form is None:
        form = ProposalForm(proposal=proposal)
    context = {"proposal": proposal, "proposal_form": form}
    return render(request, "partnerships/pending_approval.html", context, status=status)


@require_POST
@login_required
def propose(request):
    if not request.user.is_pending_coordinator:
        raise PermissionDenied
    form = ProposalForm(request.POST, proposal=_open_proposal(request.user))
    if form.is_valid():
        try:
            services.submit_proposal(actor=request.user, **form.proposal_fields())
        except services.PartnershipError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("Your partnership is sent. An administrator approves it with your account."),
            )
            return redirect("home")
    return pending_approval(request, form=form)
