"""The naive search bench/search.py compares the shop's search with: SQL LIKE over PostgreSQL.

What a shop without a search index does: for every word typed, one LIKE '%word%' on the lower-cased
columns (names in both languages, descriptions in both languages, the producer's name), all words
required, best stars then name first, 24 to a page, plus a COUNT(*) of all matches for the pager.
Nothing folds tone marks: "nuoc mam" finds no "nước mắm" (PostgreSQL's unaccent is an extension a
naive shop has not installed), and nothing ranks by relevance.

To compare retrieval and not presentation, the LIKE page is the shop's own app plus two routes that
render the same template (same cards, same highlighting, same 24 per page) and answer the same JSON
as the suggestion endpoint; only how the products are found and counted differs, and the LIKE page
shows no facet counts (a naive shop's select + count only), which favours LIKE. Neither route goes
through the page cache: a naive shop computes every search. Each statement gets a plan for its own
patterns (plan_cache_mode = force_custom_plan in its transaction), so LIKE is not measured through a
slower generic plan of a prepared statement.

    gunicorn 'bench.search_like:create_like_app()'      (what like_server() runs)
"""
from collections import namedtuple
from pathlib import Path

from flask import abort, jsonify, render_template, request, url_for
from sqlalchemy import and_, func, or_, select, text

from .server import gunicorn_server

PAGE_SIZE = 24
SUGGESTION_LIMIT = 8
# Columns a naive shop searches: (table, column name).
PAGE_COLUMNS = (("product", "name_vi"), ("product", "name_en"), ("product", "description_vi"),
                ("product", "description_en"), ("producer", "name"))
SUGGEST_COLUMNS = (("product", "name_vi"), ("product", "name_en"), ("producer", "name"))

_Row = namedtuple("_Row", "id stars")  # what cards_for needs of a listing row


def words_of(raw: str) -> list[str]:
    """The words as typed, lower-cased (tone marks kept: LIKE cannot fold them)."""
    from storefront.search.queries import clean_query

    return clean_query(raw).lower().split()


def _statements(words: list[str], columns, limit: int, offset: int = 0):
    """(page select, count select) for these words: every word must appear in one of the columns."""
    from storefront.catalog.models import Producer
    from storefront.certification.queries import certified_products

    listed = certified_products()[0].subquery("listed")
    tables = {"product": listed.c, "producer": Producer.__table__.c}
    conditions = and_(*(or_(*(func.lower(tables[table][column]).contains(word, autoescape=True)
                              for table, column in columns))
                        for word in words))
    joined = listed.join(Producer, Producer.id == listed.c.producer_id)
    page = (select(listed.c.id, listed.c.stars).select_from(joined).where(conditions)
            .order_by(listed.c.stars.desc(), listed.c.name_vi, listed.c.id).limit(limit).offset(offset))
    count = select(func.count()).select_from(joined).where(conditions)
    return page, count


def _custom_plans(session) -> None:
    """Plan these statements for their own patterns. psycopg prepares a statement it has run 5 times,
    and after 5 more PostgreSQL may switch to a generic plan, which here evaluates the LIKEs about 4×
    slower (0.8 s → 3.5 s a page, measured): that would flatter the search, not measure LIKE."""
    session.execute(text("SET LOCAL plan_cache_mode = force_custom_plan"))


def like_search(session, raw: str, page: int = 1) -> tuple[list[tuple[int, int]], int]:
    """(id, stars) of the page's products, and how many match in all: two queries."""
    words = words_of(raw)
    if not words:
        return [], 0
    _custom_plans(session)
    page_query, count_query = _statements(words, PAGE_COLUMNS, PAGE_SIZE, (page - 1) * PAGE_SIZE)
    rows = [tuple(row) for row in session.execute(page_query)]
    return rows, session.scalar(count_query)


def like_suggest(session, raw: str) -> list[tuple[int, int]]:
    """(id, stars) of the first products whose name or producer holds every word: one query."""
    words = words_of(raw)
    if len(" ".join(words)) < 2:
        return []
    _custom_plans(session)
    page_query, _ = _statements(words, SUGGEST_COLUMNS, SUGGESTION_LIMIT)
    return [tuple(row) for row in session.execute(page_query)]


# --- The app -------------------------------------------------------------------------------------

def create_like_app(config=None):
    """The shop's app plus /like-search and /like-suggest; configured from the environment as wsgi.py
    is, or with `config` as create_app takes it (bench/search.py times it in process that way)."""
    from storefront import create_app
    from storefront.catalog.models import Product, ProducerType, ProductGroup
    from storefront.catalog.queries import cards_for, former_districts
    from storefront.catalog.views import parse_filters
    from storefront.extensions import db
    from storefront.i18n import LocalizedBlueprint, localized, set_lang
    from storefront.search.highlight import Matcher, mark, snippet
    from storefront.search.queries import SearchPage, clean_query
    from sqlalchemy.orm import selectinload

    app = create_app(config)
    bp = LocalizedBlueprint("like", __name__)

    @bp.route("/like-search")
    def results():
        filters = parse_filters(request.args, per_page=PAGE_SIZE, max_per_page=PAGE_SIZE)
        raw = request.args.get("q", "")
        page = SearchPage(clean_query(raw), filters)
        page.facets = {"stars": {}, "group": {}, "district": {}, "type": {}}  # a naive shop counts none
        found, page.total = like_search(db.session, raw, filters.page)
        if filters.page > page.pages:
            abort(404)
        page.cards = cards_for([_Row(*row) for row in found])
        matcher = Matcher(page.query)
        for card in page.cards:  # the same highlighting as the shop's search page
            product = card.product
            page.names[product.id] = mark(localized(product, "name"), matcher)
            for field_name in ("summary", "description", "story", "heritage"):
                shown = snippet(localized(product, field_name), matcher)
                if shown:
                    page.snippets[product.id] = shown
                    break
        return render_template("storefront/search/results.html", page=page, filters=filters,
                               districts=former_districts(), groups=list(ProductGroup),
                               producer_types=list(ProducerType))

    @app.route("/like-suggest")
    def suggest():
        raw, lang = request.args.get("q", ""), request.args.get("lang", "vi")
        if lang not in ("vi", "en"):
            abort(400)
        set_lang(lang)
        found = like_suggest(db.session, raw)
        stars = dict(found)
        products = {p.id: p for p in db.session.scalars(
            select(Product).where(Product.id.in_(list(stars))).options(selectinload(Product.producer)))}
        matcher = Matcher(clean_query(raw))
        return jsonify(query=raw, suggestions=[{
            "name": localized(products[i], "name"),
            "url": url_for("catalog.product", slug=products[i].slug, lang=lang),
            "stars": stars[i],
            "producer": products[i].producer.name,
            "label_html": str(mark(localized(products[i], "name"), matcher)),
        } for i, _ in found if i in products])

    app.register_blueprint(bp)
    return app


def like_server(env_overrides: dict[str, str], port: int, log_path: Path, workers: int = 2):
    """bench.server.gunicorn_server (same workers, bind and configuration) serving create_like_app()."""
    return gunicorn_server(env_overrides, port, log_path, workers, app="bench.search_like:create_like_app()")
