"""Sign in with the school's own Microsoft 365 (Entra ID) or Google Workspace account (OpenID Connect).

django-allauth's `openid_connect` provider does the protocol (discovery, state, PKCE, the code
exchange, the ID token's issuer, audience and expiry); this package decides who may come in:
only an existing, active Conduct account whose email the provider vouches for, in a domain the
trust allows. It never creates an account or a role. Configured from the environment
(`config.py`, README's settings table). Imports neither incidents nor sanctions.
"""
