"""The whole demo shop crawled as each role, in both languages, with the page cache on: every same-site
link followed, every form submitted with plausible values, every page visited again with hostile
parameters. No answer may be a 5xx, show a raw placeholder, template syntax or a Python value, or speak
the other language's interface."""
from crawling import Crawler, Report, interface_strings

ROLES = {
    # role: (where it starts, the part of the site it walks whole; elsewhere a few pages of each kind)
    "guest": (["/", "/en/"], ("/",)),
    "customer": (["/account", "/en/account", "/cart", "/en/cart"], ("/account", "/orders", "/cart", "/checkout")),
    "producer": (["/producer/", "/en/producer/"], ("/producer",)),
    "office": (["/admin/", "/en/admin/"], ("/admin",)),
}


def test_the_whole_shop_in_both_languages_as_each_role(role_client):
    english, vietnamese = interface_strings()
    report = Report()
    for role, (starts, whole) in ROLES.items():
        client = role_client(role)
        crawler = Crawler(client, role, report, english, vietnamese, per_endpoint=None if role == "guest" else 6,
                          everything_under=whole)
        crawler.crawl(starts)
        crawler.revisit_with_hostile_parameters()
    print(f"\ncrawl: {len(report.pages)} pages, {report.requests} requests, {report.forms} forms submitted, "
          f"answers by class {dict(sorted(report.statuses.items()))}, "
          f"{report.statuses.get(500, 0)} 5xx, {len(report.problems)} problems")
    assert not report.problems, "\n".join(report.problems[:60])
    assert report.statuses.get(500, 0) == 0
    assert len(report.pages) > 500  # the crawler did reach the catalogue, the back office and the workspace
