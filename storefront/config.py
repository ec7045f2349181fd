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
    # When the database has no connection to spare (production waits DATABASE_POOL_TIMEOUT seconds for
    # one), the visitor gets a 503 page asking to come back after this many seconds.
    RETRY_AFTER_SECONDS = int(os.environ.get("RETRY_AFTER_SECONDS", "10"))
    # Where media files (image renditions, scanned decisions) are kept: "local", the folder MEDIA_ROOT (one
    # machine), or "postgresql", the database itself (several app nodes), each node keeping a cache folder
    # MEDIA_CACHE_DIR it may lose at any time. Checked at start-up (storefront/media/storage.py).
    MEDIA_STORE = os.environ.get("MEDIA_STORE", "local")
    MEDIA_ROOT = os.environ.get("MEDIA_ROOT", str(INSTANCE_DIR / "media"))
    MEDIA_CACHE_DIR = os.environ.get("MEDIA_CACHE_DIR", str(INSTANCE_DIR / "media-cache"))
    # Widths of the WebP renditions made of every image.
    IMAGE_WIDTHS = (320, 640, 960)
    IMAGE_MAX_BYTES = 10 * 1024 * 1024
    IMAGE_MAX_PIXELS = 40_000_000
    # Scanned certification decisions (PDF or photo), kept with their certificate.
    DECISION_MAX_BYTES = 10 * 1024 * 1024
    # Where printed QR codes point (https://ocop.example.vn); empty: the address the request came to.
    PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "").rstrip("/")
    BABEL_DEFAULT_LOCALE = "vi"
    BABEL_DEFAULT_TIMEZONE = "Asia/Ho_Chi_Minh"
    BABEL_TRANSLATION_DIRECTORIES = str(BASE_DIR / "storefront" / "translations")
    LANGUAGES = ("vi", "en")
    PRODUCTS_PER_PAGE = 24
    SEARCH_INDEX_DIR = os.environ.get("SEARCH_INDEX_DIR", str(INSTANCE_DIR / "search-index"))
    # A missing or broken index is rebuilt in a background thread while searches fall back.
    SEARCH_REBUILD_INLINE = False
    # How each node's index follows the content change log (storefront/search/follow.py): "thread" (a
    # thread of the app processes, one of them writing) or "off" (run `flask search follow` on the node).
    SEARCH_FOLLOW = os.environ.get("SEARCH_FOLLOW", "thread")
    # The follower wakes on PostgreSQL's NOTIFY; it also looks every this many seconds (only this on SQLite).
    SEARCH_FOLLOW_POLL_SECONDS = float(os.environ.get("SEARCH_FOLLOW_POLL_SECONDS", "1.0"))
    # More changes than this waiting: the index is rebuilt rather than updated change by change.
    SEARCH_FOLLOW_REBUILD_AFTER = int(os.environ.get("SEARCH_FOLLOW_REBUILD_AFTER", "2000"))
    # A change id seen missing (below a higher one) is awaited this long before it is taken for rolled back.
    SEARCH_FOLLOW_GAP_SECONDS = float(os.environ.get("SEARCH_FOLLOW_GAP_SECONDS", "300"))
    # Rows of the content change log older than this are pruned (by the followers, or `flask search prune`);
    # a node whose index is further behind rebuilds it.
    CONTENT_CHANGE_RETENTION_HOURS = float(os.environ.get("CONTENT_CHANGE_RETENTION_HOURS", "24"))
    CONTENT_CHANGE_PRUNE_SECONDS = float(os.environ.get("CONTENT_CHANGE_PRUNE_SECONDS", "600"))
    # Rendered public pages kept per worker process (0 turns the page cache off).
    PAGE_CACHE_SIZE = int(os.environ.get("PAGE_CACHE_SIZE", "2000"))
    # Seconds a worker trusts its cached pages before checking for changes made by other workers.
    PAGE_CACHE_VERSION_TTL = float(os.environ.get("PAGE_CACHE_VERSION_TTL", "1.0"))
    SUGGESTION_CACHE_SIZE = int(os.environ.get("SUGGESTION_CACHE_SIZE", "1000"))
    # Seconds a shared proxy (nginx in front of the nodes) may serve a public page before asking a node
    # again (a 304 when nothing changed): a change shows through the proxy within this plus the above.
    HTTP_SHARED_MAX_AGE = int(os.environ.get("HTTP_SHARED_MAX_AGE", "1"))
    # Names this deployment in the public pages' ETags; empty: a digest of the code, templates and files.
    RELEASE = os.environ.get("RELEASE", "")
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
    SITE_NAME = "OCOP Quảng Ngãi"
    # Outgoing mail; without MAIL_SERVER, messages are written to the log instead.
    MAIL_SERVER = os.environ.get("MAIL_SERVER", "")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "587"))
    MAIL_USE_TLS = os.environ.get("MAIL_USE_TLS", "1") == "1"
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME", "")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD", "")
    MAIL_FROM = os.environ.get("MAIL_FROM", "OCOP Quảng Ngãi <no-reply@ocop.quangngai.example>")
    # Reverse proxies in front of the app whose X-Forwarded-For is trusted (rate limits key on the client).
    TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
    # Sign-in attempts allowed per client address in SIGN_IN_WINDOW_SECONDS (an account's own limit, which
    # spares the devices it signed in on, is in storefront/accounts/guessing.py).
    SIGN_IN_LIMIT_PER_ADDRESS = 20
    SIGN_IN_WINDOW_SECONDS = 900
    # Whether a producer's change to a published product's text or photos waits for the OCOP office's
    # approval (price and stock always apply at once). "0" applies such changes at once.
    LISTING_EDITS_NEED_REVIEW = os.environ.get("LISTING_EDITS_NEED_REVIEW", "1") == "1"
    # Hours a producer account's invitation link (to choose a password) stays valid.
    INVITE_MAX_AGE_HOURS = int(os.environ.get("INVITE_MAX_AGE_HOURS", "72"))
    # Targets of the province's yearly OCOP plans, by plan year: each is the lowest figure that meets the
    # target and, for a range ("4 to 6 products rated 4★"), the highest. A year without its own plan is
    # measured against the latest earlier plan (the report says which). See DOMAIN.md.
    PLAN_TARGETS = {
        year: {
            "new_certified": (70, None),          # products rated 3–5★ for the first time in the year
            "new_four_star": (4, 6),              # products rated 4★ for the first time in the year
            "five_star_candidates": (1, 2),       # products nominated for the central 5★ evaluation
            "modern_channel_share": (50, None),   # % of producers with a certified product in modern channels
        }
        for year in (2024, 2025)
    }
    # Catalogue files (CSV or XLSX) uploaded for import: largest accepted, and the largest an XLSX may
    # unpack to (a small file that unpacks to gigabytes is refused before it is read).
    IMPORT_MAX_BYTES = 5 * 1024 * 1024
    IMPORT_MAX_UNPACKED_BYTES = 50 * 1024 * 1024
    # The back office's packages, registered by the factory (the storefront never imports them).
    BACK_OFFICE_MODULES = ("admin",)
    # Buying. Delivery is priced by zone (within Quảng Ngãi, neighbouring provinces, the rest of Vietnam,
    # islands): SHIPPING_ZONES, a JSON object, changes any zone's fee (đồng) and days ([fewest, most]) and
    # whether FREE_SHIPPING_FROM đồng of goods makes it free (islands: not by default). Defaults and the
    # checks run at start-up: storefront/shipping/rates.py. FREE_SHIPPING_FROM 0: never free. Pickup is free.
    # Example: SHIPPING_ZONES='{"island": {"fee": 80000, "days": [6, 10]}, "home": {"fee": 15000}}'
    SHIPPING_ZONES = os.environ.get("SHIPPING_ZONES", "")
    FREE_SHIPPING_FROM = os.environ.get("FREE_SHIPPING_FROM", "500000")
    # Minutes an order paid by transfer or card is held (its stock reserved) before it expires unpaid.
    UNPAID_ORDER_MINUTES = int(os.environ.get("UNPAID_ORDER_MINUTES", "60"))
    CART_MAX_QUANTITY = int(os.environ.get("CART_MAX_QUANTITY", "20"))
    CART_MAX_LINES = int(os.environ.get("CART_MAX_LINES", "30"))
    # A cart line says how many are left ("Only 3 left") when the stock is at most this.
    CART_LOW_STOCK = int(os.environ.get("CART_LOW_STOCK", "5"))
    # The account VietQR transfers are paid into; without VIETQR_ACCOUNT_NUMBER the option is hidden.
    VIETQR_BANK_BIN = os.environ.get("VIETQR_BANK_BIN", "")
    VIETQR_BANK_NAME = os.environ.get("VIETQR_BANK_NAME", "")
    VIETQR_ACCOUNT_NUMBER = os.environ.get("VIETQR_ACCOUNT_NUMBER", "")
    VIETQR_ACCOUNT_NAME = os.environ.get("VIETQR_ACCOUNT_NAME", "")
    # The receiving bank's VietQR.io code ("vcb"), for links that open a buyer's banking app with the
    # transfer filled in, and those apps (VietQR.io's app ids: the ones it documents as filling in the form).
    VIETQR_BANK_CODE = os.environ.get("VIETQR_BANK_CODE", "")
    BANK_APPS = os.environ.get("BANK_APPS", "mb:MBBank,icb:VietinBank iPay,bidv:BIDV SmartBanking,acb:ACB ONE,"
                                            "ocb:OCB OMNI")
    # Stripe Checkout; without the secret key and the webhook secret the card option is hidden.
    STRIPE_SECRET_KEY = os.environ.get("STRIPE_SECRET_KEY", "")
    STRIPE_PUBLISHABLE_KEY = os.environ.get("STRIPE_PUBLISHABLE_KEY", "")
    STRIPE_WEBHOOK_SECRET = os.environ.get("STRIPE_WEBHOOK_SECRET", "")
    STRIPE_API_BASE = os.environ.get("STRIPE_API_BASE", "https://api.stripe.com")
    # Per-request timeout, and retries of network failures and 5xx answers (same idempotency key).
    STRIPE_TIMEOUT_SECONDS = float(os.environ.get("STRIPE_TIMEOUT_SECONDS", "20"))
    STRIPE_MAX_NETWORK_RETRIES = int(os.environ.get("STRIPE_MAX_NETWORK_RETRIES", "2"))
    # Where Stripe's hosted payment page lives: the checkout form may lead there (CSP form-action).
    STRIPE_CHECKOUT_ORIGIN = os.environ.get("STRIPE_CHECKOUT_ORIGIN", "https://checkout.stripe.com")
    # Order lookups (number and phone) allowed per client address per hour.
    ORDER_LOOKUPS_PER_HOUR = 30
    # Bank-feed services that report incoming transfers (README, "Bank transfers confirmed by themselves"):
    # each posts to BANK_FEED_PATH/<service> and is accepted only with its secret configured.
    BANK_FEED_PATH = os.environ.get("BANK_FEED_PATH", "/payments/bank-feed")
    SEPAY_WEBHOOK_SECRET = os.environ.get("SEPAY_WEBHOOK_SECRET", "")  # HMAC-SHA256 (preferred)
    SEPAY_API_KEY = os.environ.get("SEPAY_API_KEY", "")  # or "Authorization: Apikey …"
    CASSO_WEBHOOK_SECRET = os.environ.get("CASSO_WEBHOOK_SECRET", "")  # the webhook's checksum key
    # Who runs the shop, as the footer and the policy pages name it (Decree 52/2013/NĐ-CP, amended by
    # 85/2021/NĐ-CP, asks an online shop to publish them). The hotline is typed as people write it and
    # dialled in its +84 form. Production has no defaults: an empty value is left out of the pages.
    OPERATOR_NAME = os.environ.get("OPERATOR_NAME", "")
    OPERATOR_ADDRESS = os.environ.get("OPERATOR_ADDRESS", "")
    OPERATOR_HOTLINE = os.environ.get("OPERATOR_HOTLINE", "")
    OPERATOR_EMAIL = os.environ.get("OPERATOR_EMAIL", "")
    OPERATOR_REGISTRATION = os.environ.get("OPERATOR_REGISTRATION", "")
    # Days after delivery within which damaged or wrong goods may be reported for a return (the returns page).
    RETURN_DAYS = int(os.environ.get("RETURN_DAYS", "7"))
    # The picture a shared link shows for pages without one of their own (in static/, 1200×630).
    SHARE_IMAGE = "img/share-default.png"


# A fictional account, so that the demo shop takes VietQR transfers with no settings at all, and a demo
# bank-feed secret, so that `flask payments simulate-transfer` can confirm them.
_DEMO_BANK_FEED_SECRET = "demo-bank-feed-secret"
_DEMO_VIETQR = {
    "VIETQR_BANK_BIN": os.environ.get("VIETQR_BANK_BIN", "970436"),
    "VIETQR_BANK_NAME": os.environ.get("VIETQR_BANK_NAME", "Vietcombank"),
    "VIETQR_ACCOUNT_NUMBER": os.environ.get("VIETQR_ACCOUNT_NUMBER", "0123456789"),
    "VIETQR_ACCOUNT_NAME": os.environ.get("VIETQR_ACCOUNT_NAME", "TRUNG TAM OCOP QUANG NGAI (DEMO)"),
    "VIETQR_BANK_CODE": os.environ.get("VIETQR_BANK_CODE", "vcb"),
}


# A fictional operator, so that the demo's footer and policy pages read as they will (the demo notice says
# the data are fictional; the 555 number and the .example address reach nobody).
_DEMO_OPERATOR = {
    "OPERATOR_NAME": os.environ.get("OPERATOR_NAME", "Trung tâm OCOP Quảng Ngãi (demo)"),
    "OPERATOR_ADDRESS": os.environ.get("OPERATOR_ADDRESS", "Số 0 đường Minh Hoạ, phường Cẩm Thành, tỉnh Quảng Ngãi"),
    "OPERATOR_HOTLINE": os.environ.get("OPERATOR_HOTLINE", "0255 555 0000"),
    "OPERATOR_EMAIL": os.environ.get("OPERATOR_EMAIL", "lienhe@ocop.quangngai.example"),
    "OPERATOR_REGISTRATION": os.environ.get("OPERATOR_REGISTRATION", "0000000000 (demo)"),
}


class DevelopmentConfig(Config):
    OPERATOR_NAME = _DEMO_OPERATOR["OPERATOR_NAME"]
    OPERATOR_ADDRESS = _DEMO_OPERATOR["OPERATOR_ADDRESS"]
    OPERATOR_HOTLINE = _DEMO_OPERATOR["OPERATOR_HOTLINE"]
    OPERATOR_EMAIL = _DEMO_OPERATOR["OPERATOR_EMAIL"]
    OPERATOR_REGISTRATION = _DEMO_OPERATOR["OPERATOR_REGISTRATION"]
    VIETQR_BANK_BIN = _DEMO_VIETQR["VIETQR_BANK_BIN"]
    VIETQR_BANK_NAME = _DEMO_VIETQR["VIETQR_BANK_NAME"]
    VIETQR_ACCOUNT_NUMBER = _DEMO_VIETQR["VIETQR_ACCOUNT_NUMBER"]
    VIETQR_ACCOUNT_NAME = _DEMO_VIETQR["VIETQR_ACCOUNT_NAME"]
    VIETQR_BANK_CODE = _DEMO_VIETQR["VIETQR_BANK_CODE"]
    SEPAY_WEBHOOK_SECRET = os.environ.get("SEPAY_WEBHOOK_SECRET", _DEMO_BANK_FEED_SECRET)


class TestConfig(Config):
    OPERATOR_NAME = _DEMO_OPERATOR["OPERATOR_NAME"]
    OPERATOR_ADDRESS = _DEMO_OPERATOR["OPERATOR_ADDRESS"]
    OPERATOR_HOTLINE = _DEMO_OPERATOR["OPERATOR_HOTLINE"]
    OPERATOR_EMAIL = _DEMO_OPERATOR["OPERATOR_EMAIL"]
    OPERATOR_REGISTRATION = _DEMO_OPERATOR["OPERATOR_REGISTRATION"]
    TESTING = True
    SECRET_KEY = "test-secret"
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL", "sqlite://")
    PAGE_CACHE_SIZE = 0
    SUGGESTION_CACHE_SIZE = 0
    SEARCH_REBUILD_INLINE = True
    # Tests start a node's follower where they mean to.
    SEARCH_FOLLOW = "off"
    VIETQR_BANK_BIN = _DEMO_VIETQR["VIETQR_BANK_BIN"]
    VIETQR_BANK_NAME = _DEMO_VIETQR["VIETQR_BANK_NAME"]
    VIETQR_ACCOUNT_NUMBER = _DEMO_VIETQR["VIETQR_ACCOUNT_NUMBER"]
    VIETQR_ACCOUNT_NAME = _DEMO_VIETQR["VIETQR_ACCOUNT_NAME"]
    VIETQR_BANK_CODE = _DEMO_VIETQR["VIETQR_BANK_CODE"]
    STRIPE_SECRET_KEY = STRIPE_PUBLISHABLE_KEY = STRIPE_WEBHOOK_SECRET = ""
    BANK_FEED_PATH = "/payments/bank-feed"
    SEPAY_WEBHOOK_SECRET = "test-sepay-secret"
    SEPAY_API_KEY = ""
    CASSO_WEBHOOK_SECRET = "test-casso-checksum-key"


class ProductionConfig(Config):
    IS_PRODUCTION = True
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    REMEMBER_COOKIE_HTTPONLY = True
    PREFERRED_URL_SCHEME = "https"
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True, "pool_size": int(os.environ.get("DATABASE_POOL_SIZE", "5")),
                                 "max_overflow": int(os.environ.get("DATABASE_MAX_OVERFLOW", "5")),
                                 "pool_timeout": float(os.environ.get("DATABASE_POOL_TIMEOUT", "5"))}
    # Browsers keep to HTTPS for a year once they have seen the site over it.
    STRICT_TRANSPORT_SECURITY = "max-age=31536000; includeSubDomains"


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
