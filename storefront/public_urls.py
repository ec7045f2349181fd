"""Absolute addresses for what leaves the site: a shared link's preview, its canonical address.

On PUBLIC_BASE_URL when it is set: pages are cached by path, so an address built from one request's Host
header would be served to everyone (and a forged Host would point previews at another site)."""
from flask import current_app, request


def absolute_url(path: str) -> str:
    """`path` (a site-relative URL from url_for, asset_url, rendition_url) as an absolute URL."""
    base = current_app.config.get("PUBLIC_BASE_URL") or request.host_url.rstrip("/")
    return base + path
