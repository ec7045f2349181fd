"""Three app nodes and nginx, started once for the cluster tests by the launcher `make cluster` uses
(deploy/cluster.py), each node with folders of its own, on a PostgreSQL database of their own
(`<test database>_cluster`), with the demo catalogue.

PostgreSQL only (several processes share the database). Without nginx the tests are skipped, unless
REQUIRE_NGINX=1 (CI), which makes a missing nginx a failure.

Fixtures for tests of what crosses nodes:
    cluster        the running Cluster: cluster.nodes[i].url (direct to a node), cluster.url (nginx),
                   cluster.nodes[i].folders() (instance, media, search-index), restart_node()
    cluster_app    an app in this process on the cluster's database (page cache off), to read or stage
                   data: `with cluster_app.app_context(): …`
    office         office(node) → a Browser signed in as an OCOP administrator, pointed at that node
    visitor        visitor(node) → a Browser with no cookies, pointed at that node (or at nginx)
"""
import os
import shutil

import pytest

from shared import ON_POSTGRES, PASSWORD, TOTP_SECRET

pytestmark = pytest.mark.cluster

OFFICE_EMAIL = "office@cluster.test"


def _nginx_or_skip():
    from deploy.cluster import find_nginx

    if find_nginx() is not None:
        return
    what = "nginx is not installed (apt-get install -y nginx-light)"
    if os.environ.get("REQUIRE_NGINX") == "1":
        pytest.fail(f"REQUIRE_NGINX=1 but {what}", pytrace=False)
    pytest.skip(f"cluster tests skipped: {what} (set REQUIRE_NGINX=1 to make this an error)")


@pytest.fixture(scope="session")
def cluster(tmp_path_factory):
    if not ON_POSTGRES:
        pytest.skip("cluster tests run on PostgreSQL only (several nodes share one database): "
                    "set TEST_DATABASE_URL")
    _nginx_or_skip()
    from bench.server import free_port
    from deploy.cluster import Cluster

    from shop import _drop_database, _recreated_database

    folder = tmp_path_factory.mktemp("cluster")
    database_url = _recreated_database("cluster")
    # The development configuration (plain HTTP on 127.0.0.1: cookies without Secure), never the tests'.
    settings = {"OCOP_ENV": "development"}
    cluster = Cluster(directory=folder, database_url=database_url, nodes_count=3, port=free_port(),
                      node_ports=[free_port() for _ in range(3)], settings=settings)
    try:
        cluster.prepare(demo=True)
        cluster.start()
        yield cluster
    finally:
        cluster.stop()
        _drop_database("cluster")
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def cluster_app(cluster, tmp_path_factory):
    from storefront import create_app
    from storefront.config import DevelopmentConfig
    from storefront.extensions import db

    app = create_app(type("ClusterConfig", (DevelopmentConfig,), {
        "SQLALCHEMY_DATABASE_URI": cluster.database_url, "PAGE_CACHE_SIZE": 0, "SUGGESTION_CACHE_SIZE": 0,
        "SEARCH_INDEX_DIR": str(tmp_path_factory.mktemp("cluster-reader") / "index"),
        "SECRET_KEY": cluster.base_env()["SECRET_KEY"],
    }))
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(scope="session")
def office_account(cluster_app):
    from storefront.accounts.models import Role, User
    from storefront.extensions import db

    from shop import enrol_second_factor

    with cluster_app.app_context():
        user = User(email=OFFICE_EMAIL, role=Role.ADMIN, name="Văn phòng OCOP")
        user.set_password(PASSWORD)
        db.session.add(user)
        db.session.flush()
        enrol_second_factor(user, TOTP_SECRET)
        db.session.commit()
        user_id = user.id
        db.session.remove()
    return user_id


@pytest.fixture
def visitor(cluster):
    from cluster_shop import Browser

    return lambda node=None: Browser(node.url if node is not None else cluster.url)


@pytest.fixture
def office(cluster, cluster_app, office_account):
    """office(node): a browser signed in (password, then the authenticator's code) on `node`."""
    from cluster_shop import Browser, Forms
    from storefront.extensions import db

    from shop import second_factor_code

    def sign_in(node):
        browser = Browser(node.url)
        page = browser.get("/sign-in")
        parser = Forms()
        parser.feed(page.text)
        fields = next(form["fields"] for form in parser.forms if "password" in form["fields"])
        answer = browser.post("/sign-in", {**fields, "email": OFFICE_EMAIL, "password": PASSWORD})
        assert answer.status_code == 302 and "/sign-in/code" in answer.headers["Location"], answer.text[:500]
        with cluster_app.app_context():
            code = second_factor_code(office_account)
            db.session.commit()
            db.session.remove()
        answer = browser.submit("/sign-in/code", "/sign-in/code", code=code)
        assert answer.status_code == 302, answer.text[:500]
        assert browser.get("/admin/").status_code == 200
        return browser

    return sign_in
