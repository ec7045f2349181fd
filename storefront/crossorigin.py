"""Posts from the forms of pages every visitor sees alike, guarded without a per-visitor token.

A product page's buy box and delivery line are forms. Had they a CSRF token, each visitor's copy of the
page would differ (and hand them a session cookie), so no shared proxy could keep the shop's most visited
pages. Their targets are guarded instead by what the browser itself says about where a post comes from:

- `Sec-Fetch-Site` (sent by every current browser): only `same-origin` (or `none`, typed by the user) passes;
- else `Origin` (older browsers send it on every cross-site post): it must be this shop's own address;
- a post with neither comes from no browser, so it carries no visitor's cookies to abuse, and passes.

A refused post changes nothing and is answered 403 in the visitor's language.
"""
from functools import wraps
from urllib.parse import urlsplit

from flask import abort, request
from flask_babel import gettext as _

from .extensions import csrf

SAME_ORIGIN_FETCH_SITES = {"same-origin", "none"}


def from_another_site() -> bool:
    """Whether the browser says this request was made by a page of another site."""
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site is not None:
        return fetch_site.strip().lower() not in SAME_ORIGIN_FETCH_SITES
    origin = request.headers.get("Origin")
    if origin is None:
        return False
    parts = urlsplit(origin.strip())
    return (parts.scheme, parts.netloc.lower()) != (request.scheme, request.host.lower())


def same_origin_post(view):
    """For the target of a form that carries no token: exempt from the token, refused from other sites."""
    @wraps(view)
    def guarded(*args, **kwargs):
        if request.method == "POST" and from_another_site():
            abort(403, description=_("This form was sent from another website, so nothing was changed. "
                                     "Open the page in this shop and send the form from there."))
        return view(*args, **kwargs)

    return csrf.exempt(guarded)
