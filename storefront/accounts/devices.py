"""A signed-in session's device in words ("Chrome on Android"), from the browser's User-Agent header: what
lets the owner recognise a session on the account page. A guess from what the browser says, never a
proof, so nothing but that page relies on it."""
from flask_babel import gettext as _

# The first name found wins: Edge and Opera also call themselves Chrome, Chrome also calls itself Safari.
BROWSERS = (("Edg", "Edge"), ("OPR", "Opera"), ("CocCoc", "Cốc Cốc"), ("SamsungBrowser", "Samsung Internet"),
            ("Firefox", "Firefox"), ("FxiOS", "Firefox"), ("CriOS", "Chrome"), ("Chromium", "Chromium"),
            ("Chrome", "Chrome"), ("Safari", "Safari"))
SYSTEMS = (("Android", "Android"), ("iPhone", "iPhone"), ("iPad", "iPad"), ("Windows", "Windows"),
           ("Mac OS X", "macOS"), ("Macintosh", "macOS"), ("CrOS", "ChromeOS"), ("Linux", "Linux"))


def describe_device(user_agent: str | None) -> str:
    agent = user_agent or ""
    browser = next((name for marker, name in BROWSERS if marker in agent), None)
    system = next((name for marker, name in SYSTEMS if marker in agent), None)
    if browser and system:
        return _("%(browser)s on %(system)s", browser=browser, system=system)
    return browser or system or _("Unknown browser")
