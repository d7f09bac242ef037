"""A survivor consultant's own pages: profile, private details, requests, compensation, data.

Each view parses its input, reaches objects only through querysets limited to the signed-in
consultant (anyone else's record is a 404), calls one service, and shows the service's
error on the form. State changes are POST only.
"""

from collections.abc import Callable
from typing import NamedTuple

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.db import IntegrityError, transaction
from django.db.models import Case, Count, F, IntegerField, Q, Sum, Value, When
from django.db.models.functions import ExtractYear
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from toolkit_portal.access import consultant_required
from toolkit_portal.downloads import as_download
from toolkit_portal.view_helpers import (
    fields,
    page_of,
    run_action,
    run_form,
)

from . import services
from .forms_me import (
    ConsentForm,
    DeclineForm,
    DeleteAccountForm,
    ExpenseForm,
    FeedbackForm,
    NotReceivedForm,
    PaymentMethodForm,
    PrivateDetailsForm,
    ProfileForm,
    WithdrawForm,
)
from .models import (
    ZERO,
    Compensation,
    CompensationPolicy,
    Expense,
    ParticipationRequest,
    PaymentMethod,
)
from .services import EngagementError

Status = ParticipationRequest.Status


# Access: only the signed-in consultant's own records ----------------------------------------------


def requests_of(user):
    return ParticipationRequest.objects.filter(consultant__user=user)


def compensations_of(user):
    return Compensation.objects.filter(consultant__user=user)


def _get_my_request(request, pk):
    return get_object_or_404(
        requests_of(request.user).select_related(
            "engagement__partnership", "consultant", "compensation", "feedback"
        ),
        pk=pk,
    )


def _get_my_expense(request, pk):
    return get_object_or_404(
        Expense.objects.of_consultant(request.user).select_related(
            "request__engagement__partnership", "request__compensation"
        ),
        pk=pk,
    )


def _get_my_compensation(request, pk):
    return get_object_or_404(
        compensations_of(request.user).select_related("request__engagement", "partnership"),
        pk=pk,
    )


def _offered_methods(partnership):
    policy = CompensationPolicy.objects.filter(partnership=partnership).first()
    return policy.offered_methods() if policy else list(PaymentMethod.values)


# Her request's and her payment's pages: several forms, each posted to its own address ------------


class _Page(NamedTuple):
    """A page of hers that holds several forms, each posted to its own address."""

    get: Callable  # (request, pk) -> her record, or 404
    context: Callable  # record -> what the page shows, with a blank form of each kind
    template: str
    name: str  # the record's keyword in the services

    def draw(self, request, record, *, error=None, **posted_forms):
        context = {**self.context(record), "error": error, **posted_forms}
        return render(request, self.template, context)


def _detail_view(page):
    @consultant_required
    @require_safe
    def view(request, pk):
        return page.draw(request, page.get(request, pk))

    return view


class _ButtonOnly(forms.Form):
    """An answer given by its button alone: nothing to fill in."""

    def service_fields(self):
        return {}


def _form_view(
    page, service, message, form_name=None, form_class=_ButtonOnly, *, anchor="", form_kwargs=None
):
    """The view of one form on `page`: it sends the form's fields to `service`, tells her
    `message` and goes back to the page (at `anchor`); after a refusal, or when the form did
    not validate, it draws the page again with this form in place of its blank one."""

    @consultant_required
    @require_POST
    def view(request, pk):
        record = page.get(request, pk)
        extra = form_kwargs(record) if form_kwargs else {}
        return run_form(
            request,
            form_class(request.POST, request.FILES, **extra),
            lambda form: service(
                **{page.name: record}, actor=request.user, **form.service_fields()
            ),
            success_message=message,
            redirect_to=f"{record.get_absolute_url()}{anchor}",
            page=lambda form, error: page.draw(
                request, record, error=error, **({form_name: form} if form_name else {})
            ),
        )

    return view


# Profile and private details ----------------------------------------------------------------------


def _save_profile(form):
    try:
        with transaction.atomic():
            return form.save()
    except IntegrityError:
        # Two first saves at the same moment (a double click, two tabs).
        raise EngagementError(
            _(
                "Your profile changed in another window at the same time. Reload the "
                "page to see it, then save again."
            )
        ) from None


def _profile_saved(profile):
    if profile.is_listed:
        return _("Your profile is saved. Approved coordinators can now find you.")
    return _("Your profile is saved. It stays hidden until you choose to list it.")


@consultant_required
@require_http_methods(["GET", "HEAD", "POST"])
def my_profile(request):
    profile = services.profile_of(request.user)
    form = ProfileForm(
        request.POST if request.method == "POST" else None, instance=profile, user=request.user
    )
    if profile is None:
        form.instance.user = request.user
    views_page = None
    if profile is not None:
        views_page = page_of(
            request, profile.views_received.select_related("viewer").order_by("-viewed_at", "-pk")
        )
    return run_form(
        request,
        form,
        _save_profile,
        success_message=_profile_saved,
        redirect_to="survivors:my-profile",
        template="survivors/me/profile_form.html",
        context={"profile": profile, "page_obj": views_page},
    )


@consultant_required
@require_http_methods(["GET", "HEAD", "POST"])
def my_private_details(request):
    profile = services.profile_of(request.user)
    if profile is None:
        messages.info(request, _("Create your profile first; then you can add private details."))
        return redirect("survivors:my-profile")
    if request.method == "POST":
        form = PrivateDetailsForm(request.POST)
    else:
        details = services.read_private_details(profile=profile, actor=request.user)
        form = PrivateDetailsForm(instance=details)
    return run_form(
        request,
        form,
        lambda form: services.save_private_details(
            profile=profile, actor=request.user, **fields(form)
        ),
        success_message=_("Your private details are saved."),
        redirect_to="survivors:my-private-details",
        template="survivors/me/private_details_form.html",
    )


# Participation requests ---------------------------------------------------------------------------


@consultant_required
@require_safe
def my_requests(request):
    rows = (
        requests_of(request.user)
        .select_related("engagement__partnership")
        .annotate(
            # Changed terms first (she agreed to something else), then requests to answer.
            waiting=Case(
                When(status=Status.CHANGED, then=Value(0)),
                When(status=Status.PENDING, then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            )
        )
        .order_by(
            "waiting",
            F("engagement__response_deadline").asc(),
            "-engagement__starts_at",
            "pk",
        )
    )
    page = page_of(request, rows)
    changed = list(
        requests_of(request.user)
        .filter(status=Status.CHANGED)
        .select_related("engagement__partnership__compensation_policy")
        .prefetch_related("engagement__partnership__compensation_policy__rates")
        .order_by("terms_changed_at", "pk")
    )
    return render(
        request,
        "survivors/me/request_list.html",
        {
            "page_obj": page,
            "changed": changed,
            "has_profile": services.profile_of(request.user) is not None,
        },
    )


def _request_context(req):
    engagement = req.engagement
    now = timezone.now()
    compensation = getattr(req, "compensation", None) if req.status == Status.COMPLETED else None
    feedback = getattr(req, "feedback", None) if req.status == Status.COMPLETED else None
    return {
        "req": req,
        "engagement": engagement,
        "offered_amount": engagement.offered_amount_for(),
        "promised_pay_date": engagement.promised_pay_date(),
        "due_days": settings.COMPENSATION_DUE_DAYS,
        "can_answer": req.is_open()
        and engagement.is_open()
        and not engagement.deadline_passed(now),
        "can_change_consent": req.can_change_consent(now),
        "awaits_confirmation": req.awaits_confirmation() and engagement.is_open(),
        "can_withdraw": req.status == Status.ACCEPTED and not engagement.has_started(now),
        "can_leave_feedback": req.status == Status.COMPLETED and feedback is None,
        "compensation": compensation,
        "feedback": feedback,
        "consent_form": ConsentForm(initial=ConsentForm.initial_for(req)),
        "decline_form": DeclineForm(),
        "withdraw_form": WithdrawForm(),
        "feedback_form": FeedbackForm(),
        "expenses": list(req.expenses.all()),
        "takes_expenses": req.takes_expenses(),
        "expense_form": ExpenseForm(),
    }


REQUEST_PAGE = _Page(
    _get_my_request, _request_context, "survivors/me/request_detail.html", "request"
)
my_request_detail = _detail_view(REQUEST_PAGE)
my_request_accept = _form_view(
    REQUEST_PAGE,
    services.accept_request,
    gettext_lazy("You accepted. The coordinators are told, and they see the consent you gave."),
    "consent_form",
    ConsentForm,
)
my_request_decline = _form_view(
    REQUEST_PAGE,
    services.decline_request,
    gettext_lazy("You declined this request. Thank you for answering."),
    "decline_form",
    DeclineForm,
)
my_request_withdraw = _form_view(
    REQUEST_PAGE,
    services.withdraw_request,
    gettext_lazy("You withdrew from this engagement. The coordinators are told."),
    "withdraw_form",
    WithdrawForm,
)
# She agrees to the changed terms, giving her consent again.
my_request_confirm = _form_view(
    REQUEST_PAGE,
    services.confirm_changed_terms,
    gettext_lazy("You confirmed the new terms. The coordinators see the consent you gave."),
    "consent_form",
    ConsentForm,
)
# She does not agree to the changed terms: she leaves, no reason asked.
my_request_leave = _form_view(
    REQUEST_PAGE,
    services.leave_changed_engagement,
    gettext_lazy(
        "You left this engagement. Nothing counts against you, and the coordinators are told."
    ),
)
my_request_consent = _form_view(
    REQUEST_PAGE,
    services.update_consent,
    gettext_lazy("Your consent is updated. The coordinators see the change."),
    "consent_form",
    ConsentForm,
)
my_request_revoke_consent = _form_view(
    REQUEST_PAGE,
    services.revoke_consent,
    gettext_lazy(
        "Your consent is revoked: no story sharing, recording or media. You are still "
        "on this engagement; withdraw if you want to leave it."
    ),
)
my_request_feedback = _form_view(
    REQUEST_PAGE,
    services.leave_feedback,
    gettext_lazy("Thank you. Your feedback is sent to the partnership."),
    "feedback_form",
    FeedbackForm,
)


# Expenses -----------------------------------------------------------------------------------------


my_expense_add = _form_view(
    REQUEST_PAGE,
    services.add_expense,
    gettext_lazy(
        "Your expense is added. The coordinators decide on it; until they approve it "
        "you can change or remove it."
    ),
    "expense_form",
    ExpenseForm,
    anchor="#expenses",
)


@consultant_required
@require_http_methods(["GET", "HEAD", "POST"])
def my_expense_edit(request, pk):
    line = _get_my_expense(request, pk)
    form = ExpenseForm(
        request.POST or None,
        request.FILES or None,
        line=line,
        initial={"kind": line.kind, "amount": line.amount, "note": line.note},
    )
    return run_form(
        request,
        form,
        lambda form: services.change_expense(
            expense=line, actor=request.user, **form.service_fields()
        ),
        success_message=_("Your expense is changed. It waits for the coordinators' decision."),
        redirect_to=f"{line.request.get_absolute_url()}#expenses",
        template="survivors/me/expense_form.html",
        context={"line": line, "req": line.request, "can_change": line.is_open_to_her()},
    )


@consultant_required
@require_POST
def my_expense_remove(request, pk):
    line = _get_my_expense(request, pk)
    return run_action(
        request,
        lambda: services.remove_expense(expense=line, actor=request.user),
        success_message=_("Your expense is removed."),
        redirect_to=f"{line.request.get_absolute_url()}#expenses",
    )


# Compensation -------------------------------------------------------------------------------------


@consultant_required
@require_safe
def my_compensation(request):
    profile = services.profile_of(request.user)
    today = timezone.localdate()
    year = today.year
    if profile is None:
        records = Compensation.objects.none()
        summary = {"owed_total": ZERO, "owed_count": 0, "overdue_total": ZERO, "overdue_count": 0}
        paid_this_year = ZERO
        by_year = []
    else:
        records = Compensation.objects.owed_to(profile)
        unpaid = ~Q(status=Compensation.Status.PAID)
        overdue = unpaid & Q(due_on__lt=today)
        summary = records.aggregate(
            owed_total=Sum("amount", filter=unpaid, default=ZERO),
            owed_count=Count("pk", filter=unpaid),
            overdue_total=Sum("amount", filter=overdue, default=ZERO),
            overdue_count=Count("pk", filter=overdue),
        )
        paid_this_year = services.paid_total_in_year(profile, year)
        by_year = list(
            records.filter(status=Compensation.Status.PAID)
            .annotate(year=ExtractYear("paid_on"))
            .values("year")
            .annotate(total=Sum("amount"), count=Count("pk"))
            .order_by("-year")
        )
    rows = (
        records.select_related("request__engagement", "partnership")
        # Her expense lines, listed with each payment: one query for the page, however many.
        .prefetch_related("request__expenses")
        .annotate(
            paid_last=Case(
                When(status=Compensation.Status.PAID, then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            ),
            paid_sort=Case(When(status=Compensation.Status.PAID, then=F("paid_on"))),
        )
        .order_by("paid_last", F("paid_sort").desc(nulls_last=True), "due_on", "pk")
    )
    page = page_of(request, rows)
    threshold = settings.TAX_FORM_THRESHOLD_USD
    return render(
        request,
        "survivors/me/compensation_list.html",
        {
            "has_profile": profile is not None,
            "page_obj": page,
            "today": today,
            "year": year,
            "summary": summary,
            "paid_this_year": paid_this_year,
            "threshold": threshold,
            "at_threshold": paid_this_year >= threshold,
            "by_year": by_year,
        },
    )


def _compensation_context(compensation):
    methods = _offered_methods(compensation.partnership)
    lines = list(compensation.request.expenses.all())
    return {
        "compensation": compensation,
        "engagement": compensation.request.engagement,
        # Approved lines make up the amount; the others are listed apart, not paid (yet).
        "expenses": [line for line in lines if line.is_approved()],
        "other_lines": [line for line in lines if not line.is_approved()],
        "is_overdue": compensation.is_overdue(),
        "method_form": PaymentMethodForm(
            methods=methods, initial={"method": compensation.payment_method or None}
        ),
        "missing_form": NotReceivedForm(),
    }


PAYMENT_PAGE = _Page(
    _get_my_compensation,
    _compensation_context,
    "survivors/me/compensation_detail.html",
    "compensation",
)
my_compensation_detail = _detail_view(PAYMENT_PAGE)
my_compensation_method = _form_view(
    PAYMENT_PAGE,
    services.choose_payment_method,
    gettext_lazy("Your choice is saved. The coordinators see it."),
    "method_form",
    PaymentMethodForm,
    form_kwargs=lambda compensation: {"methods": _offered_methods(compensation.partnership)},
)
my_compensation_not_received = _form_view(
    PAYMENT_PAGE,
    services.report_not_received,
    gettext_lazy("The payment is reopened and the coordinators can read your note."),
    "missing_form",
    NotReceivedForm,
)


# Data rights --------------------------------------------------------------------------------------


@consultant_required
@require_safe
def my_export(request):
    user = request.user
    profile = services.profile_of(user)
    if profile is not None:
        data = services.export_consultant_data(profile)
    else:
        data = {
            "account": {"email": user.email, "joined": user.date_joined.isoformat()},
            "profile": None,
        }
    response = JsonResponse(data, json_dumps_params={"indent": 2, "ensure_ascii": False})
    return as_download(response, f"partnership-portal-my-data-{timezone.localdate():%Y-%m-%d}.json")


@consultant_required
@require_http_methods(["GET", "HEAD", "POST"])
def my_delete(request):
    profile = services.profile_of(request.user)

    def erase(form):
        services.erase_consultant(user=request.user, actor=request.user)
        logout(request)

    context = {"profile": profile}
    if profile is not None:
        records = Compensation.objects.owed_to(profile)
        context.update(
            request_count=ParticipationRequest.objects.filter(consultant=profile).count(),
            compensation_count=records.count(),
            unpaid=records.unpaid().aggregate(total=Sum("amount", default=ZERO), count=Count("pk")),
        )
    return run_form(
        request,
        DeleteAccountForm(request.POST if request.method == "POST" else None),
        erase,
        success_message=_("Your profile and personal details are erased, and you are signed out."),
        redirect_to="home",
        template="survivors/me/delete_confirm.html",
        context=context,
    )
