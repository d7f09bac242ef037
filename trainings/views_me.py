"""A person's own training records, certificates, evaluations and growth goals (/me/…).

Records are reached through TrainingRecord.objects.visible_to(user): the owner and admins
see them, anyone else gets 404. Only the owner changes them (an admin gets 403).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from toolkit_portal.access import consultant_required
from toolkit_portal.storage import serve_private_file
from toolkit_portal.view_helpers import TRAINING_PAGE_SIZE, page_of

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
        TRAINING_PAGE_SIZE,
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
    form = TrainingRecordForm(
        request.POST or None, request.FILES or None, user=request.user, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            record = services.record_training(actor=request.user, **form.cleaned_data)
        except services.TrainingError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, _("Your training is recorded. Would you like to rate it for others?")
            )
            return redirect("mytrainings:evaluate", pk=record.pk)
    return render(request, "trainings/trainingrecord_form.html", {"form": form})


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
    evaluation = Evaluation.objects.filter(record=record).first()
    form = EvaluationForm(request.POST or None, instance=evaluation)
    if request.method == "POST" and form.is_valid():
        try:
            services.evaluate_training(
                record=record,
                actor=request.user,
                rating=form.cleaned_data["rating"],
                comment=form.cleaned_data["comment"],
            )
        except services.TrainingError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Thank you for rating this training."))
            return redirect("mytrainings:list")
    return render(request, "trainings/evaluation_form.html", {"form": form, "record": record})


@login_required
@require_POST
def record_delete(request, pk):
    record = _own_record(request, pk)
    services.delete_training_record(record=record, actor=request.user)
    messages.success(request, _("The training record and its certificate are deleted."))
    return redirect("mytrainings:list")


# Growth goals: consultants only.


@consultant_required
def goal_list(request):
    goals = GrowthGoal.objects.owned_by(request.user)
    page = page_of(request, goals, TRAINING_PAGE_SIZE)
    return render(
        request,
        "trainings/growthgoal_list.html",
        {
            "page_obj": page,
            "recommendations": services.recommend_for_person(request.user, limit=6),
        },
    )


def _goal_form(request, goal=None):
    form = GrowthGoalForm(request.POST or None, instance=goal)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_growth_goal(actor=request.user, goal=goal, **form.cleaned_data)
        except services.TrainingError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Your growth goal is saved."))
            return redirect("mytrainings:goal-list")
    return render(request, "trainings/growthgoal_form.html", {"form": form, "goal": goal})


@consultant_required
def goal_create(request):
    return _goal_form(request)


@consultant_required
def goal_edit(request, pk):
    return _goal_form(request, get_object_or_404(GrowthGoal.objects.owned_by(request.user), pk=pk))


@consultant_required
@require_POST
def goal_achieved(request, pk):
    goal = get_object_or_404(GrowthGoal.objects.owned_by(request.user), pk=pk)
    try:
        services.mark_goal_achieved(goal=goal, actor=request.user)
    except services.TrainingError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Well done. The goal is marked as reached."))
    return redirect("mytrainings:goal-list")


@consultant_required
@require_POST
def goal_delete(request, pk):
    goal = get_object_or_404(GrowthGoal.objects.owned_by(request.user), pk=pk)
    services.delete_growth_goal(goal=goal, actor=request.user)
    messages.success(request, _("The growth goal is deleted."))
    return redirect("mytrainings:goal-list")
