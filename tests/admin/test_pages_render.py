"""Every back-office page of the listings answers, in both languages, with the data it lists."""
import pytest

from storefront.extensions import db

from backoffice import admin_client  # noqa: F401  (fixture)


@pytest.mark.parametrize("lang", ["", "/en"])
def test_every_list_and_form_page_renders(admin_client, make_product, make_sales_point, lang):
    product = make_product(name_vi="Tỏi cô đơn Lý Sơn")
    point = make_sales_point(name_vi="Điểm OCOP Sơn Tịnh")
    db.session.commit()
    pages = ["/admin/products", "/admin/products/new", f"/admin/products/{product.id}", "/admin/producers",
             "/admin/producers/new", f"/admin/producers/{product.producer_id}", "/admin/sales-points",
             "/admin/sales-points/new", f"/admin/sales-points/{point.id}", "/admin/areas", "/admin/areas/new",
             f"/admin/areas/{product.producer.area_id}", "/admin/users", "/admin/users/invite", "/admin/moderation",
             "/admin/transfers", "/admin/transfers?state=all", "/admin/transfers/statement"]
    for page in pages:
        response = admin_client.get(lang + page)
        assert response.status_code == 200, (page, response.get_data(as_text=True)[:3000])
    assert "Tỏi cô đơn Lý Sơn" in admin_client.get(lang + "/admin/products").get_data(as_text=True)
