"""Answers on posts the way clinics really write them (tests/data/blog and two of the realistic
measurement articles): filler is never quoted, "is it X?" is answered, a follow-up stays."""
import re
import shutil

import pytest
import yaml

from assistant.schema import CONTENT
from tests.helpers import DATA, ROOT, make_knowledge

REALISTIC = ROOT / "tests" / "eval" / "realistic"
POSTS = ("bakers-cyst.md", "side-stitch.txt")
BAIT = ["who wrote this article", "are you accepting new patients in meredith", "how do i book a discovery call",
        "related posts about knees", "share this on facebook", "what will you walk me through in this post",
        "like you mentioned above what was it", "about the author"]


@pytest.fixture(scope="module")
def blog(tmp_path_factory, embedder):
    from assistant.answer.pipeline import Assistant
    from assistant.config import Settings
    from assistant.ingest.run import run_ingest

    base = tmp_path_factory.mktemp("blog")
    knowledge = make_knowledge(base / "knowledge", "it-band.md")
    for path in (DATA / "blog").iterdir():
        shutil.copy(path, knowledge)
    for name in POSTS:
        shutil.copy(REALISTIC / "articles" / name, knowledge)
    settings = Settings(knowledge_dir=knowledge, store_dir=base / "store")
    assert run_ingest(settings, lambda: embedder).published
    return Assistant.from_settings(settings, embedder=embedder)


def unescaped(markdown: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"\\(.)", r"\1", re.sub(r" \[\d+\]", "", markdown)))


def test_no_filler_is_ever_quoted(blog):
    filler = {u.text for c in blog.retriever.opened.chunks.values() for u in c.units
              if u.tag != CONTENT and len(u.text.split()) >= 4}
    assert len(filler) >= 10  # the posts carry intros, selling, bios and share bars
    questions = [q["q"] for q in yaml.safe_load((REALISTIC / "questions.yaml").read_text())["questions"]
                 if q["split"] == "dev" and q["article"] in ("bakers-cyst", "side-stitch")]
    answered = 0
    for question in questions + BAIT:
        answer = blog.ask(question)
        answered += answer.status == "answered"
        text = unescaped(answer.answer)
        assert not [f for f in filler if f in text], question
    assert answered >= len(questions)


def test_is_it_x_gets_the_articles_answer_then_the_exam_line(blog, clinic):
    answer = blog.ask("theres a squishy lump behind my knee, is that a bakers cyst or something worse??")
    assert answer.status == "answered" and answer.citations[0].source == "bakers-cyst.md"
    assert answer.answer.endswith(clinic.messages["exam_only"].strip())
    assert answer.booking.links[0] == clinic.evaluation  # the evaluation offer comes first
    declined = blog.ask("diagnose me please, what do i have")
    assert declined.status == "out_of_scope" and declined.answer == clinic.scope["diagnosis"]


def test_a_long_list_comes_whole_and_headings_from_numbered_lines_are_cited(blog):
    answer = blog.ask("how do i stop a side stitch when i get one mid run")
    assert answer.citations[0].source == "side-stitch.txt" and answer.citations[0].heading
    items = [line for line in answer.answer.splitlines() if line.startswith("- ")]
    lead_ins = [line for line in answer.answer.splitlines() if line.rstrip(" [0123456789]").endswith(":")]
    assert not lead_ins or items  # never a lead-in without its items


def test_a_follow_up_that_names_nothing_new_stays_with_the_article(blog):
    first = blog.ask("i always get a side stitch around mile 3")
    follow = blog.ask("what should i eat before then", [("i always get a side stitch around mile 3", first.answer)])
    assert first.citations[0].source == "side-stitch.txt"
    assert follow.citations and follow.citations[0].source == "side-stitch.txt"


def test_a_new_uncovered_question_after_an_answer_is_still_not_covered(blog):
    first = blog.ask("the outside of my knee hurts on long runs")
    later = blog.ask("what heart rate zone should my easy runs be in",
                     [("the outside of my knee hurts on long runs", first.answer)])
    assert first.status == "answered" and later.status == "no_match"


@pytest.fixture(scope="module")
def comeback_posts(tmp_path_factory, embedder):
    """The bundled articles plus two posts that each have a section on coming back: the
    meralgia paresthetica post ("Will it come back?") and the Sever's one ("If it comes back")."""
    from tests.helpers import bundled_with_posts

    return bundled_with_posts(tmp_path_factory.mktemp("comeback"), embedder,
                              REALISTIC / "fresh8" / "articles" / "meralgia-paresthetica.txt",
                              REALISTIC / "fresh14" / "articles" / "severs-disease.txt")


def test_a_follow_up_naming_no_topic_stays_with_the_post_just_quoted(comeback_posts):
    first = "my meralgia paresthetica finally settled after i got rid of the tight tights"
    answer = comeback_posts.ask(first)
    assert answer.citations[0].source == "meralgia-paresthetica.txt"
    follow = comeback_posts.ask("is it likely to come back", history=[(first, answer.answer)])
    assert [c.source for c in follow.citations][:1] == ["meralgia-paresthetica.txt"], follow.answer[:300]


def test_an_urgent_answer_quotes_the_posts_own_warning_though_the_question_asks_for_a_name(comeback_posts):
    # "is it just X?" asks for the symptoms; the warning sign in the story makes it urgent, and the
    # post's "When to see a doctor urgently" says why, though retrieval found only its symptoms
    answer = comeback_posts.ask("achilles has been sore for weeks, tonight i found a little dip in the cord "
                                "that the other side doesnt have. still tendinopathy?")
    assert answer.triage == "urgent" and answer.citations[0].source == "achilles-tendinopathy.md"
    assert "When to see a doctor urgently" in {c.heading for c in answer.citations}, answer.answer[:400]


def test_a_post_named_whole_is_never_taken_for_a_running_adjacent_question(comeback_posts):
    # hills, the house, driving: it reads like training logistics, but "itb" names the IT band post
    answer = comeback_posts.ask("we live at the top of a steep mile long hill so every run starts or ends going "
                                "straight down it, and my itb hates that part. any way to keep running from home "
                                "or should i drive somewhere flat for a while")
    assert answer.status == "answered" and answer.citations[0].source == "it-band-syndrome.md", answer.answer[:300]


def test_a_follow_up_that_says_it_changes_the_subject_leaves_the_post(comeback_posts):
    first = "my meralgia paresthetica finally settled after i got rid of the tight tights"
    answer = comeback_posts.ask(first)
    follow = comeback_posts.ask("switching topics, my pt offered dry needling for 40 bucks extra a session. "
                                "does that stuff actually work?", history=[(first, answer.answer)])
    assert "meralgia-paresthetica.txt" not in {c.source for c in follow.citations}, follow.answer[:300]
