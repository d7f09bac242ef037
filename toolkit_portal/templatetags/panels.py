"""`{% panels "slot" name=value %}`: what higher apps registered for a slot of this page
(toolkit_portal/hooks.py), so a page shows their parts without loading their tags."""

from django import template
from django.utils.safestring import SafeString

from toolkit_portal import hooks

register = template.Library()


@register.simple_tag(takes_context=True)
def panels(context, slot, **values):
    rendered = SafeString("")  # each part is a template's escaped output
    for panel in hooks.panels_for(slot):
        data = panel.context(context.request, **values)
        if data is None:
            continue
        # As an inclusion tag renders: a fresh context, with the page's CSRF token.
        panel_context = context.new(data)
        if context.get("csrf_token") is not None:
            panel_context["csrf_token"] = context["csrf_token"]
        rendered += context.template.engine.get_template(panel.template).render(panel_context)
    return rendered
