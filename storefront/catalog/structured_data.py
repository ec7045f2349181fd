"""schema.org Product data for search engines. OCOP stars are a certification (an award), never a
customer rating: nothing here may become an AggregateRating or Review."""
from flask import url_for
from flask_babel import gettext as _

from ..i18n import localized
from .queries import ProductDetails


def product_json_ld(details: ProductDetails) -> dict:
    product = details.product
    data = {
        "@context": "https://schema.org",
        "@type": "Product",
        "name": localized(product, "name"),
        "description": localized(product, "summary") or localized(product, "description"),
        "sku": product.slug,
        "url": url_for("catalog.product", slug=product.slug, _external=True),
        "brand": {"@type": "Organization", "name": product.producer.name},
        "image": [url_for("media.rendition", prefix=i.image.key[:2], key=i.image.key,
                          width=i.image.widths[-1], _external=True) for i in product.images],
    }
    if details.certificate is not None:
        certificate = details.certificate
        data["award"] = _("OCOP %(stars)s stars (decision %(number)s)", stars=certificate.stars,
                          number=certificate.decision_number)
        if product.price is not None:
            data["offers"] = {
                "@type": "Offer",
                "price": product.price,
                "priceCurrency": "VND",
                "availability": "https://schema.org/" + ("InStock" if product.in_stock else "OutOfStock"),
                "url": data["url"],
                "seller": {"@type": "Organization", "name": product.producer.name},
            }
    return data
