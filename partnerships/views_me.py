"""A survivor consultant's own side of the partnerships: her seat on a board.

The seat comes through `BoardMember.objects.held_by(user)`: another consultant's seat is
simply not found (404); coordinators and admins use the board's own page (403 here).
"""

from django.conf import settings
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from toolkit_portal.access import consultant_required

from .models import BoardMember


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
