"""A survivor consultant's own pages: profile, private details, requests, compensation, data.

Each view parses its input, reaches objects only through querysets limited to the signed-in
consultant (anyone else's record is a 404), calls one service, and shows the service's
error on the form. State changes are POST only.
"""

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
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from toolkit_portal.access import consultant_required
from toolkit_portal.downloads import as_download
from toolkit_portal.view_helpers import PROFILE_VIEWS_PAGE_SIZE, SURVIVOR_PAGE_SIZE, page_of

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


# Profile and private details ----------------------------------------------------------------------


@consultant_required
@require_http_methods(["GET", "HEAD", "POST"])
def my_profile(request):
    profile = services.profile_of(request.user)
    if request.method == "POST":
        form = ProfileForm(request.POST, instance=profile, user=request.user)
        if profile is None:
            form.instance.user = request.user
        if form.is_valid():
            try:
                with transaction.atomic():
                    saved = form.save()
            except IntegrityError:
                # Two first saves at the same moment (a double click, two tabs).
                form.add_error(
                    None,
                    _(
                        "Your profile changed in another window at the same time. Reload the "
                        "page to see it, then save again."
                    ),
                )
            else:
                if saved.is_listed:
                    messages.success(
                        request,
                        _("Your profile is saved. Approved coordinators can now find you."),
                    )
                else:
                    messages.success(
                        request,
                        _("Your profile is saved. It stays hidden until you choose to list it."),
                    )
                return redirect("survivors:my-profile")
    else:
        form = ProfileForm(instance=profile, user=request.user)

    views_page = None
    if profile is not None:
        views_page = page_of(
            request,
            profile.views_received.select_related("viewer").order_by("-viewed_at", "-pk"),
            PROFILE_VIEWS_PAGE_SIZE,
        )
    return render(
        request,
        "survivors/me/profile_form.html",
        {"form": form, "profile": profile, "page_obj": views_page},
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
        if form.is_valid():
            try:
                services.save_private_details(
                    profile=profile, actor=request.user, **form.cleaned_data
                )
            except EngagementError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Your private details are saved."))
                return redirect("survivors:my-private-details")
    else:
        details = services.read_private_details(profile=profile, actor=request.user)
        form = PrivateDetailsForm(instance=details)
    return render(request, "survivors/me/private_details_form.html", {"form": form})


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
    page = page_of(request, rows, SURVIVOR_PAGE_SIZE)
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


def _render_request(request, req, *, error=None, **forms):
    engagement = req.engagement
    now = timezone.now()
    compensation = getattr(req, "compensation", None) if req.status == Status.COMPLETED else None
    feedback = getattr(req, "feedback", None) if req.status == Status.COMPLETED else None
    context = {
        "error": error,
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
        "consent_form": forms.get("consent_form")
        or ConsentForm(initial=ConsentForm.initial_for(req)),
        "decline_form": forms.get("decline_form") or DeclineForm(),
        "withdraw_form": forms.get("withdraw_form") or WithdrawForm(),
        "feedback_form": forms.get("feedback_form") or FeedbackForm(),
        "expenses": list(req.expenses.all()),
        "takes_expenses": req.takes_expenses(),
        "expense_form": forms.get("expense_form") or ExpenseForm(),
    }
    return render(request, "survivors/me/request_detail.html", context)


@consultant_required
@require_safe
def my_request_detail(request, pk):
    return _render_request(request, _get_my_request(request, pk))


@consultant_required
@require_POST
def my_request_accept(request, pk):
    req = _get_my_request(request, pk)
    form = ConsentForm(request.POST)
    if form.is_valid():
        try:
            services.accept_request(request=req, actor=request.user, consent=form.cleaned_data)
        except EngagementError as error:
            return _render_request(request, req, error=str(error), consent_form=form)
        else:
            messages.success(
                request,
                _("You accepted. The coordinators are told, and they see the consent you gave."),
            )
            return redirect(req)
    return _render_request(request, req, consent_form=form)


@consultant_required
@require_POST
def my_request_decline(request, pk):
    req = _get_my_request(request, pk)
    form = DeclineForm(request.POST)
    if form.is_valid():
        try:
            services.decline_request(
                request=req, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except EngagementError as error:
            return _render_request(request, req, error=str(error), decline_form=form)
        else:
            messages.success(request, _("You declined this request. Thank you for answering."))
            return redirect(req)
    return _render_request(request, req, decline_form=form)


@consultant_required
@require_POST
def my_request_withdraw(request, pk):
    req = _get_my_request(request, pk)
    form = WithdrawForm(request.POST)
    if form.is_valid():
        try:
            services.withdraw_request(
                request=req, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except EngagementError as error:
            return _render_request(request, req, error=str(error), withdraw_form=form)
        else:
            messages.success(
                request, _("You withdrew from this engagement. The coordinators are told.")
            )
            return redirect(req)
    return _render_request(request, req, withdraw_form=form)


@consultant_required
@require_POST
def my_request_confirm(request, pk):
    """She agrees to the changed terms, giving her consent again."""
    req = _get_my_request(request, pk)
    form = ConsentForm(request.POST)
    if form.is_valid():
        try:
            services.confirm_changed_terms(
                request=req, actor=request.user, consent=form.cleaned_data
            )
        except EngagementError as error:
            return _render_request(request, req, error=str(error), consent_form=form)
        else:
            messages.success(
                request,
                _("You confirmed the new terms. The coordinators see the consent you gave."),
            )
            return redirect(req)
    return _render_request(request, req, consent_form=form)


@consultant_required
@require_POST
def my_request_leave(request, pk):
    """She does not agree to the changed terms: she leaves, no reason asked."""
    req = _get_my_request(request, pk)
    try:
        services.leave_changed_engagement(request=req, actor=request.user)
    except EngagementError as error:
        return _render_request(request, req, error=str(error))
    messages.success(
        request,
        _("You left this engagement. Nothing counts against you, and the coordinators are told."),
    )
    return redirect(req)


@consultant_required
@require_POST
def my_request_consent(request, pk):
    req = _get_my_request(request, pk)
    form = ConsentForm(request.POST)
    if form.is_valid():
        try:
            services.update_consent(request=req, actor=request.user, consent=form.cleaned_data)
        except EngagementError as error:
            return _render_request(request, req, error=str(error), consent_form=form)
        else:
            messages.success(
                request, _("Your consent is updated. The coordinators see the change.")
            )
            return redirect(req)
    return _render_request(request, req, consent_form=form)


@consultant_required
@require_POST
def my_request_revoke_consent(request, pk):
    req = _get_my_request(request, pk)
    try:
        services.revoke_consent(request=req, actor=request.user)
    except EngagementError as error:
        return _render_request(request, req, error=str(error))
    else:
        messages.success(
            request,
            _(
                "Your consent is revoked: no story sharing, recording or media. You are still "
                "on this engagement; withdraw if you want to leave it."
            ),
        )
    return redirect(req)


@consultant_required
@require_POST
def my_request_feedback(request, pk):
    req = _get_my_request(request, pk)
    form = FeedbackForm(request.POST)
    if form.is_valid():
        try:
            services.leave_feedback(request=req, actor=request.user, **form.service_fields())
        except EngagementError as error:
            return _render_request(request, req, error=str(error), feedback_form=form)
        else:
            messages.success(request, _("Thank you. Your feedback is sent to the partnership."))
            return redirect(req)
    return _render_request(request, req, feedback_form=form)


# Expenses -----------------------------------------------------------------------------------------


@consultant_required
@require_POST
def my_expense_add(request, pk):
    req = _get_my_request(request, pk)
    form = ExpenseForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.add_expense(request=req, actor=request.user, **form.service_fields())
        except EngagementError as error:
            return _render_request(request, req, error=str(error), expense_form=form)
        messages.success(
            request,
            _(
                "Your expense is added. The coordinators decide on it; until they approve it "
                "you can change or remove it."
            ),
        )
        return redirect(f"{req.get_absolute_url()}#expenses")
    return _render_request(request, req, expense_form=form)


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
    if request.method == "POST" and form.is_valid():
        try:
            services.change_expense(expense=line, actor=request.user, **form.service_fields())
        except EngagementError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, _("Your expense is changed. It waits for the coordinators' decision.")
            )
            return redirect(f"{line.request.get_absolute_url()}#expenses")
    return render(
        request,
        "survivors/me/expense_form.html",
        {
            "form": form,
            "line": line,
            "req": line.request,
            "can_change": line.is_open_to_her(),
        },
    )


@consultant_required
@require_POST
def my_expense_remove(request, pk):
    line = _get_my_expense(request, pk)
    try:
        services.remove_expense(expense=line, actor=request.user)
    except EngagementError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Your expense is removed."))
    return redirect(f"{line.request.get_absolute_url()}#expenses")


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
    page = page_of(request, rows, SURVIVOR_PAGE_SIZE)
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


def _render_compensation(request, compensation, *, error=None, method_form=None, missing_form=None):
    methods = _offered_methods(compensation.partnership)
    lines = list(compensation.request.expenses.all())
    context = {
        "error": error,
        "compensation": compensation,
        "engagement": compensation.request.engagement,
        # Approved lines make up the amount; the others are listed apart, not paid (yet).
        "expenses": [line for line in lines if line.is_approved()],
        "other_lines": [line for line in lines if not line.is_approved()],
        "is_overdue": compensation.is_overdue(),
        "method_form": method_form
        or PaymentMethodForm(
            methods=methods, initial={"method": compensation.payment_method or None}
        ),
        "missing_form": missing_form or NotReceivedForm(),
    }
    return render(request, "survivors/me/compensation_detail.html", context)


@consultant_required
@require_safe
def my_compensation_detail(request, pk):
    return _render_compensation(request, _get_my_compensation(request, pk))


@consultant_required
@require_POST
def my_compensation_method(request, pk):
    compensation = _get_my_compensation(request, pk)
    form = PaymentMethodForm(request.POST, methods=_offered_methods(compensation.partnership))
    if form.is_valid():
        try:
            services.choose_payment_method(
                compensation=compensation, actor=request.user, method=form.cleaned_data["method"]
            )
        except EngagementError as error:
            return _render_compensation(request, compensation, error=str(error), method_form=form)
        else:
            messages.success(request, _("Your choice is saved. The coordinators see it."))
            return redirect(compensation)
    return _render_compensation(request, compensation, method_form=form)


@consultant_required
@require_POST
def my_compensation_not_received(request, pk):
    compensation = _get_my_compensation(request, pk)
    form = NotReceivedForm(request.POST)
    if form.is_valid():
        try:
            services.report_not_received(
                compensation=compensation, actor=request.user, note=form.cleaned_data["note"]
            )
        except EngagementError as error:
            return _render_compensation(request, compensation, error=str(error), missing_form=form)
        else:
            messages.success(
                request,
                _("The payment is reopened and the coordinators can read your note."),
            )
            return redirect(compensation)
    return _render_compensation(request, compensation, missing_form=form)


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
    if request.method == "POST":
        form = DeleteAccountForm(request.POST)
        if form.is_valid():
            try:
                services.erase_consultant(user=request.user, actor=request.user)
            except EngagementError as error:
                form.add_error(None, str(error))
            else:
                logout(request)
                messages.success(
                    request,
                    _("Your profile and personal details are erased, and you are signed out."),
                )
                return redirect("home")
    else:
        form = DeleteAccountForm()
    context = {"form": form, "profile": profile}
    if profile is not None:
        records = Compensation.objects.owed_to(profile)
        context.update(
            request_count=ParticipationRequest.objects.filter(consultant=profile).count(),
            compensation_count=records.count(),
            unpaid=records.unpaid().aggregate(total=Sum("amount", default=ZERO), count=Count("pk")),
        )
    return render(request, "survivors/me/delete_confirm.html", context)
