"""Constants the tests share (sub-folders have conftest files of their own, so they import these from
here, never from a conftest)."""
import os

DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "sqlite://")
ON_POSTGRES = DATABASE_URL.startswith("postgresql")
# Every account made by the `make_user` fixture has this password.
PASSWORD = "mật-khẩu-đủ-dài-1"
# Delivered to a neighbouring province: 30.000 ₫ of delivery with the default zones (storefront/shipping).
CHECKOUT_FIELDS = {"name": "Nguyễn Thị Lan", "phone": "0912 345 678", "email": "lan@example.vn",
                   "fulfilment": "delivery", "province": "Đà Nẵng", "commune": "Phường Hải Châu",
                   "street": "12 Lê Lợi", "payment_method": "cod", "note": ""}
# The authenticator app's secret of every office account the fixtures make (tests.shop.enrol_second_factor).
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
