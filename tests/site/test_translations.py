"""Every user-facing string exists in both languages: the Vietnamese catalogue is complete and current."""
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
CATALOG = ROOT / "storefront/translations/vi/LC_MESSAGES/messages.po"
METHODS = [("storefront/**.py", "python"), ("admin/**.py", "python"),
           ("templates/**.html", "jinja2"), ("templates/**.xml", "jinja2")]
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None}


def source_messages() -> set:
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
            ROOT, METHODS, keywords=KEYWORDS, directory_filter=lambda path: "node_modules" not in path
            and not Path(path).name.startswith(".")):
        found.add(message if isinstance(message, str) else message[0])
    return found


def test_every_string_in_the_code_has_a_vietnamese_translation():
    with CATALOG.open("rb") as handle:
        catalog = read_po(handle, locale="vi")
    translated = {}
    for message in catalog:
        if message.id:
            key = message.id if isinstance(message.id, str) else message.id[0]
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            translated[key] = all(strings) and not message.fuzzy
    missing = sorted(source_messages() - set(translated))
    untranslated = sorted(key for key, done in translated.items() if not done)
    assert not missing, f"not in the catalogue, run `make extract-messages` and translate: {missing}"
    assert not untranslated, f"untranslated or fuzzy: {untranslated}"
