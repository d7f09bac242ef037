"""A person's own training records, certificates, evaluations and growth goals (/me/…).

Records are reached through TrainingRecord.objects.visible_to(user): the owner and admins
see them, anyone else gets 404. Only the owner changes them (an admin gets 403).
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from toolkit_portal.access import consultant_required
from toolkit_portal.storage import serve_private_file
from toolkit_portal.view_helpers import fields, page_of, run_action, run_form

from . import services
from .forms import EvaluationForm, GrowthGoalForm, TrainingRecordForm
from .models import Evaluation, GrowthGoal, Training, TrainingRecord


def _visible_record(request, pk):
    return get_object_or_404(
        TrainingRecord.objects.visible_to(request.user).select_related("training__provider"),
        pk=pk,
    )


def _own_record(request, pk):
    record = _visible_record(request, pk)
    if record.person_id != request.user.pk:
        raise PermissionDenied  # an admin may look, but only the owner changes it
    return record


@login_required
def record_list(request):
    records = TrainingRecord.objects.owned_by(request.user)
    page = page_of(
        request,
        records.select_related("training__provider", "evaluation"),
    )
    suggestions = Training.objects.filter(suggested_by=request.user).order_by("-created_at")[:50]
    return render(
        request,
        "trainings/trainingrecord_list.html",
        {
            "page_obj": page,
            "hours_by_year": services.hours_by_year(records),
            "suggestions": suggestions,
        },
    )


@login_required
def record_create(request):
    initial = {}
    # PostgreSQL refuses a NUL in a query: such a slug names no training.
    if (slug := request.GET.get("training")) and "\x00" not in slug:
        initial["training"] = (
            Training.objects.visible_to(request.user)
            .filter(slug=slug)
            .values_list("pk", flat=True)
            .first()
        )
    return run_form(
        request,
        TrainingRecordForm(
            request.POST or None, request.FILES or None, user=request.user, initial=initial
        ),
        lambda form: services.record_training(actor=request.user, **fields(form)),
        success_message=_("Your training is recorded. Would you like to rate it for others?"),
        redirect_to=lambda record: reverse("mytrainings:evaluate", kwargs={"pk": record.pk}),
        template="trainings/trainingrecord_form.html",
    )


@login_required
def record_detail(request, pk):
    record = _visible_record(request, pk)
    evaluation = Evaluation.objects.filter(record=record).first()
    return render(
        request,
        "trainings/trainingrecord_detail.html",
        {
            "record": record,
            "evaluation": evaluation,
            "is_owner": record.person_id == request.user.pk,
        },
    )


@never_cache
@login_required
def certificate(request, pk):
    record = _visible_record(request, pk)
    if not record.certificate:
        raise Http404
    return serve_private_file(
        record.certificate,
        filename=record.certificate_download_name(),
        content_type=record.certificate_type,
    )


@login_required
def evaluate(request, pk):
    record = _own_record(request, pk)
    return run_form(
        request,
        EvaluationForm(request.POST or None, instance=getattr(record, "evaluation", None)),
        lambda form: services.evaluate_training(record=record, actor=request.user, **fields(form)),
        success_message=_("Thank you for rating this training."),
        redirect_to="mytrainings:list",
        template="trainings/evaluation_form.html",
        context={"record": record},
    )


def _button(find, name, service, message, redirect_to):
    """The view of a button on one of her records or goals: `find` fetches it (404 or 403 for
    anyone else), `service` changes it (as `name`), and she goes back to `redirect_to`."""

    @require_POST
    def view(request, pk):
        found = find(request, pk)
        return run_action(
            request,
            lambda: service(**{name: found}, actor=request.user),
            success_message=message,
            redirect_to=redirect_to,
        )

    return view


record_delete = login_required(
    _button(
        _own_record,
        "record",
        services.delete_training_record,
        gettext_lazy("The training record and its certificate are deleted."),
        "mytrainings:list",
    )
)


# Growth goals: consultants only.


@consultant_required
def goal_list(request):
    goals = GrowthGoal.objects.owned_by(request.user)
    page = page_of(request, goals)
    return render(
        request,
        "trainings/growthgoal_list.html",
        {
            "page_obj": page,
            "recommendations": services.recommend_for_person(request.user, limit=6),
        },
    )


def _own_goal(request, pk):
    return get_object_or_404(GrowthGoal.objects.owned_by(request.user), pk=pk)


def _goal_form(request, goal=None):
    return run_form(
        request,
        GrowthGoalForm(request.POST or None, instance=goal),
        lambda form: services.save_growth_goal(actor=request.user, goal=goal, **fields(form)),
        success_message=_("Your growth goal is saved."),
        redirect_to="mytrainings:goal-list",
        template="trainings/growthgoal_form.html",
        context={"goal": goal},
    )


@consultant_required
def goal_create(request):
    return _goal_form(request)


@consultant_required
def goal_edit(request, pk):
    return _goal_form(request, _own_goal(request, pk))


goal_achieved = consultant_required(
    _button(
        _own_goal,
        "goal",
        services.mark_goal_achieved,
        gettext_lazy("Well done. The goal is marked as reached."),
        "mytrainings:goal-list",
    )
)
goal_delete = consultant_required(
    _button(
        _own_goal,
        "goal",
        services.delete_growth_goal,
        gettext_lazy("The growth goal is deleted."),
        "mytrainings:goal-list",
    )
)
