"""The bank-feed webhook as the services send it, and as an attacker would: each service's authentication,
bodies that are not what the service documents, money going out or into another account, replays. Every
refusal records nothing; every delivery recorded once is answered as the service expects, so it stops."""
import hashlib
import hmac
import json
import time

import pytest
from sqlalchemy import func, select

from storefront.bankfeed.feeds import Casso
from storefront.bankfeed.models import BankTransfer
from storefront.extensions import db
from storefront.payments.models import PaymentTransaction

from bankfeed.deliveries import SHOP_ACCOUNT, WEBHOOK, deliver, post_raw, signed, transfer

SEPAY_SECRET, CASSO_KEY = "test-sepay-secret", "test-casso-checksum-key"


def recorded() -> int:
    return db.session.scalar(select(func.count()).select_from(BankTransfer))


def sepay_document(**changes) -> dict:
    """SePay's documented example, adjusted."""
    document = {"id": 92704, "gateway": "Vietcombank", "transactionDate": "2026-12-04 14:02:37",
                "accountNumber": SHOP_ACCOUNT, "code": None, "content": "chuyen tien", "transferType": "in",
                "transferAmount": 2277000, "accumulated": 19077000, "subAccount": None,
                "referenceCode": "MBVCB.3278907687", "description": ""}
    document.update(changes)
    return document


def sepay_headers(body: bytes, secret=SEPAY_SECRET, timestamp=None) -> dict:
    timestamp = str(int(time.time()) if timestamp is None else timestamp)
    signature = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return {"X-SePay-Timestamp": timestamp, "X-SePay-Signature": f"sha256={signature}"}


def post_sepay(client, document, **header_options):
    body = document if isinstance(document, bytes) else json.dumps(document).encode()
    return post_raw(client, "sepay", body, sepay_headers(body, **header_options))


def test_a_sepay_delivery_is_answered_as_sepay_expects_and_recorded_once(client):
    response = post_sepay(client, sepay_document())
    assert response.status_code == 200 and response.get_json()["success"] is True
    assert response.get_json()["outcome"] == "to_reconcile"  # no order named: kept for the office
    again = post_sepay(client, sepay_document())
    assert again.status_code == 200 and again.get_json()["outcome"] == "duplicate"
    stored = db.session.scalars(select(BankTransfer)).one()
    assert (stored.provider, stored.provider_id, stored.amount, stored.bank_reference) == \
        ("sepay", "92704", 2277000, "MBVCB.3278907687")
    # The bank's Vietnam time, stored in UTC.
    assert stored.transferred_at.isoformat() == "2026-12-04T07:02:37"


def test_casso_v2_deliveries_are_checked_with_their_own_signature(app, client):
    body, headers = signed(app, transfer("chuyen tien", 150_000, provider_id=7001), feed="casso")
    assert client.post(f"{WEBHOOK}/casso", data=body, headers=headers).status_code == 200
    assert db.session.scalars(select(BankTransfer)).one().provider == "casso"
    # The signature covers the body: one changed amount and it is refused.
    forged = body.replace(b"150000", b"950000")
    assert client.post(f"{WEBHOOK}/casso", data=forged, headers=headers).status_code == 401
    # Keys in another order sign the same document (Casso signs it with its keys sorted).
    document = json.loads(body)
    reordered = json.dumps({"data": dict(reversed(list(document["data"].items()))), "error": 0}).encode()
    assert client.post(f"{WEBHOOK}/casso", data=reordered, headers=headers).get_json()["outcome"] == "duplicate"
    assert recorded() == 1


@pytest.mark.parametrize("headers", [
    {},
    {"X-SePay-Timestamp": "1", "X-SePay-Signature": "sha256=00"},
    {"Authorization": "Apikey test-sepay-secret"},  # the key alone is not enough once HMAC is configured
])
def test_sepay_without_a_valid_signature_is_refused(client, headers):
    body = json.dumps(sepay_document()).encode()
    response = post_raw(client, "sepay", body, headers)
    assert response.status_code == 401 and response.get_json()["success"] is False
    assert recorded() == 0


def test_a_signature_from_another_secret_or_a_replayed_old_one_is_refused(client):
    body = json.dumps(sepay_document()).encode()
    assert post_raw(client, "sepay", body, sepay_headers(body, secret="guessed")).status_code == 401
    stale = sepay_headers(body, timestamp=int(time.time()) - 3600)
    assert post_raw(client, "sepay", body, stale).status_code == 401
    ahead = sepay_headers(body, timestamp=int(time.time()) + 3600)
    assert post_raw(client, "sepay", body, ahead).status_code == 401
    assert recorded() == 0


def test_the_api_key_authenticates_sepay_when_no_secret_is_set(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "SEPAY_WEBHOOK_SECRET", "")
    monkeypatch.setitem(app.config, "SEPAY_API_KEY", "k3y-from-sepay")
    document = sepay_document()
    assert post_raw(client, "sepay", document, {"Authorization": "Apikey wrong"}).status_code == 401
    assert post_raw(client, "sepay", document, {}).status_code == 401
    assert post_raw(client, "sepay", document, {"Authorization": "Apikey k3y-from-sepay"}).status_code == 200
    assert recorded() == 1


def test_a_service_without_its_secret_is_not_there(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "CASSO_WEBHOOK_SECRET", "")
    body, headers = signed(app, transfer("x", 1000), feed="sepay")
    monkeypatch.setitem(app.config, "SEPAY_WEBHOOK_SECRET", "")
    assert client.post(f"{WEBHOOK}/sepay", data=body, headers=headers).status_code == 404
    assert client.post(f"{WEBHOOK}/casso", data=b"{}").status_code == 404
    assert client.post(f"{WEBHOOK}/unknown", data=b"{}").status_code == 404
    assert client.get(f"{WEBHOOK}/sepay").status_code == 405


def test_the_casso_signature_must_be_there_and_fresh(app, client):
    body, headers = signed(app, transfer("x", 1000), feed="casso", now=time.time() - 3600)
    assert client.post(f"{WEBHOOK}/casso", data=body, headers=headers).status_code == 401
    assert client.post(f"{WEBHOOK}/casso", data=body, headers={"X-Casso-Signature": "t=1"}).status_code == 401
    assert client.post(f"{WEBHOOK}/casso", data=body).status_code == 401
    assert recorded() == 0


@pytest.mark.parametrize("change, field", [
    ({"transferAmount": 10000.5}, "transferAmount"),
    ({"transferAmount": "10000"}, "transferAmount"),
    ({"transferAmount": True}, "transferAmount"),
    ({"transferAmount": -5}, "transferAmount"),
    ({"transferAmount": 10**16}, "transferAmount"),
    ({"transferType": "sideways"}, "transferType"),
    ({"id": None}, "id"),
    ({"id": "92704\x00"}, "id"),
    ({"id": {"$gt": ""}}, "id"),
    ({"accountNumber": ["0123456789"]}, "accountNumber"),
    ({"transactionDate": "yesterday"}, "transactionDate"),
    ({"content": 12}, "content"),
])
def test_a_malformed_sepay_body_is_refused_and_names_the_field(client, change, field):
    response = post_sepay(client, sepay_document(**change))
    assert response.status_code == 400, response.get_json()
    assert field in response.get_json()["error"]
    assert recorded() == 0


@pytest.mark.parametrize("body", [b"", b"not json", b"[1, 2]", b"null", b'{"transferType": "in"}', b"NaN",
                                  b"[" * 5000 + b"]" * 5000])
def test_a_body_that_is_no_transaction_is_refused(client, body):
    assert post_sepay(client, body).status_code == 400
    assert recorded() == 0


def test_a_body_too_large_is_refused_before_it_is_read(client):
    body = json.dumps(sepay_document(content="x" * 70_000)).encode()
    assert post_sepay(client, body).status_code == 413
    assert recorded() == 0


def test_money_going_out_or_into_another_account_is_acknowledged_and_not_recorded(app, client):
    out = post_sepay(client, sepay_document(transferType="out"))
    assert out.status_code == 200 and out.get_json()["outcome"] == "ignored"
    elsewhere = post_sepay(client, sepay_document(id=5, accountNumber="9999999999"))
    assert elsewhere.status_code == 200 and elsewhere.get_json()["outcome"] == "ignored"
    negative = deliver(client, app, transfer("tien ra", 50_000, incoming=False), feed="casso")
    assert negative.status_code == 200 and negative.get_json()["outcome"] == "ignored"
    assert recorded() == 0 and db.session.scalar(select(func.count()).select_from(PaymentTransaction)) == 0


def test_control_characters_in_a_description_are_kept_as_spaces(client):
    response = post_sepay(client, sepay_document(content="QN\x00ABC\u0007 chuyen khoan\u202e"))
    assert response.status_code == 200
    assert db.session.scalars(select(BankTransfer)).one().description == "QN ABC  chuyen khoan"


@pytest.mark.parametrize("timestamp", ["9" * 400, "1e9", "-5", "١٧٣٣٣٢", " 1733320000", ""])
def test_a_timestamp_that_is_no_time_is_refused(client, timestamp):
    body = json.dumps(sepay_document()).encode()
    headers = sepay_headers(body)
    headers["X-SePay-Timestamp"] = timestamp
    assert post_raw(client, "sepay", body, headers).status_code == 401
    casso = {"X-Casso-Signature": f"t={timestamp},v1=00"}
    assert post_raw(client, "casso", b'{"error": 0, "data": {}}', casso).status_code == 401
    assert recorded() == 0


def test_a_deeply_nested_casso_body_is_refused_not_crashed(client):
    body = b'{"error": 0, "data": ' + b"[" * 5000 + b"]" * 5000 + b"}"
    headers = {"X-Casso-Signature": f"t={int(time.time() * 1000)},v1=00"}
    assert post_raw(client, "casso", body, headers).status_code == 401


def test_casso_v1_lists_several_transactions_recorded_once_each(app, client):
    one, two = transfer("chuyen tien", 10_000, provider_id=9002), transfer("chuyen tien", 20_000, provider_id=9001)
    documents = [json.loads(signed(app, facts, feed="casso")[0])["data"] for facts in (one, two)]
    document = {"error": 0, "data": documents}
    stamp = str(int(time.time() * 1000))
    headers = {"X-Casso-Signature": f"t={stamp},v1={Casso._signature(CASSO_KEY, stamp, document)}"}
    answer = post_raw(client, "casso", document, headers).get_json()
    assert [item["id"] for item in answer["transactions"]] == ["9002", "9001"]
    assert post_raw(client, "casso", document, headers).get_json()["transactions"][0]["outcome"] == "duplicate"
    assert recorded() == 2
