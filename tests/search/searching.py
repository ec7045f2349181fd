"""Running a search and reading what a shopper would see of each result, for the search tests."""
from dataclasses import dataclass

from storefront.catalog.forms import CatalogueFilters
from storefront.demo.catalogue import LINES
from storefront.search import queries
from storefront.text import fold

# A demo product is named after its catalogue line, followed by its two-word brand ("Tỏi Lý Sơn Kim Phát");
# places to visit keep the line's own name.
_LINE_BY_NAME = {line.name.vi: key for key, line in LINES.items()}


def line_of(name_vi: str) -> str | None:
    """The demo catalogue line a product name belongs to (None for a name the demo does not make)."""
    return _LINE_BY_NAME.get(name_vi) or _LINE_BY_NAME.get(" ".join(name_vi.split()[:-2]))


@dataclass(frozen=True)
class Hit:
    """One search result, read while its app context was still open."""

    id: int
    name_vi: str
    name_en: str
    group: int
    line: str | None
    producer: str
    commune: str
    district: str | None

    def made_in(self, place: str) -> bool:
        return fold(place) in {fold(self.commune), fold(self.district or "")}

    def __str__(self):
        return f"{self.name_vi} ({self.line}; {self.producer}; {self.commune}, {self.district})"


@dataclass(frozen=True)
class Found:
    hits: list[Hit]
    total: int
    partial: bool
    suggestion: str | None
    degraded: bool

    @property
    def ids(self) -> list[int]:
        return [hit.id for hit in self.hits]


def hits_of(page) -> list[Hit]:
    hits = []
    for card in page.cards:
        product = card.product
        area = product.producer.area
        hits.append(Hit(product.id, product.name_vi, product.name_en or "", product.group, line_of(product.name_vi),
                        product.producer.name, area.name, area.parent.name if area.parent else None))
    return hits


def run_search(app, query: str, **filters) -> Found:
    """Search as the /search page does, in a request of `app`; every result of the first page."""
    with app.test_request_context("/search"):
        page = queries.search(query, CatalogueFilters(**{"per_page": 100, **filters}))
        return Found(hits_of(page), page.total, page.partial, page.suggestion, page.degraded)
