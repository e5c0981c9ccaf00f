"""My work's "Next:" links straight to the page that takes the step where that page shows the case too (issue 25):
the Chair's consultation and the head's decision. Other rows say their next step without a link; nobody is linked
to a step their role does not take."""

from django.urls import reverse

from incidents.workflow import Stage


def _next_urls(client):
    return {item["title"]: item["next_url"] for section in client.get("/").context["sections"]
            for item in section["items"]}


def test_the_chair_goes_straight_to_the_consultation(build, client_as):
    incident = build.case(stage=Stage.AWAITING_CHAIR)
    client = client_as("chair")
    assert _next_urls(client)[incident.reference] == reverse("sanctions:consultation_new", args=[incident.pk])
    page = client.get("/").content.decode()
    assert f'href="{reverse("sanctions:consultation_new", args=[incident.pk])}"' in page
    step = "Next: Record your consultation on the proposed ban"
    assert f'{step}<span class="visually-hidden"> ({incident.reference})' in page


def test_the_head_goes_straight_to_the_decision(build, client_as):
    incident = build.case(stage=Stage.PROPOSED)
    assert _next_urls(client_as("head"))[incident.reference] == reverse("sanctions:decision_new",
                                                                        args=[incident.pk])


def test_other_steps_are_said_without_a_link(build, client_as):
    gathering = build.case(stage=Stage.GATHERING)
    proposed = build.case(stage=Stage.PROPOSED)
    senior = _next_urls(client_as("senior"))
    assert senior.get(gathering.reference, "absent") is None
    # The head's decision is not the senior leader's step: the head's own list links it, theirs does not.
    assert reverse("sanctions:decision_new", args=[proposed.pk]) not in client_as("senior").get("/").content.decode()
    assert reverse("sanctions:decision_new", args=[proposed.pk]) not in client_as("office").get("/").content.decode()


def test_another_schools_head_is_not_linked(build, client_as):
    incident = build.case(stage=Stage.PROPOSED)
    page = client_as("other_head").get("/").content.decode()
    assert reverse("sanctions:decision_new", args=[incident.pk]) not in page
