"""Searching the catalogue: the Whoosh index scored in memory (memory.py), kept to what is certified today
by the listing, whose bitsets count the facets."""
import math
import pickle
import re
import struct
import unicodedata
import zlib
from dataclasses import dataclass, field

import numpy as np
from flask import current_app
from markupsafe import Markup
from sqlalchemy import select

from ..catalog.forms import CatalogueFilters
from ..catalog.listing import current_listing
from ..catalog.models import Producer, Product
from ..catalog.queries import ProductCard, cards_for
from ..extensions import db
from ..i18n import localized
from ..pagecache import derived
from . import glossary, index, memory
from .analysis import ENGLISH, EXACT, FOLDED, terms
from .highlight import Matcher, mark, snippet

MAX_QUERY_LENGTH = 200
FUZZY_FROM_LENGTH = 4
LONG_WORD = 7
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def clean_query(raw: str) -> str:
    """NFC, no control characters, single spaces, at most MAX_QUERY_LENGTH characters."""
    text = CONTROL.sub(" ", unicodedata.normalize("NFC", raw or ""))
    return " ".join(text.split())[:MAX_QUERY_LENGTH].strip()


def is_prefix(last_word: str, word_count: int) -> bool:
    """Whether the last word typed may be unfinished: "mach n" means mạch nha, but a lone "n" means
    nothing worth expanding to every word that starts with it."""
    return len(last_word) >= 2 or word_count > 1


def build_query(snap: memory.Snapshot, text: str, require_all: bool = True, fuzzy: bool = False):
    """(scores, matched) over the snapshot's documents. Each word must match a field (or, with
    require_all=False, any word may) folded, with its exact accents, by English stem, as a prefix for
    the last word typed, and with fuzzy=True by a near spelling; words side by side in a name, a place
    or a producer, and a name that starts with them, rank higher. Scores add up as Whoosh's And, Or and
    AndMaybe add them; a prefix or a near spelling scores as the best term it stands for."""
    folded, exact, english = terms(FOLDED, text), terms(EXACT, text), terms(ENGLISH, text)
    if not folded:
        return None
    if fuzzy:  # a key pressed twice: "toii" is "tỏi", "honney" is "honey"
        for position, word in enumerate(folded):
            single = _single_letters(word)
            if single != word and _unknown(snap, word) and not _unknown(snap, single):
                folded[position], exact[position] = single, _single_letters(exact[position])
                english[position] = (terms(ENGLISH, single) or [single])[0]
    size = snap.size
    total = np.zeros(size, np.float32)
    required = None
    for position, (word, accented, stem) in enumerate(zip(folded, exact, english)):
        score = np.zeros(size, np.float32)
        for field, term, boost in (("name", word, 1.0), ("name_exact", accented, 2.0), ("producer", word, 1.0),
                                   ("places", word, 1.0), ("text", word, 1.0), ("name_en", stem, 1.0),
                                   ("text_en", stem, 1.0)):
            _add(score, snap.term_scores(field, term), boost)
        expansions = []
        if fuzzy and len(word) >= FUZZY_FROM_LENGTH:
            expansions += [("name", snap.near("name", word, _edits(word)), 0.4),
                           ("name_en", snap.near("name_en", stem, _edits(stem)), 0.3),
                           ("text", snap.near("text", word, _edits(word)), 0.1)]
        if position == len(folded) - 1 and is_prefix(word, len(folded)):
            expansions += [("name", snap.with_prefix("name", word), 0.6),
                           ("name_en", snap.with_prefix("name_en", word), 0.4),
                           ("producer", snap.with_prefix("producer", word), 0.3)]
        for field, found, boost in expansions:
            if found:
                best = np.zeros(size, np.float32)
                for term in found:
                    scored = snap.term_scores(field, term)
                    if scored is not None:
                        best[scored[0]] = np.maximum(best[scored[0]], scored[1])
                score += best * boost
        matched = score > 0
        required = matched if required is None else (required & matched if require_all else required | matched)
        total += score
    if fuzzy:  # the boosts of what was meant: "garlik" is garlic, whose name starts with "tỏi"
        folded = [_corrected(snap, word, FOLDED_FIELDS) for word in folded]
        english = [_corrected(snap, stem, ENGLISH_FIELDS) for stem in english]
    boosts = [("name_lead", [index.NAME_START] + folded[:index.LEAD_WORDS], 4.0)]
    if len(folded) > 1:
        # Phrases only in the short name fields: positions in long texts cost more than they tell.
        boosts += [("name", folded, 3.0), ("name_exact", exact, 3.0), ("name_en", english, 2.0),
                   ("places", folded, 2.0), ("producer", folded, 1.5)]
    boosts += [("name_lead", [index.NAME_START] + words[:index.LEAD_WORDS], 4.0)
               for words in glossary.vietnamese_names(english)]
    for field, words, boost in boosts:
        _add_phrase(total, snap, field, words, boost, required)
    return total, required


FOLDED_FIELDS = ("name", "text", "producer", "places")
ENGLISH_FIELDS = ("name_en", "text_en")


def _edits(word: str) -> int:
    """How far a near spelling may be: one letter, two in a long word ("cinammon")."""
    return 2 if len(word) >= LONG_WORD else 1


REPEATED = re.compile(r"(\w)\1+")


def _single_letters(word: str) -> str:
    return REPEATED.sub(r"\1", word)


def _unknown(snap: memory.Snapshot, word: str) -> bool:
    return not any(snap.has(field, word) for field in FOLDED_FIELDS)


def _corrected(snap: memory.Snapshot, word: str, fields: tuple[str, ...]) -> str:
    """The word as it is, if the index knows it; else its nearest (then commonest) near spelling in the
    first field that has one."""
    if len(word) < FUZZY_FROM_LENGTH or any(snap.has(field, word) for field in fields):
        return word
    for field in fields:
        near = snap.near(field, word, _edits(word))
        if near:  # the nearest, then the commonest
            return min(near, key=lambda term: (memory.edits(word, term, 2), -snap.document_frequency(field, term),
                                               term))
    return word


def _add(score: np.ndarray, scored, boost: float) -> None:
    if scored is not None:
        score[scored[0]] += scored[1] * boost


def _add_phrase(total: np.ndarray, snap: memory.Snapshot, field: str, words: list[str], boost: float,
                required: np.ndarray) -> None:
    """Adds boost × the words' scores in the field to the documents where they stand side by side."""
    found = [snap.postings(field, word) for word in words]
    if any(postings is None for postings in found):
        return
    together, score = None, np.zeros(snap.size, np.float32)
    for word, (documents, _, masks) in zip(words, found):
        mask = np.zeros(snap.size, np.uint64)
        mask[documents] = masks
        together = mask if together is None else (together << np.uint64(1)) & mask
        _add(score, snap.term_scores(field, word), 1.0)
    hit = (together != 0) & required
    total[hit] += score[hit] * boost


# Tried in turn until one finds a certified product: exact words first, near spellings only when needed,
# then any of the words.
ATTEMPTS = ({"require_all": True}, {"require_all": True, "fuzzy": True}, {"require_all": False, "fuzzy": True})


@dataclass
class SearchPage:
    query: str
    filters: CatalogueFilters
    cards: list[ProductCard] = field(default_factory=list)
    total: int = 0
    facets: dict = field(default_factory=dict)
    names: dict[int, Markup] = field(default_factory=dict)
    snippets: dict[int, Markup] = field(default_factory=dict)
    partial: bool = False  # no product matched every word: these match some
    suggestion: str | None = None  # "did you mean", when nothing matched
    degraded: bool = False  # the index is being rebuilt: a simpler search answered

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.filters.per_page))


def search(raw_query: str, filters: CatalogueFilters) -> SearchPage:
    query = clean_query(raw_query)
    if not terms(FOLDED, query):
        return SearchPage("", filters)  # nothing searchable ("!!!"): the page offers the search form
    page = SearchPage(query, filters)
    listing = current_listing()
    try:
        ranked, page.partial, page.suggestion = _ranked_positions(query, listing)
    except index.IndexUnavailable:
        index.recover(current_app._get_current_object())
        try:  # recovered already when rebuilds run inline
            ranked, page.partial, page.suggestion = _ranked_positions(query, listing)
        except index.IndexUnavailable:
            ranked, page.degraded = _fallback_positions(query, listing), True
    size = len(listing.rows)
    within = _bitset(ranked, size)
    chosen = _members(listing.mask(filters, within=within), size)
    ranked = ranked[chosen[ranked]]
    page.total = len(ranked)
    page.facets = listing.facets(filters, within=within)
    start = (filters.page - 1) * filters.per_page
    rows = [listing.rows[i] for i in ranked[start:start + filters.per_page].tolist()]
    page.cards = cards_for(rows)
    matcher = Matcher(query)
    for card in page.cards:
        product = card.product
        page.names[product.id] = mark(localized(product, "name"), matcher)
        for field_name in ("summary", "description", "story", "heritage"):
            found = snippet(localized(product, field_name), matcher)
            if found:
                page.snippets[product.id] = found
                break
    return page


def _bitset(positions: np.ndarray, size: int) -> int:
    """The listing's bitset (bit i for position i) of these positions."""
    chosen = np.zeros(size, bool)
    chosen[positions] = True
    return int.from_bytes(np.packbits(chosen, bitorder="little").tobytes(), "little")


def _members(bitset: int, size: int) -> np.ndarray:
    """A listing bitset as one boolean per position."""
    packed = np.frombuffer(bitset.to_bytes(size // 8 + 1, "little"), np.uint8)
    return np.unpackbits(packed, bitorder="little")[:size].astype(bool)


def _snapshot() -> memory.Snapshot:
    return memory.snapshot()


def _ranked(snap: memory.Snapshot, query: str, listing, attempt: dict) -> np.ndarray:
    """Listing positions of the certified products that match, best score first, then in the listing's
    order (best stars first)."""
    found = build_query(snap, query, **attempt)
    if found is None:
        return np.zeros(0, np.int64)
    scores, matched = found
    positions = snap.positions_in(listing)
    documents = np.flatnonzero(matched & (positions >= 0))
    if not len(documents):
        return np.zeros(0, np.int64)
    listed, scored = positions[documents].astype(np.int64), scores[documents]
    order = np.lexsort((listed, -scored))
    listed = listed[order]
    _, first = np.unique(listed, return_index=True)  # one document per product, whatever happens
    return listed if len(first) == len(listed) else listed[np.sort(first)]


def _guarded(work):
    """Runs work(snapshot): a segment that turns out damaged while it is read makes the index unavailable."""
    snap = _snapshot()
    problem = None
    try:
        return work(snap)
    except index.IndexUnavailable:
        raise
    except (OSError, EOFError, ValueError, KeyError, IndexError, TypeError, struct.error, zlib.error,
            pickle.UnpicklingError) as error:
        problem = repr(error)  # only its description: the error's frames hold the damaged file open
    memory.holder().forget()
    current_app.logger.warning("search index unreadable while searching: %s", problem)
    raise index.IndexUnavailable(problem)


def _ranked_positions(query: str, listing) -> tuple[np.ndarray, bool, str | None]:
    """Listing positions, best first; whether only some words matched; a spelling suggestion."""

    def work(snap):
        for attempt in ATTEMPTS:
            ranked = _ranked(snap, query, listing, attempt)
            if len(ranked):
                return ranked, not attempt["require_all"], None
        return np.zeros(0, np.int64), False, _did_you_mean(snap, query, listing)

    return _guarded(work)


def _did_you_mean(snap: memory.Snapshot, query: str, listing) -> str | None:
    words, corrected = terms(FOLDED, query), []
    for word in words:
        corrected.append(_closest(snap, "name", word) or _closest(snap, "text", word) or word)
    if corrected == words:
        return None
    suggestion = " ".join(corrected)
    return suggestion if len(_ranked(snap, suggestion, listing, ATTEMPTS[0])) else None


def _closest(snap: memory.Snapshot, field: str, word: str) -> str | None:
    """The commonest term of the field nearest to the word (two edits at most), if it is not there."""
    if snap.has(field, word):
        return None
    candidates = [(memory.edits(word, term, 2), -snap.document_frequency(field, term), term)
                  for term in snap.near(field, word, distance=2)]
    return min(candidates)[2] if candidates else None


def _fallback_positions(query: str, listing) -> np.ndarray:
    """While the index is rebuilt: products whose name holds every word (folded), best stars first."""
    words = terms(FOLDED, query)
    return np.array([position for position, row in enumerate(listing.rows)
                     if all(any(part.startswith(word) for part in row.name_key[0].split()) for word in words)],
                    np.int64)


SUGGESTION_LIMIT = 8


def _suggested_positions(query: str, listing) -> np.ndarray:
    """The first attempts of a search (exact words, then near spellings), a few results."""

    def work(snap):
        for attempt in ATTEMPTS[:2]:
            ranked = _ranked(snap, query, listing, attempt)
            if len(ranked):
                return ranked[:SUGGESTION_LIMIT]
        return np.zeros(0, np.int64)

    return _guarded(work)


@dataclass(frozen=True, slots=True)
class Label:
    """What a suggestion shows of a product, kept per worker so that suggesting reads no table."""
    name_vi: str
    name_en: str | None
    slug: str
    producer_name: str


def _build_labels() -> dict[int, Label]:
    rows = db.session.execute(select(Product.id, Product.name_vi, Product.name_en, Product.slug, Producer.name)
                              .join(Producer, Producer.id == Product.producer_id))
    return {id_: Label(name_vi, name_en, slug, producer) for id_, name_vi, name_en, slug, producer in rows}


def labels() -> dict[int, Label]:
    """Every product's label, rebuilt when the public content changes."""
    return derived("search.labels", _build_labels)


def suggestions(raw_query: str) -> list[dict]:
    """Certified products whose name (or producer) starts like what is being typed."""
    query = clean_query(raw_query)
    if len(query) < 2 or not terms(FOLDED, query):
        return []
    listing = current_listing()
    try:
        ranked = _suggested_positions(query, listing)
    except index.IndexUnavailable:
        index.recover(current_app._get_current_object())
        ranked = _fallback_positions(query, listing)
    known, matcher = labels(), Matcher(query)
    rows = [listing.rows[i] for i in ranked[:SUGGESTION_LIMIT].tolist()]
    return [{"id": row.id, "product": known[row.id], "stars": row.stars,
             "label_html": mark(localized(known[row.id], "name"), matcher)}
            for row in rows if row.id in known]
