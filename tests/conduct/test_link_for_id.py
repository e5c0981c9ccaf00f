"""LinkForId: one reverse() for a page of links, each the same as reverse() would give."""

from django.urls import reverse
from django.urls.base import set_script_prefix

from conduct.links import LinkForId


def test_each_link_is_the_one_reverse_gives():
    link = LinkForId("incidents:incident_detail")
    for pk in (1, 7, 10, 987654, 2**40):
        assert link(pk) == reverse("incidents:incident_detail", args=[pk])


def test_it_follows_the_sites_mount_point():
    link = LinkForId("sanctions:ban_detail")
    assert link(5) == reverse("sanctions:ban_detail", args=[5])
    try:
        set_script_prefix("/conduct/")
        assert link(5) == reverse("sanctions:ban_detail", args=[5])
        assert link(5).startswith("/conduct/")
    finally:
        set_script_prefix("/")
    assert not link(5).startswith("/conduct/")
