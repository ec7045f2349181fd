"""A crawler for the whole shop, as each role sees it: follows every same-site link, submits every form
with plausible values, and checks every answer for what a visitor must never see."""
import html
import io
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import timedelta
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

from babel.messages.pofile import read_po
from PIL import Image

from storefront.clock import today

ROOT = Path(__file__).resolve().parents[2]
CATALOG = ROOT / "storefront/translations/vi/LC_MESSAGES/messages.po"
SAMPLE_IMPORT = ROOT / "tests/data/ocop-import-sample.csv"

# Appended to every page once more: names that url_for, the language prefix or a route could read as
# their own, numbers no column can hold, a NUL byte, an off-site `next`.
HOSTILE_PARAMETERS = [
    ("lang", "en"), ("lang", "vi"), ("lang", "de"), ("slug", "x"), ("endpoint", "site.home"), ("_anchor", "x"),
    ("_external", "1"), ("_scheme", "javascript"), ("_method", "DELETE"), ("page", "99999999999999999999"),
    ("page", "-1"), ("page", "²"), ("q", "\x00"), ("next", "//evil.example/"), ("id", "9" * 30),
    ("number", "QN%00"), ("product", "9" * 30), ("sort", "'; DROP TABLE product; --"),
]

VOID_ELEMENTS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
RAW_TEXT = {"script", "style", "template"}
# A page must never show a placeholder left unformatted, template syntax, a Python value or repr.
LEAKS = [
    (re.compile(r"%\(\w+\)[sd]"), "an unformatted placeholder"),
    (re.compile(r"\{\{|\{%|%\}|\}\}"), "template syntax"),
    (re.compile(r"(?<![\w-])None(?![\w.])"), "None"),
    (re.compile(r"object at 0x|&lt;[A-Z]\w+ [^&]{0,60}&gt;|\bdatetime\.|LazyString|Markup\(|Traceback"),
     "a Python value"),
    (re.compile(r"\b(?:True|False)\b(?![\w.])"), "a Python boolean"),
]
ATTRIBUTE_LEAKS = re.compile(r'="(?:None|False|True)"')


@dataclass
class Form:
    action: str
    method: str
    fields: list = field(default_factory=list)  # (name, type, value, attributes)
    selects: dict = field(default_factory=dict)  # name -> [option values]
    textareas: dict = field(default_factory=dict)  # name -> text


class Page(HTMLParser):
    """Links, forms, and the visible text of a page with the language each piece is in."""

    def __init__(self, lang: str):
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.forms: list[Form] = []
        self.texts: list[tuple[str, str]] = []  # (language, text): text nodes and visible attributes
        self._stack: list[tuple[str, str]] = [("", lang)]
        self._form: Form | None = None
        self._select: str | None = None
        self._textarea: str | None = None
        self._raw = 0

    @property
    def lang(self) -> str:
        return self._stack[-1][1]

    def handle_starttag(self, tag, attrs):
        attributes = {name: value or "" for name, value in attrs}
        if tag not in VOID_ELEMENTS:
            self._stack.append((tag, attributes.get("lang") or self.lang))
        if tag in RAW_TEXT:
            self._raw += 1
        for name in ("placeholder", "aria-label", "title", "alt"):
            if attributes.get(name):
                self.texts.append((attributes.get("lang") or self.lang, attributes[name]))
        if tag == "a" and attributes.get("href"):
            self.links.append(attributes["href"])
        elif tag == "form":
            self._form = Form(action=attributes.get("action", ""), method=attributes.get("method", "get").lower())
            self.forms.append(self._form)
        elif self._form is not None and tag in ("input", "button") and attributes.get("name"):
            kind = attributes.get("type", "text" if tag == "input" else "submit").lower()
            self._form.fields.append((attributes["name"], kind, attributes.get("value", ""), attributes))
        elif self._form is not None and tag == "select" and attributes.get("name"):
            self._select = attributes["name"]
            self._form.selects.setdefault(self._select, [])
        elif self._select is not None and tag == "option":
            self._form.selects[self._select].append(attributes.get("value"))
        elif self._form is not None and tag == "textarea" and attributes.get("name"):
            self._textarea = attributes["name"]
            self._form.textareas[self._textarea] = ""

    def handle_endtag(self, tag):
        if tag in RAW_TEXT:
            self._raw = max(0, self._raw - 1)
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None
        for index in range(len(self._stack) - 1, 0, -1):
            if self._stack[index][0] == tag:
                del self._stack[index:]
                break

    def handle_data(self, data):
        if self._raw:
            return
        if self._textarea is not None and self._form is not None:
            self._form.textareas[self._textarea] += data
        text = " ".join(data.split())
        if text:
            self.texts.append((self.lang, text))


def interface_strings() -> tuple[set[str], set[str]]:
    """(English strings whose Vietnamese differs, Vietnamese strings whose English differs), whole
    strings without placeholders, long enough to mean something."""
    with CATALOG.open("rb") as handle:
        catalog = read_po(handle, locale="vi")
    english, vietnamese = set(), set()
    for message in catalog:
        if not message.id or not isinstance(message.id, str) or not message.string:
            continue
        if "%(" in message.id or message.id == message.string or len(message.id) < 4:
            continue
        english.add(message.id)
        vietnamese.add(message.string)
    # A string that is the translation of one message and the source of another is both languages.
    return english - vietnamese, vietnamese - english


@dataclass
class Report:
    pages: set = field(default_factory=set)
    requests: int = 0
    forms: int = 0
    statuses: Counter = field(default_factory=Counter)
    problems: list = field(default_factory=list)

    def add(self, problem: str) -> None:
        if len(self.problems) < 200:
            self.problems.append(problem)


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), (150, 80, 30)).save(buffer, "JPEG")
    return buffer.getvalue()


class Crawler:
    def __init__(self, client, role: str, report: Report, english: set, vietnamese: set,
                 per_endpoint: int | None = None, everything_under=(), skip_actions=("/sign-out",)):
        self.client = client
        self.role = role
        self.report = report
        self.english = english
        self.vietnamese = vietnamese
        self.per_endpoint = per_endpoint
        self.submit_forms = True
        self.forms_found: dict = {}  # signature → (page, form), when forms are collected, not submitted
        self.everything_under = everything_under
        self.skip_actions = skip_actions
        self.seen: set[str] = set()
        self.by_shape: Counter = Counter()
        self.forms_done: set = set()
        self.visited: list[str] = []

    # --- visiting ---

    def crawl(self, starts: list[str], limit: int = 20_000) -> None:
        queue = [url for url in starts]
        while queue and len(self.visited) < limit:
            url = queue.pop(0)
            if not url or url in self.seen:
                continue
            self.seen.add(url)
            shape = self._shape(url)
            self.by_shape[shape] += 1
            capped = not urlsplit(url).path.removeprefix("/en").startswith(self.everything_under or ("\x00",))
            if capped and self.per_endpoint is not None and self.by_shape[shape] > self.per_endpoint:
                continue
            response = self.request("GET", url)
            self.visited.append(url)
            if response.status_code in (301, 302, 303) and response.location:
                queue.insert(0, self._local(url, response.location))  # next, as a browser follows it
                continue
            if not response.mimetype == "text/html":
                continue
            page = self.check(url, response)
            for href in page.links:
                local = self._local(url, href)
                if local and local not in self.seen:
                    queue.append(local)
            for form in page.forms:
                if not self.submit_forms:
                    self.forms_found.setdefault(self._signature(url, form), (url, form))
                    continue
                for follow in self.submit(url, form):
                    if follow and follow not in self.seen:
                        queue.insert(0, follow)

    def revisit_with_hostile_parameters(self) -> None:
        """Every page visited once more with one hostile parameter (in turn), and each kind of page with
        every one of them."""
        every_kind: dict[str, list[str]] = defaultdict(list)
        for index, url in enumerate(self.visited):
            name, value = HOSTILE_PARAMETERS[index % len(HOSTILE_PARAMETERS)]
            self.request("GET", self._with(url, name, value), expect_html_checks=True)
            kind = self._shape(url)
            if len(every_kind[kind]) < 2:
                every_kind[kind].append(url)
        for urls in every_kind.values():
            for url in urls:
                for name, value in HOSTILE_PARAMETERS:
                    self.request("GET", self._with(url, name, value), expect_html_checks=True)

    def request(self, method: str, url: str, expect_html_checks: bool = False, redirects: int = 3, **kwargs):
        response = self.client.open(url, method=method, **kwargs)
        self.report.requests += 1
        self.report.statuses[response.status_code // 100 * 100] += 1
        if method == "GET" and response.status_code == 200:
            self.report.pages.add(url)
        if response.status_code >= 500:
            self.report.add(f"{self.role}: {method} {url} answered {response.status_code}")
        elif expect_html_checks and response.mimetype == "text/html":
            self.check(url, response)
        if expect_html_checks and response.status_code in (301, 302, 303) and response.location and redirects:
            # Followed at once, as a browser does, so a message it flashed shows on the page it was for.
            target = self._local(url, response.location)
            if target:
                self.request("GET", target, expect_html_checks=True, redirects=redirects - 1)
        return response

    # --- checking ---

    def check(self, url: str, response) -> Page:
        body = response.get_data(as_text=True)
        lang = "en" if urlsplit(url).path.startswith("/en/") or urlsplit(url).path == "/en" else "vi"
        document_lang = re.search(r'<html lang="(\w+)"', body)
        page = Page(document_lang[1] if document_lang else lang)
        page.feed(body)
        where = f"{self.role}: {url} ({response.status_code})"
        for language, text in page.texts:
            for pattern, what in LEAKS:
                if pattern.search(text):
                    self.report.add(f"{where} shows {what}: {text[:120]!r}")
            if language == "vi" and text in self.english:
                self.report.add(f"{where}: English on a Vietnamese page: {text[:120]!r}")
            if language == "en" and text in self.vietnamese:
                self.report.add(f"{where}: Vietnamese on an English page: {text[:120]!r}")
        leak = ATTRIBUTE_LEAKS.search(body)
        if leak:
            self.report.add(f"{where} has an attribute {leak[0]}")
        return page

    # --- forms ---

    def submit(self, url: str, form: Form) -> list[str]:
        action = self._local(url, form.action or url)
        if not action or any(part in action for part in self.skip_actions):
            return []
        signature = self._signature(url, form)
        if signature in self.forms_done:
            return []
        self.forms_done.add(signature)
        data, files = self.fill(form)
        self.report.forms += 1
        if form.method == "post":
            response = self.request("POST", action, data={**data, **files}, expect_html_checks=True, csrf=False)
        else:
            separator = "&" if "?" in action else "?"
            response = self.request("GET", f"{action}{separator}{urlencode(list(data.items()), doseq=True)}",
                                    expect_html_checks=True)
        if response.status_code in (301, 302, 303) and response.location:
            return [self._local(action, response.location)]
        return []

    def _signature(self, url: str, form: Form) -> tuple:
        action = self._local(url, form.action or url) or ""
        names = tuple(sorted({name for name, *_ in form.fields} | set(form.selects) | set(form.textareas)))
        return self._shape(action), form.method, names

    def fill(self, form: Form) -> tuple[dict, dict]:
        """Plausible values for every field, as a person would fill the form in."""
        data: dict = {}
        files: dict = {}
        chosen_radios = set()
        for name, kind, value, attributes in form.fields:
            if kind in ("submit", "button", "image", "reset"):
                if value and name not in data:
                    data[name] = value
                continue
            if kind == "hidden":
                data.setdefault(name, value)
            elif kind == "checkbox":
                if isinstance(data.get(name), list):
                    data[name].append(value or "on")
                elif name not in data:
                    data[name] = [value or "on"]
            elif kind == "radio":
                if name not in chosen_radios:
                    chosen_radios.add(name)
                    data[name] = value
            elif kind == "file":
                accept = attributes.get("accept", "")
                if "csv" in accept or "xlsx" in accept or "spreadsheet" in accept:
                    files[name] = (io.BytesIO(SAMPLE_IMPORT.read_bytes()), "danh-sach.csv")
                else:
                    files[name] = (io.BytesIO(png_bytes()), "anh.jpg")
            else:
                data[name] = value or self._plausible(name, kind, attributes)
        for name, options in form.selects.items():
            choices = [option for option in options if option]
            data[name] = choices[0] if choices else (options[0] if options else "")
        for name, text in form.textareas.items():
            data[name] = text.strip() or "Nội dung kiểm tra của trình thu thập: đủ dài để là một lý do rõ ràng."
        return data, files

    @staticmethod
    def _plausible(name: str, kind: str, attributes: dict) -> str:
        lowered = name.lower()
        if kind == "email" or "email" in lowered:
            return "khach.kiem.tra@example.vn"
        if kind == "tel" or "phone" in lowered:
            return "0912 345 678"
        if kind == "password" or "password" in lowered or lowered == "confirm":
            return "Một-mật-khẩu-rất-khó-đoán-2026"
        if kind == "date" or lowered.endswith(("date", "_on", "since", "until", "day")):
            return (today() + timedelta(days=3)).isoformat()
        if kind == "time":
            return "09:00"
        if kind == "number" or lowered in ("quantity", "price", "stock", "score", "party_size", "stars"):
            low = attributes.get("min")
            return low if low not in (None, "") and low != "0" else "1"
        if kind == "url" or "website" in lowered:
            return "https://example.vn"
        if lowered in ("q", "near", "search"):
            return "tỏi"
        if "lat" == lowered:
            return "15.12"
        if "lng" == lowered:
            return "108.80"
        return "Nguyễn Văn Kiểm Tra"

    # --- addresses ---

    @staticmethod
    def _local(base: str, href: str) -> str | None:
        href = html.unescape(href or "")
        absolute = urljoin("http://localhost" + base, href)
        parts = urlsplit(absolute)
        if parts.netloc != "localhost" or parts.scheme not in ("http", "https"):
            return None
        if parts.path.startswith(("/static/", "/media/")) or parts.path.endswith((".svg", ".png", ".pdf", ".xlsx",
                                                                                     ".csv", ".xml", ".geojson")):
            return None
        return parts.path + (f"?{parts.query}" if parts.query else "")

    @staticmethod
    def _shape(url: str) -> str:
        """The kind of page: the path with its numbers and slugs generalised, and its query's names."""
        parts = urlsplit(url)
        path = re.sub(r"/\d+", "/N", parts.path)
        path = re.sub(r"/(products|producers|sales-points|destinations|verify|orders)/[^/]+", r"/\1/S", path)
        names = ",".join(sorted({name for name, _ in parse_qsl(parts.query, keep_blank_values=True)}))
        return f"{path}?{names}"

    @staticmethod
    def _with(url: str, name: str, value: str) -> str:
        separator = "&" if "?" in url else "?"
        return f"{url}{separator}{urlencode({name: value})}"
