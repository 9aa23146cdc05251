"""Small request helpers shared by the apps' views."""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest, QueryDict


def posted(request: HttpRequest) -> QueryDict | None:
    """The POST data for a form, or None on GET.

    Not ``request.POST or None``: an untouched form posts nothing to some clients, and it must
    still be bound, so that it says what is missing instead of showing itself again silently.
    """
    return request.POST if request.method == "POST" else None


def client_address(request: HttpRequest) -> str | None:
    """The address the request came from, for the access log and login throttling.

    Behind a reverse proxy every request comes from the proxy: the proxies named in
    ``PLATSA_TRUSTED_PROXIES`` (addresses or networks) are looked through, using the
    ``X-Forwarded-For`` they add, from the right, up to the first address that is not one of
    them. A header from anyone else is ignored: it could say anything.
    """
    remote = request.META.get("REMOTE_ADDR") or None
    trusted = [ipaddress.ip_network(n, strict=False) for n in settings.PLATSA_TRUSTED_PROXIES]

    def is_trusted(address: str) -> bool:
        try:
            ip = ipaddress.ip_address(address)
        except ValueError:
            return False
        return any(ip in network for network in trusted)

    if remote is None or not is_trusted(remote):
        return remote
    hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
    for hop in reversed(hops):
        try:
            ipaddress.ip_address(hop)
        except ValueError:
            return remote  # a malformed chain: keep what is known for certain
        if not is_trusted(hop):
            return hop
    return remote
