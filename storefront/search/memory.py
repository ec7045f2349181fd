"""The Whoosh index, read into memory once per segment, and scored with arrays.

Walking Whoosh's matchers term by term in Python costs 50–500 ms a query at 20,000 products: a
common word ("nước", "quảng") matches most of the catalogue, and every fuzzy or prefix expansion is
one more walk. Here each worker reads a term's postings (document numbers, weights, and for the
short fields the positions as a bitmask) the first time a query needs it, keeps them per segment,
and scores whole catalogues at once: BM25F as Whoosh computes it (the same idf, field boosts and
length normalisation), phrases by shifting position masks, matching sets as boolean arrays.

Segments are immutable in Whoosh (only their deletions change), so a commit that reindexes a product
costs a worker one tiny new segment, not a reload. What a worker holds follows the index directory:
every query compares the directory's files (names, sizes, modification times) with what it read,
and reads the table of contents again when they changed. A missing or unreadable index raises
IndexUnavailable, as Whoosh itself would.
"""
import bisect
import os
import threading

import numpy as np
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.reading import SegmentReader

from . import index

K1, B = 1.2, 0.75  # whoosh.scoring.BM25F's defaults
# Fields whose positions are kept (as a mask of the first 64): phrases and "the name starts with".
PHRASE_FIELDS = frozenset({"name", "name_exact", "name_lead", "name_en", "places", "producer"})
MAX_EXPANSIONS = 300  # terms a prefix or a near spelling may stand for
TERM_CACHE_SIZE = 20_000


def _mask(positions) -> int:
    mask = 0
    for position in positions:
        if position < 64:
            mask |= 1 << position
    return mask


class SegmentData:
    """One Whoosh segment: its product ids, and postings and field lengths read as they are needed."""

    def __init__(self, storage, schema, segment):
        self.segment_id = segment.segment_id()
        self.reader = SegmentReader(storage, schema, segment)
        self.size = self.reader.doc_count_all()
        stored = self.reader.stored_fields
        self.product_ids = np.fromiter((int(stored(n)["id"]) for n in range(self.size)), np.int64, self.size)
        self._lexicons: dict[str, list[str]] = {}
        self._lengths: dict[str, np.ndarray] = {}
        self._postings: dict[tuple, tuple | None] = {}
        self.field_totals = {name: self.reader.field_length(name) for name in schema.scorable_names()}

    def close(self):
        try:
            self.reader.close()
        except Exception:  # a damaged or vanished file: nothing left to release
            pass

    def lexicon(self, field: str) -> list[str]:
        found = self._lexicons.get(field)
        if found is None:
            found = self._lexicons[field] = [term.decode("utf-8") for term in self.reader.lexicon(field)]
        return found

    def lengths(self, field: str) -> np.ndarray:
        found = self._lengths.get(field)
        if found is None:
            length = self.reader.doc_field_length
            found = self._lengths[field] = np.fromiter((length(n, field, 0) for n in range(self.size)),
                                                       np.float32, self.size)
        return found

    def postings(self, field: str, term: str):
        """(document numbers, weights, position masks or None), or None when the term is absent."""
        key = (field, term)
        if key in self._postings:
            return self._postings[key]
        btext = term.encode("utf-8")
        found = None
        if (field, btext) in self.reader:
            found = _read_postings(self.reader.postings(field, btext), field in PHRASE_FIELDS)
        self._postings[key] = found
        return found


def _read_postings(matcher, with_masks: bool):
    ids, weights, masks = [], [], []
    if isinstance(matcher, W3LeafMatcher):
        # Block by block: the matcher's own per-posting calls cost several times more.
        decode = matcher.format.decode_positions
        while True:
            matcher._read_ids()
            matcher._read_weights()
            ids.extend(matcher._ids)
            weights.extend(matcher._weights)
            if with_masks:
                matcher._read_values()
                masks.extend(_mask(decode(value)) for value in matcher._values)
            if matcher._lastblock:
                break
            matcher._goto(matcher._nextoffset)
    else:  # a term with a single posting is inlined in the term table
        while matcher.is_active():
            ids.append(matcher.id())
            weights.append(matcher.weight())
            if with_masks:
                masks.append(_mask(matcher.value_as("positions")))
            matcher.next()
    return (np.array(ids, np.int32), np.array(weights, np.float32),
            np.array(masks, np.uint64) if with_masks else None)


class Snapshot:
    """The index as one generation of its table of contents shows it: segments side by side, one
    document number space; deleted documents never match."""

    def __init__(self, segments: list[SegmentData], deleted: list):
        self.segments = segments
        self.offsets = np.cumsum([0] + [s.size for s in segments])
        self.size = int(self.offsets[-1])
        self.product_ids = (np.concatenate([s.product_ids for s in segments]) if segments
                            else np.zeros(0, np.int64))
        self.alive = np.ones(self.size, bool)
        for offset, gone in zip(self.offsets, deleted):
            if gone:
                self.alive[np.fromiter(gone, np.int64) + offset] = False
        self._terms: dict[str, list[str]] = {}
        self._lengths: dict[str, np.ndarray] = {}
        self._scores: dict[tuple, tuple | None] = {}
        self._postings: dict[tuple, tuple | None] = {}
        self._average: dict[str, float] = {}
        self._listing = None

    # --- what the index holds ---------------------------------------------------------------------

    def terms(self, field: str) -> list[str]:
        """Every term of a field, sorted (prefixes and near spellings are looked up here)."""
        found = self._terms.get(field)
        if found is None:
            if len(self.segments) == 1:
                found = self.segments[0].lexicon(field)
            else:
                found = sorted(set().union(*(s.lexicon(field) for s in self.segments)))
            self._terms[field] = found
        return found

    def has(self, field: str, term: str) -> bool:
        terms = self.terms(field)
        at = bisect.bisect_left(terms, term)
        return at < len(terms) and terms[at] == term

    def with_prefix(self, field: str, prefix: str) -> list[str]:
        terms = self.terms(field)
        start = bisect.bisect_left(terms, prefix)
        end = bisect.bisect_left(terms, prefix + "\U0010ffff", start)
        return terms[start:min(end, start + MAX_EXPANSIONS)]

    def near(self, field: str, word: str, distance: int = 1, first_letters: int = 1) -> list[str]:
        """Terms within `distance` edits (a swap of neighbours counts one) that share the first letters."""
        key = ("near", field, word, distance, first_letters)
        if key in self._scores:
            return self._scores[key]
        found = []
        if len(word) < first_letters:
            return found
        for term in self.with_prefix(field, word[:first_letters]) if first_letters else self.terms(field):
            if term != word and abs(len(term) - len(word)) <= distance and edits(word, term, distance) <= distance:
                found.append(term)
        self._remember(self._scores, key, found)
        return found

    def document_frequency(self, field: str, term: str) -> int:
        found = self.postings(field, term)
        return 0 if found is None else len(found[0])

    def postings(self, field: str, term: str):
        """Postings of every segment, in the snapshot's document numbers (deleted documents included:
        their counts are Whoosh's statistics too)."""
        key = (field, term)
        if key in self._postings:
            return self._postings[key]
        parts = []
        for offset, segment in zip(self.offsets, self.segments):
            found = segment.postings(field, term)
            if found is not None:
                parts.append((found[0] + offset, found[1], found[2]))
        if not parts:
            result = None
        elif len(parts) == 1:
            result = parts[0]
        else:
            result = (np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts]),
                      None if parts[0][2] is None else np.concatenate([p[2] for p in parts]))
        self._remember(self._postings, key, result)
        return result

    def lengths(self, field: str) -> np.ndarray:
        found = self._lengths.get(field)
        if found is None:
            found = self._lengths[field] = (np.concatenate([s.lengths(field) for s in self.segments])
                                            if self.segments else np.zeros(0, np.float32))
        return found

    def average_length(self, field: str) -> float:
        found = self._average.get(field)
        if found is None:
            total = sum(s.field_totals.get(field, 0) for s in self.segments)
            found = self._average[field] = (total / self.size if self.size else 0.0) or 1.0
        return found

    def term_scores(self, field: str, term: str):
        """(documents, BM25F scores) of a term, as Whoosh scores it: idf = log(N / (df + 1)) + 1,
        weight = frequency × field boost, length = the field's words in the document."""
        key = (field, term)
        if key in self._scores:
            return self._scores[key]
        found = self.postings(field, term)
        result = None
        if found is not None:
            documents, weights, _ = found
            idf = np.log(self.size / (len(documents) + 1)) + 1
            lengths = self.lengths(field)[documents]
            scores = idf * (weights * (K1 + 1)) / (weights + K1 * ((1 - B) + B * lengths / self.average_length(field)))
            result = (documents, scores.astype(np.float32))
        self._remember(self._scores, key, result)
        return result

    @staticmethod
    def _remember(cache: dict, key, value) -> None:
        if len(cache) >= TERM_CACHE_SIZE:
            cache.clear()
        cache[key] = value

    # --- the listing -------------------------------------------------------------------------------

    def positions_in(self, listing) -> np.ndarray:
        """Each document's position in today's listing, -1 for a document deleted or not listed."""
        known = self._listing
        if known is not None and known[0] is listing:
            return known[1]
        position = listing.position
        positions = np.fromiter((position.get(int(i), -1) for i in self.product_ids), np.int32, self.size)
        positions[~self.alive] = -1
        self._listing = (listing, positions)
        return positions


def edits(a: str, b: str, limit: int) -> int:
    """Optimal string alignment distance, stopping early once every path exceeds `limit`."""
    if a == b:
        return 0
    previous2, previous = None, list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = a[i - 1] != b[j - 1]
            value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                value = min(value, previous2[j - 2] + 1)
            current[j] = value
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


# --- What each worker holds ------------------------------------------------------------------------

class Holder:
    """The snapshot of one index directory, read again when its files change."""

    def __init__(self):
        self.fingerprint = None
        self.snapshot: Snapshot | None = None
        self.segments: dict[str, SegmentData] = {}
        self.lock = threading.Lock()

    def current(self) -> Snapshot:
        folder = index.index_dir()
        fingerprint = _fingerprint(folder)
        if fingerprint is None:
            raise index.IndexUnavailable(f"no index in {folder}")
        with self.lock:
            if fingerprint == self.fingerprint and self.snapshot is not None:
                return self.snapshot
            for _ in range(3):  # a writer may retire a segment between the table of contents and its files
                problem = None
                try:
                    self.snapshot = self._read(index.open_index())
                    self.fingerprint = fingerprint
                    return self.snapshot
                except Exception as error:  # a damaged segment: Whoosh raises many kinds
                    # Only its description is kept: the error's frames hold the damaged file open.
                    problem = repr(error)
                fingerprint = _fingerprint(folder)
                if fingerprint is None:
                    break
            self.forget()
            raise index.IndexUnavailable(f"unreadable index in {folder}: {problem}")

    def _read(self, ix) -> Snapshot:
        toc = ix._read_toc()
        kept, deleted = [], []
        for segment in toc.segments:
            data = self.segments.get(segment.segment_id())
            if data is None:
                data = SegmentData(ix.storage, toc.schema, segment)
            kept.append(data)
            deleted.append(segment.deleted_docs() if segment.has_deletions() else ())
        current = {data.segment_id: data for data in kept}
        for segment_id, data in self.segments.items():
            if segment_id not in current:
                data.close()
        self.segments = current
        return Snapshot(kept, deleted)

    def forget(self) -> None:
        for data in self.segments.values():
            data.close()
        self.segments, self.snapshot, self.fingerprint = {}, None, None


def _fingerprint(folder) -> tuple | None:
    try:
        with os.scandir(folder) as entries:
            return tuple(sorted((entry.name, entry.stat().st_size, entry.stat().st_mtime_ns)
                                for entry in entries if entry.is_file()))
    except (FileNotFoundError, NotADirectoryError):
        return None


def holder() -> Holder:
    from flask import current_app

    extensions = current_app.extensions
    found = extensions.get("search_memory")
    if found is None:
        found = extensions.setdefault("search_memory", Holder())
    return found


def snapshot() -> Snapshot:
    return holder().current()
