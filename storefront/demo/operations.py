"""The demo catalogue's verbs: tell what the database holds, and stage the demo catalogue in it.

Demo data is only ever loaded into an empty catalogue, never mixed with real producers and products.
Like every operation, staging does not commit: the command commits once, so a failure leaves nothing.
"""
import enum
from collections.abc import Callable

from sqlalchemy import select

from ..areas.models import Area
from ..catalog.models import CraftVillage, Producer, Product, ProductImage
from ..certification.models import Certificate
from ..errors import DomainError
from ..extensions import db
from ..locator.models import SalesPoint, SalesPointPhoto
from ..media.models import MediaImage
from ..media.pipeline import store_image
from . import drawing
from .builder import DemoCatalogue, Picture
from .models import DemoDataset

CATALOGUE_MODELS = (Product, Producer, Certificate, SalesPoint, CraftVillage, Area)


class CatalogueState(enum.Enum):
    EMPTY = "empty"
    DEMO = "demo"  # the demo catalogue is loaded
    REAL = "real"  # someone's real catalogue, or part of one


class DemoAlreadyLoaded(DomainError):
    pass


class CatalogueNotEmpty(DomainError):
    pass


def catalogue_state() -> CatalogueState:
    if db.session.scalar(select(DemoDataset.id).limit(1)) is not None:
        return CatalogueState.DEMO
    if any(db.session.scalar(select(model.id).limit(1)) is not None for model in CATALOGUE_MODELS):
        return CatalogueState.REAL
    return CatalogueState.EMPTY


def refuse_unless_empty() -> None:
    state = catalogue_state()
    if state is CatalogueState.DEMO:
        raise DemoAlreadyLoaded("The demo catalogue is already loaded.")
    if state is CatalogueState.REAL:
        raise CatalogueNotEmpty("The database already holds a catalogue that is not the demo one; demo data "
                                "is only loaded into an empty database, never mixed with real data.")


def stage_demo_catalogue(catalogue: DemoCatalogue, advance: Callable[[int], None] = lambda steps: None
                         ) -> DemoDataset:
    """Stage `catalogue` with its pictures (drawn and stored now) and the DemoDataset row that marks it."""
    refuse_unless_empty()
    for rows in (catalogue.areas, catalogue.craft_villages, catalogue.producers, catalogue.products,
                 catalogue.certificates, catalogue.sales_points, catalogue.destinations):
        db.session.add_all(rows)
    advance(1)
    stored: dict[str, MediaImage] = {}
    for producer, picture in catalogue.logos:
        producer.logo = _stored(picture, stored)
        advance(1)
    for product, pictures in catalogue.product_pictures:
        for position, picture in enumerate(pictures):
            product.images.append(ProductImage(image=_stored(picture, stored), position=position,
                                               alt_vi=picture.alt.vi, alt_en=picture.alt.en))
        advance(1)
    for point, pictures in catalogue.point_pictures:
        for position, picture in enumerate(pictures):
            point.photos.append(SalesPointPhoto(image=_stored(picture, stored), position=position,
                                                alt_vi=picture.alt.vi, alt_en=picture.alt.en))
        advance(1)
    dataset = DemoDataset()
    db.session.add(dataset)
    return dataset


def _stored(picture: Picture, stored: dict[str, MediaImage]) -> MediaImage:
    """Draw and store each picture once, however many products show it."""
    if picture.key not in stored:
        if picture.kind == "logo":
            data = drawing.logo_picture(picture.motif, picture.group)
        elif picture.kind == "shop_front":
            data = drawing.shop_front_picture(picture.title, int(picture.motif))
        elif picture.kind == "shop_interior":
            data = drawing.shop_interior_picture(int(picture.motif))
        elif picture.kind == "scene":
            data = drawing.scene_picture(picture.motif, picture.title, picture.caption)
        else:
            data = drawing.product_picture(picture.motif, picture.group, picture.title, picture.caption)
        stored[picture.key] = store_image(data)
    return stored[picture.key]
