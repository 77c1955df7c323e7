"""The export buttons component: `{% export_buttons "grassroots:member-export" %}`."""

from django import template
from django.urls import resolve, reverse

from portal.exchange import registry
from portal.exchange.forms import OWN_PARAMETERS

register = template.Library()


@register.inclusion_tag("components/export_buttons.html", takes_context=True)
def export_buttons(context, url_name, *args, label="", form_id="", **kwargs):
    """'导出 Excel' and '导出 CSV' for the export behind `url_name`, carrying the page's
    query string (its filters), and the full-ID-numbers box for users who may reveal them.
    Renders nothing for a user the export does not permit. `form_id` names the form, for
    inputs elsewhere on the page that belong to it (the cadres ticked on a list)."""
    request = context["request"]
    url = reverse(url_name, args=args, kwargs=kwargs)
    spec = registry.get(resolve(url).kwargs["kind"])
    if spec is None or not spec.permits(request.user):
        return {"show": False}
    params = [
        (name, value)
        for name, values in request.GET.lists()
        if name not in OWN_PARAMETERS
        for value in values
    ]
    return {
        "show": True,
        "url": url,
        "params": params,
        "formats": spec.formats,
        "may_reveal": spec.reveals_for(request.user),
        "label": label,
        "form_id": form_id,
        "kind": spec.kind,
        "csrf_token": context.get("csrf_token"),
    }
