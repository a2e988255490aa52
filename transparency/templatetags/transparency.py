from django import template

register = template.Library()


@register.filter
def percent(value) -> str:
    """A share (0.964) as the page shows it: 96.4 %."""
    return f"{value * 100:.1f} %"
