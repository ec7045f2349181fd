"""Searching the catalogue: ranked by Whoosh, kept to what is certified today by the listing."""
import math
import re
import unicodedata
from dataclasses import dataclass, field

from flask import current_app
from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from whoosh.query import And, AndMaybe, FuzzyTerm, Or, Phrase, Prefix, Term

from ..catalog.forms import CatalogueFilters
from ..catalog.listing import current_listing
from ..catalog.models import Product
from ..catalog.queries import ProductCard, cards_for
from ..extensions import db
from ..i18n import localized
from . import glossary, index
from .analysis import ENGLISH, EXACT, FOLDED, terms
from .highlight import Matcher, mark, snippet

MAX_QUERY_LENGTH = 200
SCORED_LIMIT = 300
FUZZY_FROM_LENGTH = 5
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def clean_query(raw: str) -> str:
    """NFC, no control characters, single spaces, at most MAX_QUERY_LENGTH characters."""
    text = CONTROL.sub(" ", unicodedata.normalize("NFC", raw or ""))
    return " ".join(text.split())[:MAX_QUERY_LENGTH].strip()


def is_prefix(last_word: str, word_count: int) -> bool:
    """Whether the last word typed may be unfinished: "mach n" means mạch nha, but a lone "n" means
    nothing worth expanding to every word that starts with it."""
    return len(last_word) >= 2 or word_count > 1


def build_query(text: str, require_all: bool = True, fuzzy: bool = False):
    """Each word must match a field (or, with require_all=False, any word may) folded, with its exact
    accents, by English stem, as a prefix for the last word typed, and with fuzzy=True by a near
    spelling (long words only); words side by side in a name or text, and a name that starts with
    them, rank higher."""
    folded, exact, english = terms(FOLDED, text), terms(EXACT, text), terms(ENGLISH, text)
    if not folded:
        return None
    per_word = []
    for position, (word, accented, stem) in enumerate(zip(folded, exact, english)):
        alternatives = [Term("name", word), Term("name_exact", accented, boost=2.0), Term("producer", word),
                        Term("places", word), Term("text", word), Term("name_en", stem),
                        Term("text_en", stem)]
        if fuzzy and len(word) >= FUZZY_FROM_LENGTH:
            alternatives += [FuzzyTerm("name", word, boost=0.4), FuzzyTerm("name_en", stem, boost=0.3),
                             FuzzyTerm("text", word, boost=0.1)]
        if position == len(folded) - 1 and is_prefix(word, len(folded)):
            alternatives += [Prefix("name", word, boost=0.6), Prefix("name_en", word, boost=0.4),
                             Prefix("producer", word, boost=0.3)]
        per_word.append(Or(alternatives))
    required = And(per_word) if require_all else Or(per_word)
    boosts = [_name_starts_with(folded)]
    if len(folded) > 1:
        # Phrases only in the short name fields: positions in long texts cost more than they tell.
        boosts += [Phrase("name", folded, boost=3.0), Phrase("name_exact", exact, boost=3.0),
                   Phrase("name_en", english, boost=2.0), Phrase("places", folded, boost=2.0),
                   Phrase("producer", folded, boost=1.5)]
    boosts += [_name_starts_with(words) for words in glossary.vietnamese_names(english)]
    return AndMaybe(required, Or(boosts))


def _name_starts_with(folded_words: list[str]):
    return Phrase("name_lead", [index.NAME_START] + folded_words[:index.LEAD_WORDS], boost=4.0)


# Tried in turn until one finds a certified product: exact words first, near spellings only when needed
# (fuzzy matching is the costly part), then any of the words.
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
        ranked, page.partial, page.suggestion = _ranked_ids(query, listing)
    except index.IndexUnavailable:
        index.recover(current_app._get_current_object())
        try:  # recovered already when rebuilds run inline
            ranked, page.partial, page.suggestion = _ranked_ids(query, listing)
        except index.IndexUnavailable:
            ranked, page.degraded = _fallback_ids(query, listing), True
    within = listing.mask_of(ranked)
    matching = listing.members(listing.mask(filters, within=within))
    ranked = [i for i in ranked if matching[listing.position[i] >> 3] >> (listing.position[i] & 7) & 1]
    page.total = len(ranked)
    page.facets = listing.facets(filters, within=within)
    start = (filters.page - 1) * filters.per_page
    rows = [listing.rows[listing.position[i]] for i in ranked[start:start + filters.per_page]]
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


def _ranked_ids(query: str, listing) -> tuple[list[int], bool, str | None]:
    """Listed product ids, best first; whether only some words matched; a spelling suggestion."""
    ix = index.open_index()
    try:
        with ix.searcher() as searcher:
            for attempt in ATTEMPTS:
                ranked = _matching_ids(searcher, build_query(query, **attempt), listing)
                if ranked:
                    return ranked, not attempt["require_all"], None
            return [], False, _did_you_mean(searcher, query, listing)
    except index.IndexUnavailable:
        raise
    except Exception as error:  # a segment that went missing or bad under a reader
        raise index.IndexUnavailable(repr(error)) from error


def _matching_ids(searcher, whoosh_query, listing) -> list[int]:
    """Every listed product that matches: the best SCORED_LIMIT by score, the rest (rarely paged to)
    in the listing's order. Scoring every match of a common word is what makes Whoosh slow."""
    ids = searcher.reader().stored_fields
    best = [int(hit["id"]) for hit in searcher.search(whoosh_query, limit=SCORED_LIMIT)]
    ranked = [i for i in best if i in listing.position]
    if len(best) == SCORED_LIMIT:
        seen = set(best)
        rest = {int(ids(number)["id"]) for number in searcher.docs_for_query(whoosh_query)} - seen
        ranked += sorted((i for i in rest if i in listing.position), key=listing.position.__getitem__)
    return ranked


def _did_you_mean(searcher, query: str, listing) -> str | None:
    words, corrected = terms(FOLDED, query), []
    for word in words:
        candidates = searcher.suggest("name", word, limit=1) or searcher.suggest("text", word, limit=1)
        corrected.append(candidates[0] if candidates else word)
    if corrected == words:
        return None
    suggestion = " ".join(corrected)
    return suggestion if _matching_ids(searcher, build_query(suggestion), listing) else None


def _fallback_ids(query: str, listing) -> list[int]:
    """While the index is rebuilt: products whose name holds every word (folded), best stars first."""
    words = terms(FOLDED, query)
    return [row.id for row in listing.rows
            if all(any(part.startswith(word) for part in row.name_key[0].split()) for word in words)]


SUGGESTION_LIMIT = 8


def _suggested_ids(query: str, listing) -> list[int]:
    """The first attempts of a search (exact words, then near spellings), a few results each."""
    ix = index.open_index()
    try:
        with ix.searcher() as searcher:
            for attempt in ATTEMPTS[:2]:
                hits = searcher.search(build_query(query, **attempt), limit=SUGGESTION_LIMIT * 5)
                ranked = [int(hit["id"]) for hit in hits if int(hit["id"]) in listing.position]
                if ranked:
                    return ranked
            return []
    except Exception as error:  # a segment that went missing or bad under a reader
        raise index.IndexUnavailable(repr(error)) from error


def suggestions(raw_query: str) -> list[dict]:
    """Certified products whose name (or producer) starts like what is being typed."""
    query = clean_query(raw_query)
    if len(query) < 2 or not terms(FOLDED, query):
        return []
    listing = current_listing()
    try:
        ranked = _suggested_ids(query, listing)
    except index.IndexUnavailable:
        index.recover(current_app._get_current_object())
        ranked = _fallback_ids(query, listing)
    ranked = ranked[:SUGGESTION_LIMIT]
    products = {p.id: p for p in db.session.scalars(
        select(Product).where(Product.id.in_(ranked)).options(selectinload(Product.producer)))}
    matcher = Matcher(query)
    return [{"id": i, "product": products[i], "stars": listing.rows[listing.position[i]].stars,
             "label_html": mark(localized(products[i], "name"), matcher)}
            for i in ranked if i in products]

