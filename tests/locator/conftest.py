import pytest

from storefront.extensions import db
from storefront.locator import operations
from storefront.locator.models import Destination

from locating import KM_NORTH, ORIGIN


@pytest.fixture
def point_at(make_sales_point):
    """A sales point `km` kilometres north of ORIGIN, open 07:00–21:00 every day unless told."""
    def make(km, name_vi=None, hours=((0, 6, 420, 1260),), stock=(), **fields):
        point = make_sales_point(name_vi=name_vi, latitude=ORIGIN[0] + km * KM_NORTH, longitude=ORIGIN[1],
                                 **fields)
        operations.set_weekly_hours(point, {day: [(opens, closes)] for first, last, opens, closes in hours
                                            for day in range(first, last + 1)})
        operations.set_stock(point, {product: None for product in stock})
        return point
    return make


@pytest.fixture
def make_destination(make_product):
    def make(name_vi="Làng du lịch Gò Cỏ", latitude=14.66, longitude=109.07, **fields):
        product = make_product(name_vi=name_vi, group=6, subgroup="community_tourism", price=None, stock=0,
                               shippable=False, **fields)
        destination = Destination(product=product, address="Làng Gò Cỏ", area=product.producer.area,
                                  latitude=latitude, longitude=longitude)
        operations.set_weekly_hours(destination, {day: [(450, 1050)] for day in range(7)})
        db.session.add(destination)
        db.session.flush()
        return destination
    return make
