"""The client's address: REMOTE_ADDR, or the X-Forwarded-For chain when the request comes from a
trusted proxy (settings.SECURITY_TRUSTED_PROXIES, from DJANGO_TRUSTED_PROXIES).
The one place that says who the client is: lockouts, rate limits and the security log use it.

Used by django-axes (AXES_CLIENT_IP_CALLABLE), the per-address login throttle and the security log.
A header sent by anyone else is ignored, so a client cannot choose the address it is counted under."""

import ipaddress
from functools import lru_cache

from django.conf import settings


@lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]) -> tuple:
    networks = []
    for proxy in proxies:
        try:
            networks.append(ipaddress.ip_network(proxy, strict=False))
        except ValueError:
            continue  # a typo in the setting trusts nothing rather than everything
    return tuple(networks)


def _address(value: str):
    try:
        return ipaddress.ip_address(value.strip())
    except ValueError:
        return None


def is_trusted_proxy(address) -> bool:
    networks = _networks(tuple(getattr(settings, "SECURITY_TRUSTED_PROXIES", ())))
    return address is not None and any(address in network for network in networks)


def client_ip(request) -> str | None:
    """The address of the client that sent `request`, as a string, or None if unknown.

    Behind trusted proxies the X-Forwarded-For chain is read from the right: each proxy appends the
    address it received the request from, so the first address that is not a trusted proxy is the
    client. A malformed entry stops the walk at the last address a trusted proxy vouched for."""
    if request is None:
        return None
    remote = _address(request.META.get("REMOTE_ADDR", ""))
    if remote is None:
        return None
    if not is_trusted_proxy(remote):
        return str(remote)
    client = remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    for entry in reversed([part for part in forwarded.split(",") if part.strip()]):
        address = _address(entry)
        if address is None:
            break
        client = address
        if not is_trusted_proxy(address):
            break
    return str(client)
