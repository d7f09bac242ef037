"""The coordinator's engagements: their participation requests, her expense lines and the
partnership's feedback.

Every object comes through a queryset limited to the partnerships the user coordinates, so
an id from elsewhere gives 404. State changes are POST only and go through services.py.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, F, OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from partnerships.models import Partnership
from toolkit_portal.access import (
    approved_coordinator_required,
    confirm_second_factor,
    passed_mfa,
)
from toolkit_portal.date_formats import date_formatter
from toolkit_portal.keyset import keyset_page
from toolkit_portal.plain_text import before_stop
from toolkit_portal.storage import serve_private_file
from toolkit_portal.view_helpers import (
    coordinated_or_404,
    fields,
    page_of,
    pk_url,
    run_action,
    run_form,
    uuid_or_none,
)

from . import services
from .forms import (
    CompletionForm,
    EngagementForm,
    ExpenseQueryForm,
    InviteForm,
    ReleaseForm,
    ThankYouForm,
)
from .models import (
    Compensation,
    ConsultantProfile,
    Engagement,
    EngagementKind,
    Expense,
    Feedback,
    ParticipationRequest,
    choice_label,
    shown_title,
)

# Anonymous feedback is shown only once at least this many entries exist.
ANONYMITY_THRESHOLD = 3
Status = ParticipationRequest.Status


# Engagements ------------------------------------------------------------------------------


@approved_coordinator_required
def engagement_list(request):
    status = request.GET.get("status", "open")
    engagements = Engagement.objects.managed_by(request.user).annotate(
        pending_count=_requests_counted([Status.PENDING]),
        accepted_count=_requests_counted([Status.ACCEPTED, Status.COMPLETED]),
    )
    if status in Engagement.Status.values:
        engagements = engagements.filter(status=status)
    # Only the columns the list shows, as plain rows: descriptions and notes stay in the
    # database, and a hundred model instances would cost more than the query.
    engagements = engagements.values(
        "pk",
        "title",
        "portal_text",
        "portal_text_subject",
        "kind",
        "status",
        "seats",
        "starts_at",
        "pending_count",
        "accepted_count",
        partnership_name=F("partnership__name"),
    )
    # Newest first, "the next 100" rather than page numbers (no count of every engagement).
    page = keyset_page(
        request,
        engagements,
        field="starts_at",
        descending=True,
        size=settings.LONG_LIST_PAGE_SIZE,
    )
    url = pk_url("survivors:engagement-detail")
    starts = date_formatter("SHORT_DATETIME_FORMAT")
    for row in page.object_list:
        row["detail_url"] = url(row["pk"])
        row["display_title"] = shown_title(
            row["title"], row["portal_text"], row["portal_text_subject"]
        )
        row["kind_label"] = choice_label(EngagementKind, row["kind"])
        row["status_label"] = choice_label(Engagement.Status, row["status"])
        row["starts"] = starts(row["starts_at"])
        row["seats_taken"] = f"{row['accepted_count']} / {row['seats']}"
    return render(
        request,
        "survivors/engagement_list.html",
        {
            "page_obj": page,
            "status": status,
            "statuses": Engagement.Status.choices,
            # Rows shown are engagements of a partnership she manages: no need to ask.
            "has_partnership": bool(page.object_list)
            or Partnership.objects.coordinated_by(request.user).exists(),
        },
    )


def _requests_counted(statuses):
    """An engagement's requests in these statuses, as a subquery: computed only for the rows
    of the page shown (a join and GROUP BY would count the requests of every engagement)."""
    counted = (
        ParticipationRequest.objects.filter(engagement=OuterRef("pk"), status__in=statuses)
        .order_by()
        .values("engagement")
        # COUNT(*), not COUNT(id): request_engagement_status_idx answers it alone.
        .annotate(n=Count("*"))
        .values("n")
    )
    return Coalesce(Subquery(counted), 0)


@approved_coordinator_required
def engagement_create(request):
    partnerships = Partnership.objects.coordinated_by(request.user)
    if not partnerships.exists():
        messages.info(request, _("You need to coordinate a partnership to create engagements."))
        return redirect("survivors:engagement-list")
    return run_form(
        request,
        EngagementForm(request.POST or None, partnerships=partnerships),
        lambda form: services.create_engagement(actor=request.user, **fields(form)),
        success_message=_("The engagement is saved. Now invite consultants."),
        redirect_to=lambda engagement: engagement,
        template="survivors/engagement_form.html",
    )


def _managed_engagement(request, pk):
    return get_object_or_404(
        Engagement.objects.managed_by(request.user).select_related("partnership"), pk=pk
    )


@approved_coordinator_required
def engagement_edit(request, pk):
    engagement = _managed_engagement(request, pk)
    if not engagement.is_open():
        messages.error(request, _("A completed or cancelled engagement cannot be changed."))
        return redirect(engagement)
    release_form = ReleaseForm(
        request.POST or None, requests=services.consultants_to_release(engagement)
    )
    return run_form(
        request,
        EngagementForm(
            request.POST or None,
            instance=engagement,
            partnerships=Partnership.objects.coordinated_by(request.user),
        ),
        lambda form: services.update_engagement(
            engagement=engagement,
            actor=request.user,
            release=release_form.cleaned_data["release"],
            **{name: form.cleaned_data[name] for name in form.changed_data},
        ),
        more_forms=[release_form],
        success_message=_updated,
        redirect_to=engagement,
        template="survivors/engagement_form.html",
        context={"engagement": engagement, "release_form": release_form},
    )


def _updated(engagement):
    if engagement.material_changes:
        return _(
            "The engagement is updated. Its terms changed: consultants who accepted "
            "are asked to confirm or leave, and everyone asked is told."
        )
    return _("The engagement is updated.")


@approved_coordinator_required
def engagement_detail(request, pk):
    engagement = _managed_engagement(request, pk)
    requests = list(
        engagement.requests.select_related("consultant", "compensation").prefetch_related(
            "expenses"
        )
    )
    named_feedback = Feedback.objects.filter(
        request__engagement=engagement, is_anonymous=False
    ).select_related("request__consultant")
    return render(
        request,
        "survivors/engagement_detail.html",
        {
            "engagement": engagement,
            "requests": requests,
            "has_expenses": any(r.expenses.all() for r in requests),
            "named_feedback": named_feedback,
            "thank_you_form": ThankYouForm(),
            "query_form": ExpenseQueryForm(),
        },
    )


@require_POST
@approved_coordinator_required
def engagement_invite(request, pk):
    """Send participation requests to the consultants chosen in the directory."""
    engagement = _managed_engagement(request, pk)
    ids = [i for i in request.POST.getlist("consultants") if uuid_or_none(i)]
    form = InviteForm(request.POST, candidates=ConsultantProfile.objects.filter(pk__in=ids))
    if not form.is_valid():
        messages.error(request, _("Choose at least one consultant to invite."))
        return redirect(reverse("survivors:directory") + f"?engagement={engagement.pk}")
    chosen = list(ConsultantProfile.objects.filter(pk__in=form.cleaned_data["consultants"]))
    return _send_requests(request, engagement, chosen, form.cleaned_data["confirm_single_seat"])


@require_POST
@approved_coordinator_required
def consultant_invite(request, pk):
    """Send one consultant a request for the engagement chosen on their profile."""
    profile = get_object_or_404(ConsultantProfile.objects.listed(), pk=pk)
    engagement = get_object_or_404(
        Engagement.objects.managed_by(request.user).select_related("partnership"),
        pk=uuid_or_none(request.POST.get("engagement")),
    )
    confirm = bool(request.POST.get("confirm_single_seat"))
    return _send_requests(request, engagement, [profile], confirm)


def _send_requests(request, engagement, chosen, confirm_single_seat):
    try:
        sent, not_asked = services.send_to_eligible(
            engagement=engagement,
            consultants=chosen,
            actor=request.user,
            confirm_single_seat=confirm_single_seat,
        )
    except services.TokenizationWarning as warning:
        return render(
            request,
            "survivors/engagement_invite_confirm.html",
            {"engagement": engagement, "warning": str(warning), "chosen": chosen},
        )
    except services.EngagementError as error:
        messages.error(request, str(error))
        back = request.POST.get("back", "")
        if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
            back = engagement.get_absolute_url()
        return redirect(back or engagement.get_absolute_url())
    messages.success(
        request,
        _("Participation request sent to %(names)s.")
        % {"names": before_stop(", ".join(r.consultant.display_name for r in sent))},
    )
    if not_asked:
        messages.warning(
            request,
            _("Not asked: %(reasons)s") % {"reasons": " ".join(why for _p, why in not_asked)},
        )
    return redirect(engagement)


@approved_coordinator_required
def engagement_cancel(request, pk):
    engagement = _managed_engagement(request, pk)
    return run_action(
        request,
        lambda: services.cancel_engagement(engagement=engagement, actor=request.user),
        success_message=_("The engagement is cancelled; invitees are told."),
        redirect_to=engagement,
        template="survivors/engagement_cancel.html",
        context={"engagement": engagement},
    )


@approved_coordinator_required
def engagement_complete(request, pk):
    engagement = _managed_engagement(request, pk)
    accepted = list(
        engagement.requests.filter(status=Status.ACCEPTED)
        .select_related("consultant")
        .prefetch_related(
            Prefetch(
                "expenses",
                queryset=Expense.objects.filter(added_by=Expense.Source.CONSULTANT),
                to_attr="her_lines",
            )
        )
    )
    forms = [
        CompletionForm(
            request.POST or None,
            prefix=str(r.pk),
            request_obj=r,
            initial={"hours_worked": engagement.estimated_hours},
        )
        for r in accepted
    ]
    if request.method == "POST" and all(form.is_valid() for form in forms):
        try:
            services.complete_engagement(
                engagement=engagement,
                actor=request.user,
                records={form.request_obj.pk: form.record() for form in forms},
            )
        except services.EngagementError as error:
            messages.error(request, str(error))
        else:
            due_on = (
                Compensation.objects.filter(request__engagement=engagement)
                .order_by("due_on")
                .values_list("due_on", flat=True)
                .first()
            )
            messages.success(
                request,
                _("The engagement is completed; compensation is due by %(date)s.")
                % {"date": date_format(due_on)}
                if due_on
                else _("The engagement is completed."),
            )
            return redirect(engagement)
    return render(
        request, "survivors/engagement_complete.html", {"engagement": engagement, "forms": forms}
    )


def _managed_request(request, pk):
    return get_object_or_404(
        ParticipationRequest.objects.filter(
            engagement__in=Engagement.objects.managed_by(request.user)
        ).select_related("engagement__partnership", "consultant"),
        pk=pk,
    )


@approved_coordinator_required
def request_cancel(request, pk):
    participation = _managed_request(request, pk)
    return run_action(
        request,
        lambda: services.cancel_request(request=participation, actor=request.user),
        success_message=_("The request is cancelled."),
        redirect_to=participation.engagement,
        template="survivors/request_cancel.html",
        context={"participation": participation},
    )


@require_POST
@approved_coordinator_required
def request_thank(request, pk):
    participation = _managed_request(request, pk)
    form = ThankYouForm(request.POST)
    return run_action(
        request,
        lambda: services.leave_thank_you(request=participation, actor=request.user, **fields(form)),
        form=form,
        success_message=_("Your thank-you note is saved for the consultant."),
        redirect_to=participation.engagement,
    )


# Her expense lines ------------------------------------------------------------------------


def _managed_expense(request, pk):
    return get_object_or_404(
        Expense.objects.filter(
            request__engagement__in=Engagement.objects.managed_by(request.user)
        ).select_related("request__engagement"),
        pk=pk,
    )


@require_POST
@approved_coordinator_required
def expense_approve(request, pk):
    line = _managed_expense(request, pk)
    return run_action(
        request,
        lambda: services.approve_expense(expense=line, actor=request.user),
        success_message=_("The expense is approved; it is paid with her compensation."),
        redirect_to=f"{line.request.engagement.get_absolute_url()}#expenses",
    )


@require_POST
@approved_coordinator_required
def expense_query(request, pk):
    line = _managed_expense(request, pk)
    form = ExpenseQueryForm(request.POST)
    return run_action(
        request,
        lambda: services.query_expense(expense=line, actor=request.user, **fields(form)),
        form=form,
        success_message=_(
            "Your question is sent to the consultant. The line comes back when she changes it."
        ),
        redirect_to=f"{line.request.engagement.get_absolute_url()}#expenses",
    )


@require_safe
@never_cache
@login_required
def expense_receipt(request, pk):
    """A receipt, for the consultant herself, the partnership's approved coordinators and
    admins; anyone else cannot tell it exists (404)."""
    line = get_object_or_404(Expense.objects.visible_to(request.user), pk=pk)
    if not line.receipt:
        raise Http404
    if not request.user.is_consultant and not passed_mfa(request):
        # Coordinators and admins reach survivors' records only after their second factor.
        return confirm_second_factor(request)
    return serve_private_file(
        line.receipt, filename=line.receipt_download_name(), content_type=line.receipt_type
    )


# A partnership's feedback -----------------------------------------------------------------


@approved_coordinator_required
def partnership_feedback(request, slug):
    """Named feedback with its engagement; anonymous feedback only in aggregate: unnamed, not
    tied to an engagement or a date, and only once there are enough entries to hide in."""
    partnership = coordinated_or_404(request, Partnership.objects, slug=slug)
    feedback = Feedback.objects.filter(partnership=partnership)
    named = feedback.filter(is_anonymous=False).select_related(
        "request__consultant", "request__engagement"
    )
    anonymous = feedback.filter(is_anonymous=True).order_by("went_well", "to_improve")
    anonymous_count = anonymous.count()
    return render(
        request,
        "survivors/partnership_feedback.html",
        {
            "partnership": partnership,
            "page_obj": page_of(request, named),
            "anonymous": anonymous if anonymous_count >= ANONYMITY_THRESHOLD else None,
            "anonymous_count": anonymous_count,
            "threshold": ANONYMITY_THRESHOLD,
        },
    )
