"""The trauma-informed self-assessment: coordinators open rounds, invite raters, close them,
read the results and set priorities; raters (the partnership's people and survivor
consultants who accepted) answer one key area per page.

Rounds come through AssessmentRound.objects.visible_to(user): someone who neither
coordinates the partnership nor rates the round gets 404. No one sees results, or another
rater's answers, before the round closes.
"""

from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from partnerships.models import Membership, Partnership
from survivors.models import ConsultantProfile
from toolkit_portal.access import approved_coordinator_required, signed_in_rater_or_coordinator
from toolkit_portal.downloads import csv_download
from toolkit_portal.models import User
from toolkit_portal.view_helpers import coordinated_or_404, fields, run_action, run_form
from toolkit_portal.vocabulary import FourR, KeyArea, Principle

from . import services
from .forms import (
    AnswerPageForm,
    InviteConsultantsForm,
    OpenRoundForm,
    PriorityForm,
    StaffRatersForm,
)
from .models import AssessmentRound, Item, assessment_pages
from .scoring import Summary, area_bars, heatmap


def _posted(request):
    """The submitted data, or None on a GET (an empty POST is still a submitted form)."""
    return request.POST if request.method == "POST" else None


def _coordinated(request, slug):
    return coordinated_or_404(request, Partnership.objects, slug=slug)


def _coordinated_round(request, slug, pk):
    partnership = _coordinated(request, slug)
    return get_object_or_404(
        AssessmentRound.objects.select_related("partnership", "version", "engagement"),
        partnership=partnership,
        pk=pk,
    )


def _visible_round(request, slug, pk):
    return get_object_or_404(
        AssessmentRound.objects.visible_to(request.user).select_related("partnership", "version"),
        partnership__slug=slug,
        pk=pk,
    )


# Coordinators: rounds, trends, opening and closing -------------------------------------------


@require_safe
@approved_coordinator_required
def assessment_home(request, slug):
    partnership = _coordinated(request, slug)
    today = timezone.localdate()
    rounds = list(
        partnership.assessment_rounds.select_related("version", "partnership").order_by(
            "-opened_at"
        )
    )
    trends = services.assessment_trends(partnership, today=today)
    weakest = services.weakest_in_trend(trends[-1]) if trends else []
    return render(
        request,
        "partnerships/assessment/home.html",
        {
            "partnership": partnership,
            "rounds": rounds,
            "open_round": next((r for r in rounds if not r.is_closed(today)), None),
            "trends": trends,
            "area_choices": KeyArea.choices,
            "weakest": weakest,
            "today": today,
        },
    )


@approved_coordinator_required
def assessment_open(request, slug):
    partnership = _coordinated(request, slug)
    people = User.objects.filter(memberships__partnership=partnership).order_by("email")
    return run_form(
        request,
        OpenRoundForm(_posted(request), people=people),
        lambda form: services.open_assessment_round(
            partnership=partnership,
            actor=request.user,
            title=form.cleaned_data["title"],
            closes_on=form.cleaned_data["closes_on"],
            raters=list(form.cleaned_data["raters"]),
        ),
        success_message=_("The round is open. Invite survivor consultants to rate it too."),
        redirect_to=lambda assessment_round: reverse(
            "partnerships:assessment-raters", kwargs={"slug": slug, "pk": assessment_round.pk}
        ),
        template="partnerships/assessment/open.html",
        context={"partnership": partnership},
    )


def _round_context(assessment_round, **more):
    return {"partnership": assessment_round.partnership, "round": assessment_round, **more}


def _back_to_round(request, assessment_round, refusal):
    messages.error(request, refusal)
    return redirect(assessment_round)


def _consultants_to_invite(assessment_round):
    invited = assessment_round.raters.values("user_id")
    return ConsultantProfile.objects.listed().exclude(user_id__in=invited).order_by("display_name")


def _staff_to_add(assessment_round):
    return (
        User.objects.filter(memberships__partnership=assessment_round.partnership_id)
        .exclude(pk__in=assessment_round.raters.values("user_id"))
        .order_by("email")
    )


def _raters_page(request, assessment_round, *, error=None, status=200, **posted):
    """The round's raters, with the form that was posted (and the service's refusal on it)
    in place of its blank one."""
    if error:
        for form in posted.values():
            form.add_error(None, error)
    return render(
        request,
        "partnerships/assessment/raters.html",
        _round_context(
            assessment_round,
            closed=assessment_round.is_closed(),
            raters=services.rater_progress(assessment_round),
            item_total=assessment_round.version.items.count(),
            **{
                "staff_form": StaffRatersForm(people=_staff_to_add(assessment_round)),
                "invite_form": InviteConsultantsForm(
                    consultants=_consultants_to_invite(assessment_round)
                ),
                **posted,
            },
        ),
        status=status,
    )


@approved_coordinator_required
def assessment_raters(request, slug, pk):
    assessment_round = _coordinated_round(request, slug, pk)
    if request.method == "POST" and assessment_round.is_closed():
        return _back_to_round(
            request, assessment_round, _("This round is closed: its answers can no longer change.")
        )
    return run_form(
        request,
        StaffRatersForm(_posted(request), people=_staff_to_add(assessment_round)),
        lambda form: services.add_staff_raters(
            assessment_round=assessment_round,
            actor=request.user,
            users=list(form.cleaned_data["people"]),
        ),
        success_message=_("They are raters of this round now."),
        redirect_to=reverse("partnerships:assessment-raters", kwargs={"slug": slug, "pk": pk}),
        page=lambda form, error: _raters_page(
            request, assessment_round, error=error, staff_form=form
        ),
    )


@require_POST
@approved_coordinator_required
def assessment_invite(request, slug, pk):
    assessment_round = _coordinated_round(request, slug, pk)
    return run_form(
        request,
        InviteConsultantsForm(request.POST, consultants=_consultants_to_invite(assessment_round)),
        lambda form: services.invite_consultants_to_round(
            assessment_round=assessment_round,
            actor=request.user,
            consultants=list(form.cleaned_data["consultants"]),
            estimated_hours=form.cleaned_data["estimated_hours"],
            compensation_amount=form.cleaned_data["compensation_amount"],
        ),
        success_message=_(
            "The participation requests are sent. Each consultant becomes a rater once they accept."
        ),
        redirect_to=reverse("partnerships:assessment-raters", kwargs={"slug": slug, "pk": pk}),
        page=lambda form, error: _raters_page(
            request, assessment_round, error=error, status=400, invite_form=form
        ),
    )


@approved_coordinator_required
def assessment_close(request, slug, pk):
    assessment_round = _coordinated_round(request, slug, pk)
    return run_action(
        request,
        lambda: services.close_assessment_round(
            assessment_round=assessment_round, actor=request.user
        ),
        success_message=_("The round is closed. Its results are ready."),
        redirect_to=assessment_round,
        template="partnerships/assessment/close.html",
        context=_round_context(
            assessment_round,
            raters=services.rater_progress(assessment_round),
            item_total=assessment_round.version.items.count(),
        ),
    )


# Results -------------------------------------------------------------------------------------


def _area_label(value):
    return KeyArea(value).label


@require_safe
@signed_in_rater_or_coordinator
def assessment_round(request, slug, pk):
    user = request.user
    coordinates = Membership.objects.filter(
        partnership=OuterRef("partnership"), user=user.pk, role=Membership.Role.COORDINATOR
    )
    assessment_round = get_object_or_404(
        AssessmentRound.objects.visible_to(user)
        .select_related("partnership", "version")
        .annotate(viewer_coordinates=Exists(coordinates)),
        partnership__slug=slug,
        pk=pk,
    )
    # As Partnership.is_coordinated_by, without another query.
    is_coordinator = user.is_portal_admin or (
        user.is_approved_coordinator and assessment_round.viewer_coordinates
    )
    context = _round_context(assessment_round, is_coordinator=is_coordinator)
    if not assessment_round.is_closed():
        context["rater"] = services.active_rater(assessment_round, request.user)
        return render(request, "partnerships/assessment/round_open.html", context)
    results = services.assessment_results(assessment_round)
    priorities = list(assessment_round.priorities.select_related("goal"))
    chosen = {priority.key_area for priority in priorities}
    context.update(
        {
            "results": results,
            "areas": [
                (value, label, results["areas"][value], results["previous_areas"].get(value))
                for value, label in KeyArea.choices
            ],
            "principles": [
                (value, label, results["principles"][value]) for value, label in Principle.choices
            ],
            "four_rs": [
                (value, label, results["four_rs"][value]) for value, label in FourR.choices
            ],
            "principle_choices": Principle.choices,
            "heatmap": heatmap(results["heat"], KeyArea.choices, Principle.choices),
            "bars": area_bars(results["areas"], results["previous_areas"], KeyArea.choices),
            "weakest": [(value, _area_label(value)) for value in results["weakest"]],
            "weakest_values": results["weakest"],
            "priorities": priorities,
            "open_priorities": [v for v in results["weakest"] if v not in chosen],
        }
    )
    return render(request, "partnerships/assessment/results.html", context)


@require_safe
@signed_in_rater_or_coordinator
def assessment_export(request, slug, pk):
    assessment_round = _visible_round(request, slug, pk)
    if not assessment_round.is_closed():
        return _back_to_round(
            request,
            assessment_round,
            _("Results, and their export, are ready once the round closes."),
        )
    results = services.assessment_results(assessment_round)
    response, writer = csv_download(
        f"assessment-{assessment_round.partnership.slug}-{assessment_round.pk}.csv"
    )
    header = [
        _("code"),
        _("key area"),
        _("principle"),
        _("Four R's"),
        _("statement"),
        _("mean"),
        _("spread"),
        _("count"),
        _("not applicable"),
        _("staff mean"),
        _("survivor mean"),
    ]
    writer.writerow(header)
    # Only the figures assessment.protect let through: a withheld one is None, left blank.
    for item, cell in results["items"]:
        combined = cell.all or Summary(None, None, None, None)
        writer.writerow(
            [
                item.code,
                item.get_key_area_display(),
                item.get_principle_display(),
                item.get_four_r_display(),
                item.statement(),
                _number(combined.mean),
                _number(combined.spread),
                _blank(combined.count),
                _blank(combined.not_applicable),
                _number(cell.staff.mean) if cell.shown else "",
                _number(cell.survivor.mean) if cell.shown else "",
            ]
        )
    return response


def _blank(value):
    return "" if value is None else value


def _number(value):
    # A Decimal, so that the CSV writer keeps it a number.
    return "" if value is None else Decimal(f"{value:.2f}")


# Raters: one key area per page -----------------------------------------------------------------


def _answerable(request, slug, pk):
    """The round and the user's rater row; 404 for anyone who does not rate it."""
    assessment_round = _visible_round(request, slug, pk)
    rater = services.active_rater(assessment_round, request.user)
    if rater is None:
        raise Http404
    return assessment_round, rater


def _closed_response(request, assessment_round):
    if request.method == "POST":
        return render(
            request,
            "partnerships/assessment/closed.html",
            _round_context(assessment_round),
            status=403,
        )
    messages.info(request, _("This round is closed: its answers can no longer change."))
    return redirect(assessment_round)


@require_safe
@signed_in_rater_or_coordinator
def assessment_answer(request, slug, pk):
    assessment_round, rater = _answerable(request, slug, pk)
    if assessment_round.is_closed():
        return _closed_response(request, assessment_round)
    progress = services.answered_by_page(assessment_round, rater)
    pages = [(page, label, *progress.get(page, (0, 0))) for page, label in assessment_pages()]
    return render(
        request,
        "partnerships/assessment/answer_home.html",
        _round_context(
            assessment_round,
            rater=rater,
            pages=pages,
            answered=sum(row[2] for row in pages),
            total=sum(row[3] for row in pages),
        ),
    )


@signed_in_rater_or_coordinator
def assessment_answer_page(request, slug, pk, page):
    assessment_round, rater = _answerable(request, slug, pk)
    pages = assessment_pages()
    slugs = [value for value, _label in pages]
    if page not in slugs:
        raise Http404
    if assessment_round.is_closed():
        return _closed_response(request, assessment_round)
    items = list(Item.objects.filter(version=assessment_round.version_id).in_page(page))
    saved = {answer.item_id: answer for answer in rater.answers.filter(item__in=items)}
    initial = {}
    for item_id, answer in saved.items():
        initial[f"level-{item_id}"] = "na" if answer.level is None else str(answer.level)
        initial[f"comment-{item_id}"] = answer.comment
    index = slugs.index(page)
    following = slugs[index + 1] if index + 1 < len(slugs) else None

    def next_page(_saved):
        if "continue" in request.POST and following:
            return reverse(
                "partnerships:assessment-answer-page",
                kwargs={"slug": slug, "pk": pk, "page": following},
            )
        return reverse("partnerships:assessment-answer", kwargs={"slug": slug, "pk": pk})

    return run_form(
        request,
        AnswerPageForm(_posted(request), items=items, initial=initial),
        lambda form: services.save_answers(
            assessment_round=assessment_round,
            actor=request.user,
            page=page,
            answers=form.answers(),
        ),
        success_message=_("Your answers are saved. You can come back to them."),
        redirect_to=next_page,
        template="partnerships/assessment/answer_page.html",
        context=_round_context(
            assessment_round,
            page=page,
            page_label=dict(pages)[page],
            page_number=index + 1,
            page_count=len(slugs),
            following=following,
            previous=slugs[index - 1] if index else None,
        ),
    )


# Action plan ---------------------------------------------------------------------------------


@approved_coordinator_required
def assessment_priorities(request, slug, pk):
    assessment_round = _coordinated_round(request, slug, pk)
    if not assessment_round.is_closed():
        return _back_to_round(
            request, assessment_round, _("Priorities are set once the round is closed.")
        )
    results = services.assessment_results(assessment_round)
    priorities = list(assessment_round.priorities.select_related("goal"))
    chosen = {priority.key_area for priority in priorities}
    areas = [(v, _area_label(v)) for v in results["weakest"] if v not in chosen]
    if request.method == "POST" and not areas:
        raise PermissionDenied
    return run_form(
        request,
        PriorityForm(_posted(request), areas=areas),
        lambda form: services.record_priority(
            assessment_round=assessment_round, actor=request.user, **fields(form)
        ),
        success_message=_("The priority is recorded and its goal is on the goals page."),
        redirect_to=reverse("partnerships:assessment-priorities", kwargs={"slug": slug, "pk": pk}),
        template="partnerships/assessment/priorities.html",
        context=_round_context(
            assessment_round,
            areas=areas,
            priorities=priorities,
            weakest=[(v, _area_label(v), results["areas"][v]) for v in results["weakest"]],
        ),
        invalid_status=400,
    )
