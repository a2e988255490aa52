"""The address a request came from, for throttling and the audit log.

Behind RESEARCH_API_PROXY_COUNT trusted proxies (each appending the address it received the
request from to X-Forwarded-For), the client is the address the outermost proxy saw: that
many entries from the right. Entries further left are whatever the client wrote, so they
are never believed. Without proxies (the default) it is the socket's address.
"""

import ipaddress

from django.conf import settings


def client_address(request) -> str:
    meta = request.META
    proxies = settings.RESEARCH_API_PROXY_COUNT
    if proxies:
        hops = [hop.strip() for hop in meta.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        if len(hops) >= proxies and _is_address(hops[-proxies]):
            return hops[-proxies]
    return meta.get("REMOTE_ADDR", "")


def _is_address(value: str) -> bool:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True
