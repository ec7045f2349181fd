from flask import abort, current_app, render_template

from ..i18n import LocalizedBlueprint
from ..pagecache import cached_page
from ..payments.methods import available_methods
from .operator import current_operator
from .pages import POLICIES

bp = LocalizedBlueprint("policies", __name__)
bp.add_app_template_global(current_operator, "shop_operator")
bp.add_app_template_global(lambda: POLICIES, "shop_policies")


@bp.route("/policies/<slug:name>")
@cached_page
def policy(name):
    if name not in POLICIES:
        abort(404)
    return render_template(f"storefront/policies/{name}.html", policy=name, title=POLICIES[name],
                           operator=current_operator(),
                           payment_methods={method.code.value for method in available_methods(current_app.config)})
