"""Templates compiled once per language, with their literal texts already translated.

A page calls `_('…')` some sixty times; each call is a catalogue lookup at render time. Here every
template is compiled once for Vietnamese and once for English, and a call whose message is a literal
(`_('Products')`, `_('Cart (%(count)s)', count=n)`) becomes the translated constant at compile time,
with the same newstyle semantics as the runtime callable: the text is markup-safe where the template
autoescapes, `%` formatting always applies, and the values passed in are escaped. Anything else
(a message held in a variable, `{% trans %}` blocks, ngettext) still translates at render time.

Which compilation a render uses follows the active language, so a forced locale (an e-mail in the
order's language) renders in that language too. Outside a request there is no language, and the plain
environment (runtime translation) serves.
"""
import hashlib
from pathlib import Path

from flask.templating import Environment
from flask_babel import force_locale
from jinja2 import FileSystemBytecodeCache, nodes
from jinja2.visitor import NodeTransformer

LANGUAGES = ("vi", "en")


class _TranslateLiterals(NodeTransformer):
    def __init__(self, catalogue):
        self.catalogue = catalogue

    def visit_Call(self, node):
        node = self.generic_visit(node)
        if not (isinstance(node.node, nodes.Name) and node.node.name == "_" and len(node.args) == 1
                and isinstance(node.args[0], nodes.Const) and isinstance(node.args[0].value, str)
                and node.args[0].value and node.dyn_args is None and node.dyn_kwargs is None):
            return node
        translated = self.catalogue.ugettext(node.args[0].value)
        text = nodes.MarkSafeIfAutoescape(nodes.Const(translated), lineno=node.lineno)
        if not node.kwargs:
            try:
                text.expr.value = translated % {}
            except (TypeError, ValueError, KeyError):
                return node  # the runtime call raises the same error where it belongs
            return text
        values = nodes.Dict([nodes.Pair(nodes.Const(kwarg.key), kwarg.value, lineno=node.lineno)
                             for kwarg in node.kwargs], lineno=node.lineno)
        return nodes.Mod(text, values, lineno=node.lineno)


class LanguageEnvironment(Environment):
    """The app's Jinja environment: it hands each template lookup to the active language's compilation."""

    language: str | None = None  # set on the per-language overlays

    def _for_language(self):
        if self.language is not None:
            return None
        from .i18n import active_language, has_language
        if not has_language():
            return None
        overlays = self.__dict__.get("_overlays")
        if overlays is None:
            overlays = self._overlays = {lang: self._make_overlay(lang) for lang in LANGUAGES}
        return overlays.get(active_language())

    def _make_overlay(self, lang: str):
        options = {}
        if self.bytecode_cache is not None:
            # Compiled code depends on the catalogue too: a new translation gets a new folder.
            folder = Path(self.bytecode_cache.directory) / f"{lang}-{_catalogue_digest(self.app, lang)}"
            try:
                folder.mkdir(exist_ok=True)
                options["bytecode_cache"] = FileSystemBytecodeCache(str(folder))
            except OSError:
                options["bytecode_cache"] = None
        overlay = self.overlay(**options)
        overlay.language = lang
        return overlay

    def make_globals(self, d):
        # Jinja chains a template's own globals before the environment's; templates here have none, and
        # every import would otherwise compare its caller's globals with that chain, key by key.
        return self.globals if not d else super().make_globals(d)

    def get_template(self, name, parent=None, globals=None):
        overlay = self._for_language()
        if overlay is not None:
            return overlay.get_template(name, parent, globals)
        return super().get_template(name, parent, globals)

    def select_template(self, names, parent=None, globals=None):
        overlay = self._for_language()
        if overlay is not None:
            return overlay.select_template(names, parent, globals)
        return super().select_template(names, parent, globals)

    def _parse(self, source, name, filename):
        tree = super()._parse(source, name, filename)
        if self.language is None:
            return tree
        from .i18n import translations
        with force_locale(self.language):
            return _TranslateLiterals(translations()).visit(tree)


def _catalogue_digest(app, lang: str) -> str:
    digest = hashlib.sha256(lang.encode())
    for folder in str(app.config.get("BABEL_TRANSLATION_DIRECTORIES", "")).split(";"):
        catalogue = Path(folder) / lang / "LC_MESSAGES" / "messages.mo"
        if catalogue.is_file():
            digest.update(catalogue.read_bytes())
    return digest.hexdigest()[:12]
