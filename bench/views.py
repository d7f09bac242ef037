"""The framework floor: the same rows as a list page, from one query, in a plain template.

No context processors, no pagination, no filters: what Django costs at least to send these
rows through its middleware, ORM and template engine. Mounted only by bench.settings.
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.template import engines

from survivors.models import Compensation, ConsultantProfile, Engagement

ROWS = 100

TABLE = engines["django"].from_string(
    "<!doctype html><html lang=en><title>floor</title><table>"
    "{% for row in rows %}<tr>{% for cell in row %}<td>{{ cell }}</td>{% endfor %}</tr>"
    "{% endfor %}</table></html>"
)


def _table(rows):
    return HttpResponse(TABLE.render({"rows": rows}))


@login_required
def floor_directory(request):
    rows = (
        ConsultantProfile.objects.filter(is_listed=True, user__is_active=True)
        .order_by("display_name", "id")
        .values_list(
            "display_name",
            "pronouns",
            "bio",
            "roles",
            "languages",
            "areas_served",
            "availability",
            "monthly_capacity",
        )[:ROWS]
    )
    return _table(rows)


@login_required
def floor_engagements(request):
    rows = Engagement.objects.order_by("-starts_at", "id").values_list(
        "title", "partnership__name", "kind", "starts_at", "seats", "status"
    )[:ROWS]
    return _table(rows)


@login_required
def floor_compensation(request):
    rows = Compensation.objects.order_by("due_on", "id").values_list(
        "request__engagement__title",
        "partnership__name",
        "consultant__display_name",
        "amount",
        "due_on",
        "status",
        "paid_on",
    )[:ROWS]
    return _table(rows)
