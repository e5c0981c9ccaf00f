"""{% stage_badge stage label %}: a case's stage as a coloured badge.

A tag rather than an included template: the home page draws a hundred badges and the incident
list 25, and an include costs a context and a template render each."""

from django import template
from django.utils.html import format_html

register = template.Library()


@register.simple_tag
def stage_badge(stage, label):
    return format_html('<span class="badge stage-badge stage-{}">{}</span>', stage, label)
