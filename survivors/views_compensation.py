"""The coordinator's compensation pages: what is owed and paid, its export, recording a
payment, and a partnership's rate card.

Records come through `Compensation.objects.managed_by(user)` and partnerships through the ones
the user coordinates: an id from elsewhere gives 404.
"""

from django.conf import settings
from django.db.models import F
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from partnerships.models import Partnership
from toolkit_portal.access import approved_coordinator_required
from toolkit_portal.date_formats import date_formatter
from toolkit_portal.keyset import keyset_page
from toolkit_portal.numbers import money
from toolkit_portal.view_helpers import coordinated_or_404, fields, pk_url, run_form

from . import services
from .exports import compensation_csv
from .forms import CompensationPolicyForm, MarkPaidForm, RateCardFormSet
from .models import (
    Compensation,
    CompensationPolicy,
    Expense,
    PaymentMethod,
    choice_label,
    shown_title,
)


def _compensation_queryset(request):
    records = (
        Compensation.objects.managed_by(request.user)
        .select_related("partnership", "request__engagement", "request__consultant", "consultant")
        .owed_first()
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
    page = keyset_page(request, records, field="owed_first", size=settings.LONG_LIST_PAGE_SIZE)
    mark_paid_url = pk_url("survivors:compensation-mark-paid")
    # Each row's words and dates, from what the page looked up once: the dates' format and
    # the sentences a row's values go into.
    day = date_formatter("SHORT_DATE_FORMAT")
    paid, wants = _("Paid %(day)s"), _("Wants: %(method)s")
    today = timezone.localdate()
    for record in page.object_list:
        record["is_paid"] = record["status"] == Compensation.Status.PAID
        record["is_overdue"] = Compensation.overdue_on(today, record["status"], record["due_on"])
        record["engagement_title"] = shown_title(
            record["engagement_title"],
            record["engagement_portal_text"],
            record["engagement_portal_text_subject"],
        )
        record["status_label"] = choice_label(Compensation.Status, record["status"])
        record["amount_shown"] = money(record["amount"])
        record["due"] = day(record["due_on"])
        if record["is_paid"]:
            record["paid"] = paid % {"day": day(record["paid_on"])}
        elif record["payment_method"]:
            method = choice_label(PaymentMethod, record["payment_method"])
            record["wants"] = wants % {"method": method}
        record["mark_paid_url"] = mark_paid_url(record["pk"])
    return render(
        request,
        "survivors/compensation_list.html",
        {"page_obj": page, "status": status},
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
    return run_form(
        request,
        MarkPaidForm(request.POST or None, initial={"method": record.payment_method or "check"}),
        lambda form: services.mark_compensation_paid(
            compensation=record, actor=request.user, **fields(form)
        ),
        success_message=_("The payment is recorded; the consultant can see it."),
        warning=_queried_left_out,
        redirect_to="survivors:compensation-list",
        template="survivors/compensation_mark_paid.html",
        context={
            "record": record,
            "lines": list(Expense.objects.filter(request_id=record.request_id)),
        },
    )


def _queried_left_out(paid):
    if paid.queried_left_out:
        return ngettext(
            "%(count)d queried expense line was not approved, and is not paid.",
            "%(count)d queried expense lines were not approved, and are not paid.",
            paid.queried_left_out,
        ) % {"count": paid.queried_left_out}
    return None


@approved_coordinator_required
def compensation_policy(request, slug):
    partnership = coordinated_or_404(request, Partnership.objects, slug=slug)
    policy, _created = CompensationPolicy.objects.get_or_create(partnership=partnership)
    formset = RateCardFormSet(request.POST or None, instance=policy, prefix="rates")

    def save(form):
        form.save()
        formset.save()

    return run_form(
        request,
        CompensationPolicyForm(request.POST or None, instance=policy),
        save,
        more_forms=[formset],
        success_message=_("The rate card and payment methods are saved."),
        redirect_to=reverse("survivors:compensation-policy", kwargs={"slug": slug}),
        template="survivors/compensation_policy.html",
        context={"partnership": partnership, "formset": formset},
    )
