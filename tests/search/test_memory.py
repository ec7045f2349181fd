"""The index as each worker holds it in memory: Whoosh's own scores, and only new segments read again."""
import numpy as np
import pytest
from whoosh.query import Term

from storefront.extensions import db
from storefront.search import index, memory
from storefront.search.queries import _add_phrase


@pytest.fixture
def products(make_product, make_producer):
    producer = make_producer(name="HTX Nông nghiệp Hòa Bình")
    made = [make_product(name_vi=name, name_en=english, producer=producer if "Tỏi" in name else None,
                         summary_en=f"{english}, made by hand.") for name, english in (
        ("Nước mắm cá cơm Sa Huỳnh", "Sa Huỳnh anchovy fish sauce"),
        ("Nước mắm nhĩ", "First-press fish sauce"),
        ("Mạch nha Thi Phổ", "Thi Phổ malt syrup"),
        ("Tỏi Lý Sơn", "Lý Sơn garlic"),
        ("Tỏi đen Lý Sơn ngâm mật ong rừng", "Lý Sơn black garlic in wild honey"),
    )]
    db.session.commit()
    index.rebuild()
    return made


@pytest.mark.parametrize("field, term", [("name", "nuoc"), ("name", "toi"), ("name_exact", "tỏi"),
                                         ("name_en", "garlic"), ("text_en", "fish"), ("producer", "hoa")])
def test_a_term_scores_as_whoosh_scores_it(app, find, products, field, term):
    with app.test_request_context("/search"):
        snap = memory.snapshot()
        documents, scores = snap.term_scores(field, term)
        ours = {int(snap.product_ids[d]): float(s) for d, s in zip(documents, scores)}
        with index.open_index().searcher() as searcher:
            theirs = {int(hit["id"]): hit.score for hit in searcher.search(Term(field, term), limit=None)}
    assert theirs and ours.keys() == theirs.keys()
    for product_id, score in theirs.items():
        assert ours[product_id] == pytest.approx(score, rel=1e-4)


def test_a_commit_reads_only_the_new_segment_and_the_old_document_stops_matching(app, find, products):
    renamed = products[2]
    assert find("mach nha").ids == [renamed.id]
    with app.test_request_context("/search"):
        before = dict(memory.holder().segments)
    assert len(before) == 1

    renamed.name_vi = "Kẹo gương Thi Phổ"
    db.session.commit()
    assert find("mach nha").ids == []
    assert find("keo guong").ids == [renamed.id]
    with app.test_request_context("/search"):
        after = memory.holder().segments
        snap = memory.snapshot()
    assert len(after) == 2
    assert all(after[segment_id] is data for segment_id, data in before.items())  # not read again
    assert list(snap.product_ids[snap.alive]).count(renamed.id) == 1


def test_a_phrase_needs_its_words_side_by_side(app, find, products):
    # "mật ong" stands in one name; "ong mật" in none, though both words are there.
    assert find("mat ong").ids[0] == products[4].id
    with app.test_request_context("/search"):
        snap = memory.snapshot()
        everything = np.ones(snap.size, bool)
        for words, expected in ((["mat", "ong"], {products[4].id}), (["ong", "mat"], set()),
                                (["nuoc", "mam"], {products[0].id, products[1].id})):
            total = np.zeros(snap.size, np.float32)
            _add_phrase(total, snap, "name", words, 1.0, everything)
            assert {int(i) for i in snap.product_ids[total > 0]} == expected, words


def test_edits_count_a_swap_of_neighbours_as_one():
    assert memory.edits("garlik", "garlic", 2) == 1
    assert memory.edits("cinamon", "cinnamon", 2) == 1
    assert memory.edits("toi", "tio", 2) == 1
    assert memory.edits("cinammon", "cinnamon", 2) == 2
    assert memory.edits("mamxx", "mam", 1) == 2  # past the limit: limit + 1
