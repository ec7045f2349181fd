"""The back office: the OCOP office's pages at /admin and the producers' workspace at /producer.

Both call the storefront's domain operations and queries; neither holds a rule of its own.
"""
from .navigation import admin_nav, producer_nav  # noqa: F401


def init_app(app) -> None:
    # Each module adds its pages to the blueprints and its entries to the menus.
    from . import (  # noqa: F401
        areas, audit_log, bank_transfers, certificates, imports, moderation, office_accounts, orders, producers,
        products, reports, sales_points, second_factor, users)
    from . import producer_certificates, producer_orders, producer_products, producer_profile  # noqa: F401
    from . import visit_requests  # noqa: F401
    from . import uploads  # noqa: F401  (refuses oversized uploads on both blueprints)
    from .views import bp as admin
    from .workspace import bp as producer
    from .forms import field_label

    app.register_blueprint(admin)
    app.register_blueprint(producer)
    app.jinja_env.globals.update(admin_nav=admin_nav, producer_nav=producer_nav)
    app.jinja_env.filters["field_label"] = field_label
