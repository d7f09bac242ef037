"""The public catalog, suggestions and on-site session requests. Views stay thin: input is
parsed by forms, objects come through access-checked querysets, changes go through services."""

from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from toolkit_portal.access import approved_coordinator_required, suggester_required
from toolkit_portal.view_helpers import fields, page_of, run_form

from . import services
from .filters import TrainingFilter
from .forms import CatalogSearchForm, SuggestTrainingForm, TrainingRequestForm
from .models import Evaluation, Training, TrainingRequest


def _without(query, name, value=None):
    """The querystring with one filter value (or the whole parameter) and the page removed."""
    query = query.copy()
    query.pop("page", None)
    if value is None:
        query.pop(name, None)
    else:
        query.setlist(name, [v for v in query.getlist(name) if v != value])
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else "?"


def _chips(request, filterset, q):
    """The active search and filters, each with the address that removes it."""
    chips = []
    if q:
        chips.append({"label": _("Search: “%(q)s”") % {"q": q}, "url": _without(request.GET, "q")})
    cleaned = getattr(filterset.form, "cleaned_data", {})
    for name, field in filterset.form.fields.items():
        value = cleaned.get(name)
        if not value:
            continue
        if isinstance(value, list):
            names = dict(field.choices)
            for item in value:
                chips.append(
                    {
                        "label": f"{field.label}: {names.get(item, item)}",
                        "url": _without(request.GET, name, item),
                    }
                )
        else:
            chips.append({"label": str(field.label), "url": _without(request.GET, name)})
    return chips


def training_list(request):
    search = CatalogSearchForm(request.GET)
    q, sort = search.search_terms()
    filterset = TrainingFilter(
        request.GET, queryset=Training.objects.published().select_related("provider").with_ratings()
    )
    trainings = services.search_trainings(filterset.qs, q, sort)
    page = page_of(request, trainings)
    chips = _chips(request, filterset, q)
    return render(
        request,
        "trainings/training_list.html",
        {
            "search_form": search,
            "filter": filterset,
            "page_obj": page,
            "chips": chips,
            "q": q,
            "filters_ignored": bool(filterset.form.errors) or bool(search.errors),
        },
    )


def training_detail(request, slug):
    training = get_object_or_404(
        Training.objects.visible_to(request.user).select_related("provider").with_ratings(),
        slug=slug,
    )
    comments = (
        Evaluation.objects.filter(record__training=training, comment_hidden=False)
        .exclude(comment="")
        .only("rating", "comment", "created_at")
        .order_by("-created_at")[:20]
    )
    user = request.user
    can_request = training.can_be_requested() and (
        user.is_authenticated and (user.is_approved_coordinator or user.is_portal_admin)
    )
    return render(
        request,
        "trainings/training_detail.html",
        {"training": training, "comments": comments, "can_request": can_request},
    )


@suggester_required
def training_suggest(request):
    return run_form(
        request,
        SuggestTrainingForm(request.POST or None),
        lambda form: services.suggest_training(
            actor=request.user,
            provider_name=form.cleaned_data["provider_name"],
            provider_website=form.cleaned_data["provider_website"],
            **form.training_fields(),
        ),
        success_message=_(
            "Thank you. An administrator will review your suggestion; you will get an "
            "email once it is published."
        ),
        redirect_to=lambda training: training,
        template="trainings/training_suggest.html",
    )


@approved_coordinator_required
def request_create(request, slug):
    training = get_object_or_404(
        Training.objects.published().filter(on_site=True).select_related("provider"), slug=slug
    )
    return run_form(
        request,
        TrainingRequestForm(request.POST or None, user=request.user),
        lambda form: services.request_training_session(
            actor=request.user, training=training, **fields(form)
        ),
        success_message=_(
            "Your request was sent. The portal's administrators will contact the provider."
        ),
        redirect_to=lambda training_request: training_request,
        template="trainings/trainingrequest_form.html",
        context={"training": training},
    )


@approved_coordinator_required
def request_list(request):
    requests = (
        TrainingRequest.objects.visible_to(request.user)
        .select_related("training", "partnership")
        .order_by("-created_at")
    )
    page = page_of(request, requests)
    return render(request, "trainings/trainingrequest_list.html", {"page_obj": page})


@approved_coordinator_required
def request_detail(request, pk):
    training_request = get_object_or_404(
        TrainingRequest.objects.visible_to(request.user).select_related(
            "training__provider", "partnership"
        ),
        pk=pk,
    )
    return render(
        request, "trainings/trainingrequest_detail.html", {"training_request": training_request}
    )
