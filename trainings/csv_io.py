"""The catalog as CSV: one training a row, multi-valued fields separated by ";".

Export neutralises cells that a spreadsheet would run as a formula (the portal's one CSV writer,
`toolkit_portal.downloads`); import undoes that.
Import is all or nothing: a row with an error stops it, with the line and the reason.
"""

import csv
import io
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from toolkit_portal.audit import record_audit
from toolkit_portal.downloads import CsvWriter, restore_cell
from toolkit_portal.input_checks import CONTROL_CHARACTERS
from toolkit_portal.vocabulary import KeyArea, Principle

from .choices import Audience, Cost, Delivery, Format, GrowthArea, Topic
from .models import Provider, Training, unique_slug

COLUMNS = [
    "slug",
    "title",
    "provider",
    "provider_website",
    "delivery",
    "format",
    "audiences",
    "topics",
    "cost",
    "on_site",
    "length_hours",
    "url",
    "location",
    "key_areas",
    "principles",
    "growth_areas",
    "description",
    "toolkit_notes",
    "in_toolkit",
    "is_published",
]
LIST_FIELDS = {
    "audiences": Audience,
    "topics": Topic,
    "key_areas": KeyArea,
    "principles": Principle,
    "growth_areas": GrowthArea,
}
CHOICE_FIELDS = {"delivery": Delivery, "format": Format, "cost": Cost}
BOOLEAN_FIELDS = {"on_site", "in_toolkit", "is_published"}


class CsvImportError(Exception):
    pass


def export_catalog(queryset):
    """The trainings as CSV text."""
    out = io.StringIO()
    writer = CsvWriter(out)
    writer.writerow(COLUMNS)
    for training in queryset.select_related("provider").order_by("title"):
        row = {
            **{name: getattr(training, name) for name in COLUMNS if hasattr(training, name)},
            "provider": training.provider.name,
            "provider_website": training.provider.website,
        }
        for name in LIST_FIELDS:
            row[name] = ";".join(row[name])
        for name in BOOLEAN_FIELDS:
            row[name] = "yes" if row[name] else "no"
        row["length_hours"] = "" if training.length_hours is None else training.length_hours
        writer.writerow([row[name] for name in COLUMNS])
    return out.getvalue()


def _parse_row(row):
    values = {name: restore_cell((row.get(name) or "").strip()) for name in COLUMNS}
    for name, value in values.items():
        if CONTROL_CHARACTERS.search(value):
            raise CsvImportError(
                _("%(field)s contains invisible control characters") % {"field": name}
            )
    if not values["title"]:
        raise CsvImportError(_("the title is empty"))
    if not values["provider"]:
        raise CsvImportError(_("the provider is empty"))
    for name, choices in CHOICE_FIELDS.items():
        if values[name] not in choices.values:
            raise CsvImportError(
                _("%(field)s must be one of %(allowed)s, not “%(value)s”")
                % {"field": name, "allowed": ", ".join(choices.values), "value": values[name]}
            )
    for name, choices in LIST_FIELDS.items():
        items = [item.strip() for item in values[name].split(";") if item.strip()]
        unknown = [item for item in items if item not in choices.values]
        if unknown:
            raise CsvImportError(
                _("%(field)s has unknown values: %(values)s")
                % {"field": name, "values": ", ".join(unknown)}
            )
        values[name] = items
    for name in BOOLEAN_FIELDS:
        flag = values[name].lower()
        if flag not in {"yes", "no", "true", "false", "1", "0", ""}:
            raise CsvImportError(_("%(field)s must be yes or no") % {"field": name})
        values[name] = flag in {"yes", "true", "1"}
    if values["length_hours"]:
        try:
            values["length_hours"] = Decimal(values["length_hours"])
        except InvalidOperation:
            raise CsvImportError(_("length_hours must be a number")) from None
    else:
        values["length_hours"] = None
    return values


def _numbered(reader):
    """(line, row) pairs; a line the csv module cannot read stops the import with a message."""
    try:
        for row in reader:
            yield reader.line_num, row
    except csv.Error:
        raise CsvImportError(
            _("Line %(line)d cannot be read as CSV: a cell may be too long or a quote left open.")
            % {"line": reader.line_num + 1}
        ) from None


@transaction.atomic
def import_catalog(text, *, actor):
    """Create or update trainings (matched by slug, else by title) from CSV text.

    Returns (created, updated). Raises CsvImportError naming the line of the first bad row.
    """
    reader = csv.DictReader(io.StringIO(text))
    try:
        header = reader.fieldnames or []
    except csv.Error:
        raise CsvImportError(_("The header row cannot be read as CSV.")) from None
    missing = {"title", "provider", "delivery", "format", "cost"} - set(header)
    if missing:
        raise CsvImportError(
            _("The header row lacks: %(columns)s.") % {"columns": ", ".join(sorted(missing))}
        )
    created = updated = 0
    # Providers are few: read them once rather than once a row.
    providers = {provider.name: provider for provider in Provider.objects.all()}
    for line, row in _numbered(reader):
        try:
            values = _parse_row(row)
            name = values.pop("provider")
            provider = providers.get(name)
            if provider is None:
                provider = Provider.objects.create(name=name, website=values["provider_website"])
                providers[name] = provider
            website = values.pop("provider_website")
            if website and provider.website != website:
                provider.website = website
                provider.full_clean()
                provider.save(update_fields=["website"])
            slug = values.pop("slug")
            training = (
                Training.objects.filter(slug=slug).first()
                if slug
                else Training.objects.filter(title__iexact=values["title"]).first()
            )
            is_new = training is None
            training = training or Training(slug=slug)
            for name, value in values.items():
                setattr(training, name, value)
            training.provider = provider
            if training.is_published and not training.published_at:
                training.published_at = timezone.now()
            if not training.slug:
                training.slug = unique_slug(Training, training.title)
            training.full_clean(exclude=["search_vector"])
            training.save()
        except ValidationError as error:
            messages = "; ".join(
                f"{field}: {' '.join(errors)}" for field, errors in error.message_dict.items()
            )
            raise CsvImportError(
                _("Line %(line)d: %(error)s") % {"line": line, "error": messages}
            ) from None
        except CsvImportError as error:
            raise CsvImportError(
                _("Line %(line)d: %(error)s") % {"line": line, "error": error}
            ) from None
        created += is_new
        updated += not is_new
        record_audit(
            actor,
            "trainings.training.imported" if is_new else "trainings.training.updated",
            training,
        )
    return created, updated
