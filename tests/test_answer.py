"""The answer step as a pure function: hand-made passages and sentence vectors."""
import numpy as np

from assistant.answer.compose import AnswerParams, compose, escape_markdown, is_selling
from assistant.schema import Chunk, Hit, Unit


def unit_vector(*xs):
    v = np.asarray(xs, dtype=np.float32)
    return v / np.linalg.norm(v)


def chunk(cid, units, heading="Section"):
    return Chunk(id=cid, source=f"{cid}.md", slug=cid, title=f"Title {cid}", url=None, heading=heading,
                 units=tuple(units))


QUESTION = unit_vector(1, 0, 0)
PARAMS = AnswerParams(min_units=2, max_units=5, relative_floor=0.7, min_sentence_similarity=0.3)


def test_picks_relevant_sentences_in_article_order_and_numbers_citations_by_first_use():
    a = chunk("a", [Unit("Off topic sentence about shoes.", False, 0),
                    Unit("The key fact about knees is here.", False, 0),
                    Unit("A second knee fact follows it.", False, 0)])
    b = chunk("b", [Unit("Another article agrees about knees.", False, 0)])
    vectors = {"a": np.stack([unit_vector(0, 1, 0), unit_vector(1, 0.1, 0), unit_vector(0.9, 0, 0.45)]),
               "b": np.stack([unit_vector(0.8, 0, -0.6)])}
    composed = compose(QUESTION, [Hit(b, 0.02, 0.5), Hit(a, 0.03, 0.6)], vectors, PARAMS)
    assert composed.markdown.splitlines()[0] == (
        "The key fact about knees is here. [1] A second knee fact follows it. [1]")
    assert [c.chunk_id for c in composed.citations] == ["a", "b"]
    assert [c.n for c in composed.citations] == [1, 2]
    assert "Off topic" not in composed.markdown
    assert composed.citations[0].quote == a.text


def test_selling_sentences_and_lone_list_lead_ins_are_never_content():
    c = chunk("c", [Unit("Book an evaluation with us today.", False, 0),
                    Unit("Helpful steps include:", False, 1),
                    Unit("Cut back the runs that hurt.", True, 2),
                    Unit("Strengthen the hips.", True, 2)])
    vectors = {"c": np.stack([unit_vector(1, 0, 0)] * 2 + [unit_vector(0.9, 0.43, 0), unit_vector(0.85, 0, 0.5)])}
    composed = compose(QUESTION, [Hit(c, 0.03, 0.6)], vectors, PARAMS)
    assert "Book" not in composed.markdown
    # the items are chosen, and their lead-in comes along as context; a list stays a list
    assert composed.markdown == "Helpful steps include: [1]\n\n- Cut back the runs that hurt. [1]\n- Strengthen the hips. [1]"
    assert is_selling("We are accepting new patients.") and not is_selling("A discovery call is free.")


def test_a_sentence_that_leans_on_the_one_before_brings_it_along():
    c = chunk("c", [Unit("IT band syndrome irritates the outside of the knee.", False, 0),
                    Unit("This is why downhill running hurts most.", False, 0)])
    vectors = {"c": np.stack([unit_vector(0, 1, 0), unit_vector(1, 0, 0)])}
    composed = compose(QUESTION, [Hit(c, 0.03, 0.6)], vectors, AnswerParams(min_units=1, max_units=1))
    assert composed.markdown.startswith("IT band syndrome irritates")


def test_weak_matches_give_no_answer():
    c = chunk("c", [Unit("Completely unrelated words here.", False, 0)])
    assert compose(QUESTION, [Hit(c, 0.03, 0.2)], {"c": np.stack([unit_vector(0.1, 1, 0)])}, PARAMS) is None


def test_near_duplicates_are_not_repeated():
    c = chunk("c", [Unit("Ice the sore knee after runs.", False, 0), Unit("Ice your sore knee after running.", False, 1),
                    Unit("Strengthen the hip muscles too.", False, 2)])
    vectors = {"c": np.stack([unit_vector(1, 0.05, 0), unit_vector(1, 0.06, 0), unit_vector(0.8, 0, 0.6)])}
    composed = compose(QUESTION, [Hit(c, 0.03, 0.6)], vectors, PARAMS)
    assert composed.markdown.count("Ice") == 1 and "Strengthen" in composed.markdown


def test_article_text_cannot_smuggle_links_or_html():
    assert escape_markdown("[click](javascript:alert(1)) <b>x</b>") == \
        "\\[click\\](javascript:alert(1)) \\<b\\>x\\</b\\>"
