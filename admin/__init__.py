"""The back office: the OCOP office's pages at /admin and the producers' workspace at /producer.

Both call the storefront's domain operations and queries; neither holds a rule of its own.
"""
from .navigation import admin_nav, producer_nav  # noqa: F401


def init_app(app) -> None:
    from . import imports as _imports  # noqa: F401  (its pages join the admin blueprint)
    from . import reports as _reports  # noqa: F401
    from .views import bp as admin
    from .workspace import bp as producer

    app.register_blueprint(admin)
    app.register_blueprint(producer)
    app.jinja_env.globals.update(admin_nav=admin_nav, producer_nav=producer_nav)
