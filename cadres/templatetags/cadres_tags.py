from django import template

from cadres.models import PostLevel

register = template.Library()


@register.filter
def level_label(value):
    """The label of a PostLevel value (annotations such as `current_level` are raw values)."""
    return PostLevel(value).label if value in PostLevel.values else ""
