"""Sections of the case page contributed by apps above incidents.

Sanctions registers a provider that returns its panels (proposal, Chair,
decision, letters, bans) and next actions; incidents renders them without
importing sanctions.
"""

_PROVIDERS = []


def register_case_panel_provider(provider) -> None:
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)


def case_panels(request, incident) -> dict:
    """{'panels': [{'template':..., 'context':...}], 'next_actions': [...], 'missing': [...]}"""
    result = {"panels": [], "next_actions": [], "missing": []}
    for provider in _PROVIDERS:
        contribution = provider(request, incident)
        for key in result:
            result[key].extend(contribution.get(key, []))
    # An action marked "first" (sending the parent a drafted letter) is the page's primary button.
    result["next_actions"].sort(key=lambda action: not action.get("first"))
    return result


def next_action_url(request, incident, label: str) -> str | None:
    """The page of the case's next action named `label` (offered to this user at the case's stage), if any:
    where a form's "Save, then …" button goes when the floor above offers that step."""
    return next((action["url"] for action in case_panels(request, incident)["next_actions"]
                 if action["label"] == label), None)


# The person page's sections from the floors above (sanctions: the person's letters and bans).
_PERSON_PROVIDERS = []


def register_person_panel_provider(provider) -> None:
    if provider not in _PERSON_PROVIDERS:
        _PERSON_PROVIDERS.append(provider)


def person_panels(request, person) -> list:
    """[{'template':..., 'context':...}] from every registered provider, in registration order."""
    return [panel for provider in _PERSON_PROVIDERS for panel in provider(request, person)]
