"""The producers' workspace at /producer: each producer account sees its own producer only."""
from flask import render_template
from flask_login import current_user
from sqlalchemy import select

from storefront.catalog.models import EditStatus, ListingEdit, Product
from storefront.certification.queries import stars_by_product
from storefront.extensions import db
from storefront.i18n import LocalizedBlueprint

bp = LocalizedBlueprint("producer", __name__)


@bp.route("/producer/")
def dashboard():
    products = db.session.scalars(select(Product).where(Product.producer_id == current_user.producer_id)
                                  .order_by(Product.name_vi)).all()
    pending = set(db.session.scalars(select(ListingEdit.product_id).where(
        ListingEdit.status == EditStatus.PENDING, ListingEdit.product_id.in_([product.id for product in products]))))
    return render_template("producer/dashboard.html", producer=current_user.producer, products=products,
                           stars=stars_by_product([product.id for product in products]), pending=pending)
