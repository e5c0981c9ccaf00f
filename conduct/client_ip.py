"""The browser's address behind the one trusted reverse proxy, for the login lock-out.

Behind a proxy every request's REMOTE_ADDR is the proxy, so the lock-out pair
(username, address) would lock a username for everybody at once. The proxy
adds the address it saw to the right of X-Forwarded-For; anything to its left
came from the client and may be forged, so only the rightmost entry counts.
Used only when BEHIND_TLS_PROXY is on (settings.AXES_CLIENT_IP_CALLABLE).
"""


def forwarded_client_ip(request) -> str | None:
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    last = forwarded.split(",")[-1].strip()
    return last or request.META.get("REMOTE_ADDR")
