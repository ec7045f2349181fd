"""Configuration: defaults in code, secrets and addresses from the environment."""
import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
INSTANCE_DIR = Path(os.environ.get("INSTANCE_DIR", BASE_DIR / "instance"))
DEFAULT_SECRET = "dev-only-secret-change-me"


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY", DEFAULT_SECRET)
    SQLALCHEMY_DATABASE_URI = os.environ.get(
        "DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'ocop.db'}"
    )
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    MEDIA_ROOT = os.environ.get("MEDIA_ROOT", str(INSTANCE_DIR / "media"))
    # Widths of the WebP renditions made of every image.
    IMAGE_WIDTHS = (320, 640, 960)
    IMAGE_MAX_BYTES = 10 * 1024 * 1024
    IMAGE_MAX_PIXELS = 40_000_000
    BABEL_DEFAULT_LOCALE = "vi"
    BABEL_DEFAULT_TIMEZONE = "Asia/Ho_Chi_Minh"
    BABEL_TRANSLATION_DIRECTORIES = str(BASE_DIR / "storefront" / "translations")
    LANGUAGES = ("vi", "en")
    PRODUCTS_PER_PAGE = 24
    SEARCH_INDEX_DIR = os.environ.get("SEARCH_INDEX_DIR", str(INSTANCE_DIR / "search-index"))
    # A missing or broken index is rebuilt in a background thread while searches fall back.
    SEARCH_REBUILD_INLINE = False
    # Rendered public pages kept per worker process (0 turns the page cache off).
    PAGE_CACHE_SIZE = int(os.environ.get("PAGE_CACHE_SIZE", "2000"))
    # Seconds a worker trusts its cached pages before checking for changes made by other workers.
    PAGE_CACHE_VERSION_TTL = float(os.environ.get("PAGE_CACHE_VERSION_TTL", "1.0"))
    SUGGESTION_CACHE_SIZE = int(os.environ.get("SUGGESTION_CACHE_SIZE", "1000"))
    # The sales-point map's background tiles ({z}/{x}/{y}, optionally {s} for a subdomain) and the credit
    # their provider requires. The Content-Security-Policy allows images from this host only.
    MAP_TILE_URL = os.environ.get("MAP_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
    MAP_TILE_ATTRIBUTION = os.environ.get(
        "MAP_TILE_ATTRIBUTION",
        '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors')
    SEND_FILE_MAX_AGE_DEFAULT = 31536000
    MAX_CONTENT_LENGTH = 16 * 1024 * 1024
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    WTF_CSRF_TIME_LIMIT = None
    PREFERRED_URL_SCHEME = "http"
    # Shown on every page while the catalogue holds demo data.
    SITE_NAME = "OCOP Quảng Ngãi"


class DevelopmentConfig(Config):
    pass


class TestConfig(Config):
    TESTING = True
    SECRET_KEY = "test-secret"
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL", "sqlite://")
    WTF_CSRF_ENABLED = False
    PAGE_CACHE_SIZE = 0
    SUGGESTION_CACHE_SIZE = 0
    SEARCH_REBUILD_INLINE = True


class ProductionConfig(Config):
    IS_PRODUCTION = True
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    REMEMBER_COOKIE_HTTPONLY = True
    PREFERRED_URL_SCHEME = "https"
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True, "pool_size": 5, "max_overflow": 5}


CONFIGS = {
    "development": DevelopmentConfig,
    "production": ProductionConfig,
    "test": TestConfig,
}


def config_from_environment():
    name = os.environ.get("OCOP_ENV", "development")
    try:
        return CONFIGS[name]
    except KeyError:
        raise RuntimeError(f"OCOP_ENV must be one of {', '.join(CONFIGS)}, not {name!r}") from None
