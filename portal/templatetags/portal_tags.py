from django import template

from portal.audit import history_for
from portal.masking import mask

register = template.Library()


@register.simple_tag(takes_context=True)
def query_replace(context, **kwargs):
    """The current query string with some parameters replaced (for pagination links)."""
    query = context["request"].GET.copy()
    for key, value in kwargs.items():
        query[key] = value
    return query.urlencode()


@register.filter
def masked(value, keep=4):
    return mask(value, keep)


@register.inclusion_tag("components/history.html")
def history(obj):
    return {"events": history_for(obj)}
