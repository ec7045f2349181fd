"""Browser tests: the demo catalogue served by a real server, driven by Debian's Chromium.

One browser and one server for the session, one browser context per test. Without /usr/bin/chromium
or node_modules/axe-core these tests are skipped, unless REQUIRE_BROWSER=1 (CI) makes that an error.
"""
import base64
import os
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from werkzeug.serving import WSGIRequestHandler, make_server

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
AXE_SCRIPT = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"

DEVICES = {
    "desktop": {"viewport": {"width": 1280, "height": 900}},
    "phone": {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 3, "is_mobile": True,
              "has_touch": True,
              "user_agent": "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
                            "Chrome/130.0.0.0 Mobile Safari/537.36"},
}

# Every securitypolicyviolation the page raises, kept where the test can read it. Playwright injects
# this through the DevTools protocol, so the site's Content-Security-Policy does not block it.
RECORD_CSP_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  const where = `${event.sourceFile}:${event.lineNumber}`;
  window.__cspViolations.push(`${event.effectiveDirective} refused ${event.blockedURI || "inline code"} at ${where}`);
});
"""

# A 1×1 PNG for every map tile: browser tests never reach OpenStreetMap's tile servers (the configured
# MAP_TILE_URL); a test that wants failing tiles routes them itself.
TILE_PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8/5+hHgAHggJ/PchI7wAAAABJRU5ErkJggg==")
TILE_URLS = re.compile(r"^https://tile\.openstreetmap\.org/")

AXE_RUN = """async () => {
  const results = await axe.run(document, {resultTypes: ["violations"]});
  return results.violations.map((violation) => ({
    id: violation.id,
    impact: violation.impact,
    help: violation.help,
    nodes: violation.nodes.map((node) => ({
      target: node.target.join(" "),
      html: node.html.slice(0, 160),
      summary: (node.failureSummary || "").replace(/\\s+/g, " ").slice(0, 300),
    })),
  }));
}"""


def _unavailable(what: str):
    if os.environ.get("REQUIRE_BROWSER") == "1":
        pytest.fail(f"REQUIRE_BROWSER=1 but {what}", pytrace=False)
    pytest.skip(f"browser tests skipped: {what} (set REQUIRE_BROWSER=1 to make this an error)")


@pytest.fixture(scope="session", autouse=True)
def browser_tools():
    """Checked before anything is built, so a machine without them skips at once."""
    if not CHROMIUM.exists():
        _unavailable(f"{CHROMIUM} is missing (apt-get install chromium)")
    if not AXE_SCRIPT.exists():
        _unavailable(f"{AXE_SCRIPT} is missing (run npm ci)")


@pytest.fixture(scope="session")
def browser(browser_tools):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def axe_script(browser) -> str:
    return AXE_SCRIPT.read_text(encoding="utf-8")


class _QuietHandler(WSGIRequestHandler):
    def log_request(self, *args, **kwargs):
        pass


def _closed_before_sending(app):
    """Each response read whole and closed before Werkzeug's server writes it.

    When a browser drops a connection in the middle of a response (it often does for a stylesheet it
    no longer needs), Werkzeug's development server fails while draining the socket and never closes
    the response, so the static file it was sending stays open (a ResourceWarning, an error here).
    Gunicorn closes it; this keeps the test server from failing a test for the browser's timing."""
    def buffered(environ, start_response):
        body = app(environ, start_response)
        try:
            return [b"".join(body)]
        finally:
            if hasattr(body, "close"):
                body.close()
    return buffered


@pytest.fixture(scope="session")
def live_server(demo_app) -> str:
    """The demo app served over HTTP in a background thread; Flask pushes its context per request."""
    server = make_server("127.0.0.1", 0, _closed_before_sending(demo_app), threaded=True,
                         request_handler=_QuietHandler)
    thread = threading.Thread(target=server.serve_forever, name="e2e-server", daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)
    server.server_close()


@dataclass
class BrowserLog:
    """What the browser complained about while a test's pages were open."""

    base_url: str
    problems: list[str] = field(default_factory=list)
    # Pages the test opens knowing they answer with an error status (a 404 page): Chromium logs
    # “Failed to load resource” for them, which is expected.
    expected_error_urls: set[str] = field(default_factory=set)

    def expect_error_status(self, path: str) -> None:
        self.expected_error_urls.add(self.base_url + path)

    def watch(self, page) -> None:
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.problems.append(f"uncaught error on {page.url}: {error}"))

    def _console(self, message) -> None:
        if message.type != "error":
            return
        url = message.location.get("url", "")
        if url in self.expected_error_urls and re.search(r"status of 4\d\d", message.text):
            return
        self.problems.append(f"console error on {url or '?'}: {message.text}")


@pytest.fixture
def open_page(browser, live_server):
    """open_page("phone", java_script_enabled=False) → a new page in its own context, watched."""
    contexts = []

    def open_(device="desktop", **options):
        context = browser.new_context(base_url=live_server, **DEVICES[device], **options)
        context.set_default_timeout(10_000)
        context.add_init_script(RECORD_CSP_VIOLATIONS)
        context.route(TILE_URLS, lambda route: route.fulfill(body=TILE_PNG, content_type="image/png"))
        contexts.append(context)
        page = context.new_page()
        page.javascript_enabled = options.get("java_script_enabled", True)
        page.log = BrowserLog(live_server)
        page.log.watch(page)
        return page

    yield open_
    for context in contexts:
        context.close()


@pytest.fixture
def check_page(browser, axe_script):
    """check_page(page): no serious or critical axe violation, no console error, no CSP violation."""

    def check(page, accessibility: bool = True) -> None:
        problems = list(page.log.problems)
        problems += [f"CSP violation on {page.url}: {v}"
                     for v in page.evaluate("window.__cspViolations || []")]
        assert not problems, "The browser reported problems:\n" + "\n".join(problems)
        if accessibility:
            if page.javascript_enabled:
                violations = axe_violations(page, axe_script)
            else:
                violations = axe_violations_without_javascript(browser, page, axe_script)
            assert not violations, (f"axe found serious or critical violations on {page.url}:\n"
                                    + describe_violations(violations))

    return check


def axe_violations(page, axe_script: str) -> list[dict]:
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(axe_script)
    return [violation for violation in page.evaluate(AXE_RUN)
            if violation["impact"] in ("serious", "critical")]


def axe_violations_without_javascript(browser, page, axe_script: str) -> list[dict]:
    """axe schedules its work with timers, which never fire where JavaScript is off, so page.evaluate
    would wait forever. The page as that visitor has it is shown again, with its address and styles, in a
    page where JavaScript runs for axe alone: the site's own scripts are refused, so axe sees the page
    the visitor without JavaScript sees."""
    html, address = page.content(), page.url
    context = browser.new_context(viewport=page.viewport_size)
    try:
        context.set_default_timeout(10_000)
        context.route(lambda url: url == address, lambda route: route.fulfill(body=html, content_type="text/html; charset=utf-8"))
        context.route(re.compile(r"\.js(\?|$)"), lambda route: route.abort())
        context.route(TILE_URLS, lambda route: route.abort())
        twin = context.new_page()
        twin.goto(address)
        return axe_violations(twin, axe_script)
    finally:
        context.close()


def describe_violations(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"]:
            lines.append(f"    at {node['target']}  {node['html']}")
            if node["summary"]:
                lines.append(f"       {node['summary']}")
    return "\n".join(lines)


@pytest.fixture
def in_demo(demo_app):
    """in_demo(function): the function's result, computed in the demo app's own database session."""
    def run(function):
        with demo_app.app_context():
            return function()
    return run
