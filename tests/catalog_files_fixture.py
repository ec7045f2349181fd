"""The places and producers the sample import file names, and the upload's form body; imported by the
import tests."""
import pytest

from storefront.areas.models import AreaKind, AreaLevel
from storefront.catalog.models import ProducerType
from storefront.extensions import db


@pytest.fixture
def sample_producers(make_area, make_producer):
    """The former districts and producers that tests/data/ocop-import-sample.csv names (as in the demo)."""
    districts = {name: make_area(name=name, level=AreaLevel.FORMER_DISTRICT, kind=kind)
                 for name, kind in (("Lý Sơn", AreaKind.DISTRICT), ("Trà Bồng", AreaKind.DISTRICT),
                                    ("Ba Tơ", AreaKind.DISTRICT), ("Quảng Ngãi", AreaKind.CITY))}
    producers = {}
    for name, district, type in (
            ("HTX Sản xuất và kinh doanh tỏi Kim Lộc", "Lý Sơn", ProducerType.COOPERATIVE),
            ("HTX Nông lâm nghiệp Việt Vinh", "Trà Bồng", ProducerType.COOPERATIVE),
            ("HTX Dệt thổ cẩm An Đạt", "Ba Tơ", ProducerType.COOPERATIVE),
            ("HTX Du lịch cộng đồng Kim Hòa", "Lý Sơn", ProducerType.COOPERATIVE)):
        producers[name] = make_producer(name=name, type=type, area=make_area(parent=districts[district]))
    db.session.commit()  # a request that fails (and rolls back) keeps them
    return producers


def multipart(data: bytes, name: str, **fields) -> tuple[bytes, str]:
    """A form body built here: the test client would spool a large one to a temporary file it never closes."""
    boundary = "----ocop-test-boundary"
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode()
             for key, value in fields.items()]
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
                 f"Content-Type: application/octet-stream\r\n\r\n".encode() + data + b"\r\n")
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"
