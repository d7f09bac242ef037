"""The survivor side of a partnership's pages: "you said, we did" recommendations and survivor
leader boards, for its coordinators (under /partnerships/<slug>/, named `partnerships:…`
where they have always been) and for consultants.

Boards and recommendations come through querysets of the partnerships the user coordinates:
another partnership's are not found (404).
"""

from django.conf import settings
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from partnerships.models import Partnership
from toolkit_portal.access import approved_coordinator_required, consultant_required
from toolkit_portal.view_helpers import coordinated_or_404, fields, page_of, run_action, run_form

from . import services_boards as services
from .forms_boards import (
    AnswerForm,
    BoardForm,
    BoardMeetingForm,
    BoardRecommendationForm,
    RecommendationForm,
    SeatForm,
)
from .models import BoardMember, Recommendation

# "You said, we did" ------------------------------------------------------------------------


@consultant_required
def my_recommendations(request):
    recommendations = Recommendation.objects.by_consultant(request.user).select_related(
        "partnership", "board", "engagement"
    )
    return render(
        request,
        "partnerships/my_recommendations.html",
        {"page_obj": page_of(request, recommendations)},
    )


@consultant_required
def recommendation_create(request):
    return run_form(
        request,
        RecommendationForm(
            request.POST or None,
            partnerships=services.partnerships_for_recommendation(request.user),
            engagements=services.engagements_for_recommendation(request.user),
        ),
        lambda form: services.record_recommendation(
            partnership=form.cleaned_data["partnership"],
            actor=request.user,
            text=form.cleaned_data["text"],
            engagement=form.cleaned_data["engagement"],
            is_anonymous=form.cleaned_data["is_anonymous"],
        ),
        success_message=_("Your recommendation is recorded. You will see the answer here."),
        redirect_to="partnerships:my-recommendations",
        template="partnerships/recommendation_form.html",
    )


@approved_coordinator_required
def recommendation_list(request, slug):
    partnership = coordinated_or_404(request, Partnership.objects, slug=slug)
    recommendations = partnership.recommendations.select_related("consultant", "board").order_by(
        "answered_at", "-created_at"
    )
    return render(
        request,
        "partnerships/recommendation_list.html",
        {
            "partnership": partnership,
            "page_obj": page_of(request, recommendations),
            "counts": services.recommendation_counts(partnership),
        },
    )


@approved_coordinator_required
def recommendation_answer(request, slug, pk):
    partnership = coordinated_or_404(request, Partnership.objects, slug=slug)
    recommendation = get_object_or_404(
        partnership.recommendations.select_related("consultant", "board", "partnership"), pk=pk
    )
    initial = {"status": recommendation.status, "response": recommendation.response}
    return run_form(
        request,
        AnswerForm(request.POST or None, initial=initial),
        lambda form: services.answer_recommendation(
            recommendation=recommendation, actor=request.user, **fields(form)
        ),
        success_message=_("Your answer is saved; the consultant will be told."),
        redirect_to=reverse("partnerships:recommendations", kwargs={"slug": slug}),
        template="partnerships/recommendation_answer.html",
        context={"partnership": partnership, "recommendation": recommendation},
    )


# Survivor leader boards ----------------------------------------------------------------------


@approved_coordinator_required
def board_list(request, slug):
    partnership = coordinated_or_404(request, Partnership.objects, slug=slug)
    return run_form(
        request,
        BoardForm(request.POST or None),
        lambda form: services.save_board(
            partnership=partnership, actor=request.user, **fields(form)
        ),
        success_message=_("The board is set up."),
        redirect_to=_board_url,
        template="partnerships/board_list.html",
        context={
            "partnership": partnership,
            "boards": partnership.boards.annotate(member_count=Count("members")),
        },
    )


def _board(request, slug, pk):
    partnership = coordinated_or_404(request, Partnership.objects, slug=slug)
    return get_object_or_404(partnership.boards.select_related("partnership"), pk=pk)


def _board_url(board):
    return reverse(
        "partnerships:board-detail", kwargs={"slug": board.partnership.slug, "pk": board.pk}
    )


@approved_coordinator_required
def board_detail(request, slug, pk):
    board = _board(request, slug, pk)
    today = timezone.localdate()
    members = board.members.select_related("consultant").order_by("term_ends_on")
    return render(
        request,
        "partnerships/board_detail.html",
        {
            "partnership": board.partnership,
            "board": board,
            "members": members,
            "serving_count": board.members.serving(today).count(),
            "ending_soon": set(
                board.members.term_ending_within(
                    settings.BOARD_TERM_REMINDER_DAYS, today
                ).values_list("pk", flat=True)
            ),
            "meetings": board.meetings.select_related("engagement").annotate(
                accepted=Count(
                    "engagement__requests",
                    filter=Q(engagement__requests__status__in=["accepted", "completed"]),
                )
            ),
            "candidates": services.seat_candidates(board),
            "today": today,
            "recommendation_form": BoardRecommendationForm(),
            "recommendations": board.recommendations.order_by("-created_at")[:20],
        },
    )


@approved_coordinator_required
def board_edit(request, slug, pk):
    board = _board(request, slug, pk)
    return run_form(
        request,
        BoardForm(request.POST or None, instance=board),
        lambda form: services.save_board(
            partnership=board.partnership, actor=request.user, board=board, **fields(form)
        ),
        success_message=_("The board is saved."),
        redirect_to=_board_url(board),
        template="partnerships/board_form.html",
        context={"partnership": board.partnership, "board": board},
    )


@approved_coordinator_required
def board_meeting_create(request, slug, pk):
    board = _board(request, slug, pk)
    return run_form(
        request,
        BoardMeetingForm(request.POST or None),
        lambda form: services.schedule_board_meeting(
            board=board, actor=request.user, **fields(form)
        ),
        success_message=_(
            "The meeting is scheduled. Invite consultants to its seats from the engagement."
        ),
        redirect_to=lambda meeting: meeting.engagement.get_absolute_url(),
        template="partnerships/board_meeting_form.html",
        context={"partnership": board.partnership, "board": board},
    )


@require_POST
@approved_coordinator_required
def board_seat(request, slug, pk):
    board = _board(request, slug, pk)
    form = SeatForm(request.POST, candidates=services.seat_candidates(board))
    return run_action(
        request,
        lambda: services.seat_board_member(board=board, actor=request.user, **fields(form)),
        form=form,
        success_message=_("The consultant is seated on the board."),
        redirect_to=_board_url(board),
    )


@require_POST
@approved_coordinator_required
def board_recommendation(request, slug, pk):
    board = _board(request, slug, pk)
    form = BoardRecommendationForm(request.POST)
    return run_action(
        request,
        lambda: services.record_board_recommendation(
            board=board, actor=request.user, **fields(form)
        ),
        form=form,
        success_message=_("The board's recommendation is recorded. Answer it like any other."),
        redirect_to=_board_url(board),
    )


# A consultant's own seat (mounted at /me/, namespace `myboards`). Her seat comes through
# BoardMember.objects.held_by(user): another consultant's is not found (404); coordinators
# and admins use the board's own page (403 here).


@consultant_required
@require_safe
def seat_detail(request, pk):
    seat = get_object_or_404(
        BoardMember.objects.held_by(request.user).select_related("board__partnership"), pk=pk
    )
    today = timezone.localdate()
    board = seat.board
    return render(
        request,
        "partnerships/me/seat_detail.html",
        {
            "seat": seat,
            "board": board,
            "state": seat.state(today),
            "days_left": seat.days_left(today),
            "ending_soon": 0 <= seat.days_left(today) <= settings.BOARD_TERM_REMINDER_DAYS,
            # The board's own recommendations and their answers, as on "You said, we did".
            "recommendations": board.recommendations.filter(consultant__isnull=True).order_by(
                "-created_at"
            )[:10],
        },
    )
