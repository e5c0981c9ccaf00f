"""{% stage_badge %}: the stage's badge, its label escaped."""

from django.template import Context, Template


def _badge(stage, label):
    return Template("{% load stages %}{% stage_badge stage label %}").render(Context({"stage": stage, "label": label}))


def test_the_badge_carries_the_stages_class_and_label():
    assert _badge("gathering", "Gathering information") == (
        '<span class="badge stage-badge stage-gathering">Gathering information</span>')


def test_text_is_escaped():
    assert _badge('x" onclick="y', "<b>") == (
        '<span class="badge stage-badge stage-x&quot; onclick=&quot;y">&lt;b&gt;</span>')
