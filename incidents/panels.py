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
    return result
