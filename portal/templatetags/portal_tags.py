from django import template
from django.utils.html import format_html

from portal.audit import history_for
from portal.masking import mask
from portal.submissions import FIELD, key_from, new_key

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


@register.simple_tag(takes_context=True)
def submission_key(context):
    """The hidden one-time key of a form that creates something (portal/submissions.py).
    A form shown again with errors keeps the key it was sent with."""
    request = context.get("request")
    key = key_from(request) if request is not None and request.method == "POST" else None
    return format_html('<input type="hidden" name="{}" value="{}">', FIELD, key or new_key())
