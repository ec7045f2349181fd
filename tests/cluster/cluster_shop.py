"""A browser for the cluster tests: a requests session that reads forms (their fields, chosen options and
ticked boxes) and posts them back as a person would, with the page's own form token."""
import re
from html.parser import HTMLParser

import requests

TIMEOUT = 30


class Forms(HTMLParser):
    """Every form of a page: its action and the values it would submit as it stands."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self._form = None
        self._select = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        attributes = {name: value if value is not None else "" for name, value in attrs}
        if tag == "form":
            self._form = {"action": attributes.get("action", ""), "fields": {}}
            self.forms.append(self._form)
        elif self._form is None:
            return
        elif tag == "input" and attributes.get("name"):
            kind = attributes.get("type", "text").lower()
            if kind in ("checkbox", "radio") and "checked" not in attributes:
                return
            if kind in ("submit", "button", "file", "image"):
                return
            self._form["fields"][attributes["name"]] = attributes.get("value", "on" if kind == "checkbox" else "")
        elif tag == "select" and attributes.get("name"):
            self._select = attributes["name"]
            self._form["fields"].setdefault(self._select, "")
        elif tag == "option" and self._select is not None:
            value = attributes.get("value", "")
            if "selected" in attributes or self._form["fields"][self._select] == "":
                self._form["fields"][self._select] = value
        elif tag == "textarea" and attributes.get("name"):
            self._textarea = attributes["name"]
            self._form["fields"][self._textarea] = ""

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea is not None and self._form is not None:
            self._form["fields"][self._textarea] += data


def form_of(html: str, action: str) -> dict:
    """The fields of the page's form posting to `action` (a path, or the end of one; "" for a form
    without an action, which posts to its own page)."""
    parser = Forms()
    parser.feed(html)
    for form in parser.forms:
        target = form["action"].split("#")[0].split("?")[0]
        if (target == "" if action == "" else target.endswith(action)):
            return dict(form["fields"])
    raise AssertionError(f"no form posting to {action} on the page: {[f['action'] for f in parser.forms]}")


class Browser:
    """One visitor's browser: its cookies go to whichever node it is pointed at (a shared SECRET_KEY and
    sessions in the database make them good on every node)."""

    def __init__(self, base: str):
        self.base = base
        self.session = requests.Session()

    def get(self, path: str, base: str | None = None, **kwargs) -> requests.Response:
        return self.session.get((base or self.base) + path, timeout=TIMEOUT, allow_redirects=False, **kwargs)

    def post(self, path: str, data: dict, base: str | None = None) -> requests.Response:
        return self.session.post((base or self.base) + path, data=data, timeout=TIMEOUT, allow_redirects=False)

    def submit(self, page_path: str, action: str = "", base: str | None = None, **changes) -> requests.Response:
        """Opens `page_path`, fills its form posting to `action` (its own form: "") with `changes`, and
        posts it."""
        page = self.get(page_path, base=base)
        assert page.status_code == 200, (page_path, page.status_code)
        fields = form_of(page.text, action)
        fields.update(changes)
        return self.post(action or page_path, fields, base=base)


def checkout_token(html: str) -> str:
    return re.search(r'name="token" type="hidden" value="([^"]+)"', html)[1]


def stars_of(html: str) -> list[str]:
    """The OCOP star badges of a page ("4" for aria-label="OCOP 4 sao")."""
    return re.findall(r'aria-label="OCOP (\d) (?:sao|stars?)"', html)
