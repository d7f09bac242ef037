"""The coordinator's pages: directory, engagements, requests and compensation.

Every object comes through a queryset limited to the partnerships the user coordinates, so
an id from elsewhere gives 404. State changes are POST only and go through services.py.
"""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import (
    BigIntegerField,
    Case,
    Count,
    F,
    OuterRef,
    Prefetch,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Extract
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from partnerships.models import Partnership
from toolkit_portal.access import (
    approved_coordinator_required,
    confirm_second_factor,
    passed_mfa,
)
from toolkit_portal.plain_text import before_stop
from toolkit_portal.storage import serve_private_file
from toolkit_portal.view_helpers import LIST_PAGE_SIZE, SURVIVOR_PAGE_SIZE, page_of

from . import services
from .cards import directory_cards
from .exports import compensation_csv
from .forms import (
    CompensationPolicyForm,
    CompletionForm,
    DirectoryFilterForm,
    EngagementForm,
    ExpenseQueryForm,
    InviteForm,
    MarkPaidForm,
    RateCardFormSet,
    ReleaseForm,
    ThankYouForm,
)
from .keyset import keyset_page
from .models import (
    Compensation,
    CompensationPolicy,
    ConsultantProfile,
    Engagement,
    EngagementKind,
    Expense,
    Feedback,
    ParticipationRequest,
    PaymentMethod,
    choice_label,
    shown_title,
)

# Anonymous feedback is shown only once at least this many entries exist.
ANONYMITY_THRESHOLD = 3
Status = ParticipationRequest.Status


# Directory --------------------------------------------------------------------------------


@approved_coordinator_required
def consultant_directory(request):
    form = DirectoryFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    today = timezone.localdate()
    profiles = ConsultantProfile.objects.listed().with_load_in(today).matching(filters)
    # "The next 100" rather than page numbers: counting every listed consultant to number
    # the pages cost as much as reading the page.
    page = keyset_page(request, profiles.for_directory(), field="display_name", size=LIST_PAGE_SIZE)
    # Inviting from the directory: the engagement comes in the address.
    engagement = None
    if request.GET.get("engagement"):
        engagement = (
            Engagement.objects.managed_by(request.user)
            .filter(pk=_uuid_or_none(request.GET["engagement"]), status=Engagement.Status.OPEN)
            .first()
        )
    refusals = services.refusals_for(engagement, page.object_list) if engagement else None
    return render(
        request,
        "survivors/consultant_directory.html",
        {
            "form": form,
            "page_obj": page,
            "cards": directory_cards(page.object_list, engagement=engagement, refusals=refusals),
            "engagement": engagement,
            "today": today,
        },
    )


def _uuid_or_none(value):
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


@approved_coordinator_required
def consultant_detail(request, pk):
    today = timezone.localdate()
    profile = get_object_or_404(ConsultantProfile.objects.listed().with_load_in(today), pk=pk)
    services.record_profile_view(profile=profile, viewer=request.user)
    open_engagements = (
        Engagement.objects.managed_by(request.user)
        .filter(status=Engagement.Status.OPEN, response_deadline__gt=timezone.now())
        .select_related("partnership")
        .order_by("starts_at")
    )
    # Each open engagement either can be offered to her or says why not: the card's words.
    choices = [(e, services.refusal_for(e, profile)) for e in open_engagements]
    return render(
        request,
        "survivors/consultant_detail.html",
        {
            "profile": profile,
            "open_engagements": [e for e, why in choices if not why],
            "not_possible": [(e, why) for e, why in choices if why],
            "today": today,
        },
    )


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
        request, engagements, field="starts_at", descending=True, size=LIST_PAGE_SIZE
    )
    url = _detail_url("survivors:engagement-detail")
    for row in page.object_list:
        row["detail_url"] = url(row["pk"])
        row["display_title"] = shown_title(
            row["title"], row["portal_text"], row["portal_text_subject"]
        )
        row["kind_label"] = choice_label(EngagementKind, row["kind"])
        row["status_label"] = choice_label(Engagement.Status, row["status"])
    return render(
        request,
        "survivors/engagement_list.html",
        {
            "page_obj": page,
            "status": status,
            "statuses": Engagement.Status.choices,
            "has_partnership": Partnership.objects.coordinated_by(request.user).exists(),
        },
    )


def _detail_url(url_name):
    """A function giving the `url_name` page of a pk (a UUID).

    The address is reversed once, for a placeholder, and each pk put in its place: a
    hundred `reverse()` calls cost about as much as the rest of a list's rows.
    """
    placeholder = uuid.UUID(int=0)
    before, after = reverse(url_name, kwargs={"pk": placeholder}).split(str(placeholder))
    return lambda pk: f"{before}{pk}{after}"


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
    form = EngagementForm(request.POST or None, partnerships=partnerships)
    if request.method == "POST" and form.is_valid():
        fields = {k: v for k, v in form.cleaned_data.items() if k != "partnership"}
        try:
            engagement = services.create_engagement(
                partnership=form.cleaned_data["partnership"], actor=request.user, **fields
            )
        except services.EngagementError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The engagement is saved. Now invite consultants."))
            return redirect(engagement)
    return render(request, "survivors/engagement_form.html", {"form": form})


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
    form = EngagementForm(
        request.POST or None,
        instance=engagement,
        partnerships=Partnership.objects.coordinated_by(request.user),
    )
    release_form = ReleaseForm(
        request.POST or None, requests=services.consultants_to_release(engagement)
    )
    if request.method == "POST" and form.is_valid() and release_form.is_valid():
        try:
            updated = services.update_engagement(
                engagement=engagement,
                actor=request.user,
                release=release_form.cleaned_data["release"],
                **{name: form.cleaned_data[name] for name in form.changed_data},
            )
        except services.EngagementError as error:
            form.add_error(None, str(error))
        else:
            if updated.material_changes:
                messages.success(
                    request,
                    _(
                        "The engagement is updated. Its terms changed: consultants who accepted "
                        "are asked to confirm or leave, and everyone asked is told."
                    ),
                )
            else:
                messages.success(request, _("The engagement is updated."))
            return redirect(engagement)
    return render(
        request,
        "survivors/engagement_form.html",
        {"form": form, "engagement": engagement, "release_form": release_form},
    )


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
    ids = [i for i in request.POST.getlist("consultants") if _uuid_or_none(i)]
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
        pk=_uuid_or_none(request.POST.get("engagement")),
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
    if request.method == "POST":
        try:
            services.cancel_engagement(engagement=engagement, actor=request.user)
        except services.EngagementError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The engagement is cancelled; invitees are told."))
        return redirect(engagement)
    return render(request, "survivors/engagement_cancel.html", {"engagement": engagement})


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
    if request.method == "POST":
        try:
            services.cancel_request(request=participation, actor=request.user)
        except services.EngagementError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The request is cancelled."))
        return redirect(participation.engagement)
    return render(request, "survivors/request_cancel.html", {"participation": participation})


@require_POST
@approved_coordinator_required
def request_thank(request, pk):
    participation = _managed_request(request, pk)
    form = ThankYouForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write a note before sending it."))
    else:
        try:
            services.leave_thank_you(
                request=participation, actor=request.user, note=form.cleaned_data["note"]
            )
        except services.EngagementError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Your thank-you note is saved for the consultant."))
    return redirect(participation.engagement)


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
    try:
        services.approve_expense(expense=line, actor=request.user)
    except services.EngagementError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The expense is approved; it is paid with her compensation."))
    return redirect(f"{line.request.engagement.get_absolute_url()}#expenses")


@require_POST
@approved_coordinator_required
def expense_query(request, pk):
    line = _managed_expense(request, pk)
    form = ExpenseQueryForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors["message"]))
    else:
        try:
            services.query_expense(
                expense=line, actor=request.user, message=form.cleaned_data["message"]
            )
        except services.EngagementError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _(
                    "Your question is sent to the consultant. The line comes back when she "
                    "changes it."
                ),
            )
    return redirect(f"{line.request.engagement.get_absolute_url()}#expenses")


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


# Compensation -----------------------------------------------------------------------------


# What is owed now before what was paid: unpaid by due date (soonest first), then paid,
# newest payment first. One sortable number, so the list still pages by one column.
_PAID_AFTER = 10**11  # seconds: past every due date as an epoch
OWED_FIRST = Case(
    When(
        status=Compensation.Status.PAID,
        then=Value(2 * _PAID_AFTER) - Extract(Coalesce("paid_on", "due_on"), "epoch"),
    ),
    default=Extract("due_on", "epoch"),
    output_field=BigIntegerField(),
)


def _compensation_queryset(request):
    records = (
        Compensation.objects.managed_by(request.user)
        .select_related("partnership", "request__engagement", "request__consultant", "consultant")
        .annotate(owed_first=OWED_FIRST)
        .order_by("owed_first", "id")
    )
    status = request.GET.get("status", "")
    if status == "overdue":
        records = records.overdue()
    elif status == "unpaid":
        records = records.unpaid()
    elif status == "paid":
        records = records.filter(status=Compensation.Status.PAID)
    return records, status


@approved_coordinator_required
def compensation_list(request):
    records, status = _compensation_queryset(request)
    # Only the columns the list shows (the export reads them all).
    # Only the columns the list shows, as plain rows (the export reads them all): five
    # model instances a row would cost more than the query.
    records = records.select_related(None).values(
        "pk",
        "amount",
        "due_on",
        "status",
        "paid_on",
        "payment_method",
        "not_received_note",
        "consultant",
        "owed_first",  # the list's order, read again by the next page's position
        partnership_name=F("partnership__name"),
        engagement_title=F("request__engagement__title"),
        engagement_portal_text=F("request__engagement__portal_text"),
        engagement_portal_text_subject=F("request__engagement__portal_text_subject"),
        consultant_name=F("consultant__display_name"),
    )
    # Owed now first, "the next 100" rather than page numbers (no count of every record).
    page = keyset_page(request, records, field="owed_first", size=LIST_PAGE_SIZE)
    mark_paid_url = _detail_url("survivors:compensation-mark-paid")
    for record in page.object_list:
        record["is_paid"] = record["status"] == Compensation.Status.PAID
        record["engagement_title"] = shown_title(
            record["engagement_title"],
            record["engagement_portal_text"],
            record["engagement_portal_text_subject"],
        )
        record["status_label"] = choice_label(Compensation.Status, record["status"])
        record["payment_method_label"] = choice_label(PaymentMethod, record["payment_method"])
        record["mark_paid_url"] = mark_paid_url(record["pk"])
    return render(
        request,
        "survivors/compensation_list.html",
        {
            "page_obj": page,
            "status": status,
            "today": timezone.localdate(),
        },
    )


@approved_coordinator_required
def compensation_export(request):
    records, _status = _compensation_queryset(request)
    return compensation_csv(records)


@approved_coordinator_required
def compensation_mark_paid(request, pk):
    record = get_object_or_404(
        Compensation.objects.managed_by(request.user).select_related(
            "request__engagement", "consultant"
        ),
        pk=pk,
    )
    form = MarkPaidForm(request.POST or None, initial={"method": record.payment_method or "check"})
    if request.method == "POST" and form.is_valid():
        try:
            paid = services.mark_compensation_paid(
                compensation=record,
                actor=request.user,
                paid_on=form.cleaned_data["paid_on"],
                method=form.cleaned_data["method"],
                reference=form.cleaned_data["reference"],
            )
        except services.EngagementError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The payment is recorded; the consultant can see it."))
            if paid.queried_left_out:
                messages.warning(
                    request,
                    ngettext(
                        "%(count)d queried expense line was not approved, and is not paid.",
                        "%(count)d queried expense lines were not approved, and are not paid.",
                        paid.queried_left_out,
                    )
                    % {"count": paid.queried_left_out},
                )
            return redirect("survivors:compensation-list")
    return render(
        request,
        "survivors/compensation_mark_paid.html",
        {
            "form": form,
            "record": record,
            "lines": list(Expense.objects.filter(request_id=record.request_id)),
        },
    )


# Partnership settings and feedback ---------------------------------------------------------


def _coordinated_partnership(request, slug):
    return get_object_or_404(Partnership.objects.coordinated_by(request.user), slug=slug)


@approved_coordinator_required
def compensation_policy(request, slug):
    partnership = _coordinated_partnership(request, slug)
    policy, _created = CompensationPolicy.objects.get_or_create(partnership=partnership)
    form = CompensationPolicyForm(request.POST or None, instance=policy)
    formset = RateCardFormSet(request.POST or None, instance=policy, prefix="rates")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        form.save()
        formset.save()
        messages.success(request, _("The rate card and payment methods are saved."))
        return redirect("survivors:compensation-policy", slug=partnership.slug)
    return render(
        request,
        "survivors/compensation_policy.html",
        {"partnership": partnership, "form": form, "formset": formset},
    )


@approved_coordinator_required
def partnership_feedback(request, slug):
    """Named feedback with its engagement; anonymous feedback only in aggregate: unnamed, not
    tied to an engagement or a date, and only once there are enough entries to hide in."""
    partnership = _coordinated_partnership(request, slug)
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
            "page_obj": page_of(request, named, SURVIVOR_PAGE_SIZE),
            "anonymous": anonymous if anonymous_count >= ANONYMITY_THRESHOLD else None,
            "anonymous_count": anonymous_count,
            "threshold": ANONYMITY_THRESHOLD,
        },
    )
