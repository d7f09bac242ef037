"""The compensation records as CSV: one file for a coordinator's list and the admin's action.

Cells follow the portal's CSV conventions (toolkit_portal.downloads.CsvWriter): dates ISO,
amounts plain numbers, the header in the reader's language.
"""

from django.utils.translation import gettext as _

from toolkit_portal.downloads import csv_download


def compensation_csv(records):
    """A download of the records (select_related: partnership, request__engagement,
    request__consultant, consultant)."""
    response, writer = csv_download("compensation.csv")
    writer.writerow(
        [
            _("partnership"),
            _("engagement"),
            _("consultant"),
            _("fee"),
            _("expenses"),
            _("amount"),
            _("due on"),
            _("status"),
            _("payment method"),
            _("paid on"),
            _("paid by"),
            _("reference"),
        ]
    )
    for record in records.iterator(chunk_size=500):
        writer.writerow(
            [
                record.partnership.name,
                record.request.engagement.display_title,
                record.request.consultant_name if record.consultant else _("Former consultant"),
                record.fee,
                record.expenses_total,
                record.amount,
                record.due_on,
                record.get_status_display(),
                record.get_payment_method_display(),
                record.paid_on,
                record.get_paid_method_display(),
                record.paid_reference,
            ]
        )
    return response
