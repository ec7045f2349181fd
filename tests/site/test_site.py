"""Site-wide behaviour: languages, security headers, health, robots, sitemap, the error pages."""
import re

import pytest
from sqlalchemy import event

from storefront.extensions import db


def test_each_page_has_a_url_per_language_with_hreflang_alternates(client, make_product):
    product = make_product()
    db.session.commit()
    html = client.get(f"/products/{product.slug}?").get_data(as_text=True)
    assert '<html lang="vi">' in html
    assert f'hreflang="en" href="http://localhost/en/products/{product.slug}"' in html
    assert f'hreflang="vi" href="http://localhost/products/{product.slug}"' in html
    assert f'rel="canonical" href="http://localhost/products/{product.slug}"' in html
    english = client.get(f"/en/products/{product.slug}").get_data(as_text=True)
    assert '<html lang="en">' in english
    assert f'rel="canonical" href="http://localhost/en/products/{product.slug}"' in english


def test_the_language_switch_keeps_the_filters(client, make_product):
    make_product()
    db.session.commit()
    html = client.get("/products?stars=3&sort=name").get_data(as_text=True)
    assert 'href="/en/products?stars=3&amp;sort=name"' in html


@pytest.mark.parametrize("path", ["/", "/products", "/en/", "/ocop-in-figures", "/sales-points", "/nowhere"])
def test_pages_forbid_inline_scripts_and_framing(client, path):
    response = client.get(path)
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "style-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    html = response.get_data(as_text=True)
    # Only scripts loaded from a file; a JSON block (structured data, a chart's figures) is data, never run.
    assert not re.search(r'<script(?![^>]*\bsrc=)(?![^>]*type="application/(ld\+)?json")', html)
    assert 'style="' not in html


def test_health_checks(client):
    assert client.get("/healthz/live").get_data(as_text=True) == "ok\n"
    assert client.get("/healthz").get_json() == {"status": "ok", "database": "ok"}


def test_health_reports_an_unreachable_database(app, client, monkeypatch):
    def broken(*_args, **_kwargs):
        raise ConnectionError("database down")

    monkeypatch.setattr(db.session, "execute", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["database"] == "unreachable"


def test_robots_and_sitemap_list_both_languages(client, make_product):
    product = make_product()
    db.session.commit()
    assert "Sitemap: http://localhost/sitemap.xml" in client.get("/robots.txt").get_data(as_text=True)
    sitemap = client.get("/sitemap.xml")
    assert sitemap.mimetype == "application/xml"
    body = sitemap.get_data(as_text=True)
    assert f"<loc>http://localhost/products/{product.slug}</loc>" in body
    assert f"<loc>http://localhost/en/products/{product.slug}</loc>" in body
    assert f"<loc>http://localhost/producers/{product.producer.slug}</loc>" in body


def test_a_server_error_is_a_friendly_page_in_the_users_language(app, client, monkeypatch):
    from storefront.catalog import queries

    def fail(*_args, **_kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(queries, "catalogue", fail)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    try:
        response = client.get("/en/products")
    finally:
        app.config["PROPAGATE_EXCEPTIONS"] = None
    assert response.status_code == 500
    html = response.get_data(as_text=True)
    assert "Something went wrong on our side" in html and "boom" not in html


def test_api_errors_are_json(client):
    response = client.get("/api/v1/products?stars=7")
    assert response.status_code == 400
    assert response.get_json()["status"] == 400
    assert client.get("/api/v1/nothing").get_json()["status"] == 404


def test_reads_do_not_write(client, make_product):
    """A page view must never write: under load a write per view locks SQLite."""
    make_product()
    db.session.commit()
    writes = []

    def record(_conn, _cursor, statement, *_args):
        if statement.lstrip().split()[0].upper() in ("INSERT", "UPDATE", "DELETE"):
            writes.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        for path in ("/", "/products", "/en/products?stars=3", "/sitemap.xml", "/api/v1/products",
                     "/api/v1/stats", "/ocop-in-figures", "/sales-points", "/healthz"):
            assert client.get(path).status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    assert writes == []


@pytest.mark.parametrize("path", ["/products?sort=%00", "/products?utm=%00x", "/en/?q=a%00b"])
def test_nul_bytes_in_a_query_string_are_a_400(client, path):
    response = client.get(path)
    assert response.status_code == 400
    assert "text/html" in response.content_type
