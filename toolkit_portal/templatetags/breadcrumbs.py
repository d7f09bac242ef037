"""`{% breadcrumbs label url label url … label %}`: the shared way back
(templates/_breadcrumbs.html) from a template, without a view building the list. The last
label is the page itself."""

from django import template

register = template.Library()


@register.inclusion_tag("_breadcrumbs.html")
def breadcrumbs(*parts):
    parts = [*parts, ""] if len(parts) % 2 else list(parts)
    return {"breadcrumbs": list(zip(parts[::2], parts[1::2], strict=True))}
