"""Two languages: Vietnamese at /…, English at /en/…, and the formatting both share."""
from flask import Blueprint, current_app, g, get_flashed_messages, message_flashed, redirect, request, session, url_for
from flask_babel import get_locale, get_translations, refresh
from urllib.parse import urlencode

from .clock import to_local
from .public_urls import absolute_url

DEFAULT_LANG = "vi"


class LocalizedBlueprint(Blueprint):
    """A blueprint whose every page exists once per language: `/x` in Vietnamese, `/en/x` in English."""

    def add_url_rule(self, rule, endpoint=None, view_func=None, **options):
        defaults = dict(options.pop("defaults", None) or {})
        super().add_url_rule(rule, endpoint, view_func,
                             defaults={**defaults, "lang": DEFAULT_LANG}, **options)
        if defaults:
            options["defaults"] = defaults
        super().add_url_rule("/<any(en):lang>" + rule, endpoint, view_func, **options)


def current_lang() -> str:
    return g.get("lang") or DEFAULT_LANG


def select_locale():
    return current_lang()


def set_lang(lang: str) -> None:
    g.lang = lang if lang in ("vi", "en") else DEFAULT_LANG
    refresh()  # Flask-Babel caches the locale in the app context, which may outlive a request


def lang_from_path(path: str) -> str:
    """The language of a URL that matched no page (a 404), judged by its prefix."""
    return "en" if path == "/en" or path.startswith("/en/") else DEFAULT_LANG


def pull_lang(endpoint, values):
    set_lang((values or {}).pop("lang", DEFAULT_LANG))


def push_lang(endpoint, values):
    if "lang" in values or not endpoint:
        return
    if current_app.url_map.is_endpoint_expecting(endpoint, "lang"):
        values["lang"] = current_lang()


def url_with_query(endpoint: str, view_values: dict, query, **url_options) -> str:
    """The URL of `endpoint` with `view_values` in its path, followed by `query` (a MultiDict or pairs)
    as its query string.

    The visitor's parameters never reach url_for as keywords: there a `lang`, `slug`, `_external`,
    `_method` … typed into the address would fill or break the path instead of staying a parameter."""
    pairs = query.items(multi=True) if hasattr(query, "items") else query
    query_string = urlencode([(name, value) for name, value in pairs if name != "lang"])
    url = url_for(endpoint, **view_values, **url_options)
    return f"{url}?{query_string}" if query_string else url


def url_in(lang: str, _external: bool = False) -> str | None:
    """This page's URL in `lang`, keeping its query string; None for a page that has no languages.
    Remembered for the request: the page's head and its language switch ask for it several times."""
    urls = g.setdefault("urls_in", {})
    key = (lang, _external)
    if key not in urls:
        endpoint = request.endpoint
        if not endpoint or not current_app.url_map.is_endpoint_expecting(endpoint, "lang"):
            urls[key] = None
        else:
            url = url_with_query(endpoint, {**(request.view_args or {}), "lang": lang}, request.args)
            urls[key] = absolute_url(url) if _external else url
    return urls[key]


def follow_lang_parameter():
    """`?lang=en` on a Vietnamese page (links from tourism sites carry it), or `?lang=vi` on an English
    one: the same page in that language. Any other value is left alone, as any unknown parameter is."""
    wanted = request.args.get("lang")
    if request.method in ("GET", "HEAD") and wanted in ("vi", "en") and wanted != current_lang():
        target = url_in(wanted)
        if target is not None:
            return redirect(target, 302)
    return None


# The message catalogues by locale, loaded once per process: flask-babel's own lookup (its context, the
# locale's identifier, its cache) costs microseconds per call, and a page calls gettext a hundred times.
_catalogues: dict[tuple, object] = {}


def translations():
    """The message catalogue flask-babel would use at this moment: the request's language, or the one
    forced by `force_locale` (e-mails in the order's language)."""
    locale = get_locale()
    if locale is None:
        return get_translations()  # outside a request: no translation
    key = (locale.language, locale.territory, locale.script, locale.variant)
    catalogue = _catalogues.get(key)
    if catalogue is None:
        catalogue = _catalogues[key] = get_translations()
    return catalogue


def _template_gettext(message):
    return translations().ugettext(message)


def _template_ngettext(singular, plural, number):
    return translations().ungettext(singular, plural, number)


def _template_pgettext(context, message):
    return translations().upgettext(context, message)


def _template_npgettext(context, singular, plural, number):
    return translations().unpgettext(context, singular, plural, number)


def has_language() -> bool:
    """Whether a language is chosen now: in a request, or under a forced locale."""
    return get_locale() is not None


def active_language() -> str:
    """"vi" or "en": the language texts are shown in now (a forced locale included)."""
    locale = get_locale()
    return locale.language if locale is not None else DEFAULT_LANG


def localized(obj, field: str) -> str:
    """A bilingual column's text in the current language, falling back to Vietnamese."""
    if active_language() == "en":
        english = getattr(obj, f"{field}_en", None)
        if english:
            return english
    return getattr(obj, f"{field}_vi") or ""


# What a page shows for an optional value that is not there (a price not yet set, a date unknown).
MISSING = "—"


def format_vnd(amount: int | None) -> str:
    """Whole đồng, written the Vietnamese way in both languages: 185.000 ₫ (a dash when there is none)."""
    if amount is None:
        return MISSING
    return f"{amount:,}".replace(",", ".") + "\u00a0₫"


def format_date(day) -> str:
    return day.strftime("%d/%m/%Y") if day is not None else MISSING


def format_datetime(moment) -> str:
    return to_local(moment).strftime("%d/%m/%Y %H:%M") if moment is not None else MISSING


# A flashed message is translated when it is flashed and shown on the next page. Its category carries the
# language it was written in, so that a page in the other language never shows it untranslated.
LANG_TAG = "|"


def tag_flash_with_lang(sender, message, category, **extra):
    flashes = session.get("_flashes") or []
    if flashes and flashes[-1] == (category, message):
        flashes[-1] = (f"{category}{LANG_TAG}{current_lang()}", str(message))
        session["_flashes"] = flashes


def flashed_messages() -> list[tuple[str, str]]:
    """The (category, message) pairs waiting for this visitor, in this page's language. Those written in
    the other language (the visitor switched language before the next page) are dropped with the rest."""
    shown = []
    for tagged, message in get_flashed_messages(with_categories=True):
        category, _, lang = tagged.partition(LANG_TAG)
        if lang in ("", current_lang()):
            shown.append((category, message))
    return shown


def init_app(app):
    # The same catalogues and the same newstyle semantics (autoescaping, %(name)s formatting) as
    # flask-babel's own callables, without its per-call context lookup.
    app.jinja_env.install_gettext_callables(
        gettext=_template_gettext, ngettext=_template_ngettext, pgettext=_template_pgettext,
        npgettext=_template_npgettext, newstyle=True)
    message_flashed.connect(tag_flash_with_lang, app)
    app.url_value_preprocessor(pull_lang)
    app.url_defaults(push_lang)
    app.before_request(follow_lang_parameter)
    app.jinja_env.globals.update(current_lang=current_lang, url_in=url_in, localized=localized,
                                flashed_messages=flashed_messages)
    app.jinja_env.filters.update(vnd=format_vnd, date_vn=format_date, datetime_vn=format_datetime)
