"""Where carbonlint talks to the Hub, and the one rule about where its token may go.

The token (``HF_TOKEN`` or the saved login) goes only to the configured endpoint: ``HF_ENDPOINT``
as the environment says when a client is made, else huggingface_hub's default. Any other URL
the client is about to request (a listing's ``Link: rel="next"``, the page a checkpoint saved)
must have the endpoint's origin: the same scheme, host and port. A URL pointing elsewhere is
refused before anything is sent, with a message that says where it pointed, rather than
followed without the token: what a foreign host would list is not the Hub's listing either.
(Redirects are left to the HTTP library, which drops the Authorization header when one leaves
the origin.)
"""

from __future__ import annotations

import os
from urllib.parse import urlsplit

from huggingface_hub import constants

_DEFAULT_PORTS = {"http": 80, "https": 443}


def hub_endpoint() -> str:
    """The Hub to talk to: ``HF_ENDPOINT`` as the environment says now, else huggingface_hub's."""
    return (os.environ.get("HF_ENDPOINT") or constants.ENDPOINT).rstrip("/")


def origin(url: str) -> tuple[str, str, int | None]:
    """(scheme, host, port) of ``url``, the default port filled in; ValueError if unusable."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    port = parts.port  # raises ValueError for a port out of range
    return scheme, (parts.hostname or "").lower(), port if port is not None else _DEFAULT_PORTS.get(scheme)


def same_origin(url: str, endpoint: str) -> bool:
    try:
        return origin(url) == origin(endpoint)
    except ValueError:
        return False


def describe_origin(url: str) -> str:
    try:
        scheme, host, port = origin(url)
    except ValueError:
        return repr(url)
    return f"{scheme}://{host}" + (f":{port}" if port is not None and port != _DEFAULT_PORTS.get(scheme) else "")
