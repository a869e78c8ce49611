"""Where on the body a question and a post's title are (assistant/answer/regions.py)."""
from __future__ import annotations

from pathlib import Path

import pytest

from assistant.answer.regions import elsewhere, posts_elsewhere, regions_of
from tests.helpers import bundled_with_posts

ROOT = Path(__file__).resolve().parents[1]


def test_places_are_read_from_words_and_synonyms():
    assert regions_of("Can I Run With Knee Arthritis?") == {"knee"}
    assert regions_of("hip arthritis flared, 3 weeks of a grumpy groin") == {"hip", "groin"}
    assert regions_of("deep ache right on the sit bone") == {"butt", "thigh"}  # where the hamstring starts
    assert regions_of("sharp pain on the inside of my thigh") >= {"groin"}
    assert regions_of("back to running after a break") == frozenset()  # a return, not a back
    # a part stands for its whole: the side of the hip is not the front of it
    assert regions_of("the side of my hip is sore getting up") == {"outer_hip"}
    assert regions_of("Hip Flexor Strain in Runners: That Pull at the Front of Your Hip") == {"front_hip"}
    assert elsewhere(regions_of("which stretches should i avoid with outer hip pain"),
                     regions_of("Hip Flexor Strain in Runners"))
    assert not elsewhere(regions_of("outer hip pain"), regions_of("Snapping Hip in Runners"))


def test_the_knee_has_sides():
    """"The outside of my knee" is IT band country, not the kneecap post's (fresh5, fresh23:
    runner's knee led them); "my knee" alone is any knee post's."""
    assert regions_of("now the outside of my knee burns at about mile 3") == {"outer_knee"}
    assert regions_of("Runner's Knee (Patellofemoral Pain)") == {"front_knee"}
    assert regions_of("MCL Sprains in Runners: Inside-of-the-Knee Pain After a Twist") == {"inner_knee"}
    assert regions_of("Pain at the Back-Outside of the Knee") == {"outer_knee", "back_knee"}
    assert regions_of("pain on the outside of my kneecap") == {"front_knee"}  # the kneecap's side is its front
    assert elsewhere(regions_of("outside of my knee hurts on downhills"), regions_of("Runner's Knee (Patellofemoral Pain)"))
    assert elsewhere(regions_of("the inside of my knee is puffy"), regions_of("Jumper's Knee: Patellar Tendinopathy"))
    assert not elsewhere(regions_of("my knee hurts on stairs"), regions_of("Runner's Knee (Patellofemoral Pain)"))
    assert not elsewhere(regions_of("outside of my knee hurts"), regions_of("Can I Run With Knee Arthritis?"))
    assert not elsewhere(regions_of("ache behind my kneecap"), regions_of("Runner's Knee (Patellofemoral Pain)"))


def test_a_part_is_in_its_whole_but_not_in_another_place():
    assert elsewhere(frozenset({"hip"}), frozenset({"knee"}))
    assert elsewhere(frozenset({"toe"}), frozenset({"heel"}))
    assert not elsewhere(frozenset({"foot"}), frozenset({"heel"}))  # a foot question may be about the heel
    assert not elsewhere(frozenset({"heel"}), frozenset({"foot"}))
    assert not elsewhere(frozenset({"knee", "hip"}), frozenset({"knee"}))
    assert not elsewhere(frozenset(), frozenset({"knee"}))  # a question naming no place
    assert not elsewhere(frozenset({"knee"}), frozenset())  # a title naming none ("Strength Training")


def test_the_post_the_question_names_is_never_elsewhere():
    places = {"knee.md": frozenset({"knee"}), "shins.md": frozenset({"shin"}), "hip.txt": frozenset({"hip"})}
    asked = "calf cramps and my foot goes pale, is that compartment syndrome"
    assert posts_elsewhere(asked, places, frozenset()) == {"knee.md", "shins.md", "hip.txt"}
    assert posts_elsewhere(asked, places, frozenset({"shins.md"})) == {"knee.md", "hip.txt"}


@pytest.fixture(scope="module")
def two_arthritis_posts(tmp_path_factory, embedder):
    """The bundled articles plus the knee arthritis post and the hip osteoarthritis one: two posts
    on the same condition, in two places, with a flare, its weeks and its hills in both."""
    realistic = ROOT / "tests" / "eval" / "realistic"
    return bundled_with_posts(tmp_path_factory.mktemp("two_arthritis_posts"), embedder,
                              realistic / "articles" / "running-with-knee-arthritis.md",
                              realistic / "fresh12" / "articles" / "hip-osteoarthritis.txt")


@pytest.mark.parametrize("question, post", [
    ("ran 8 miles on my arthritic knee, pain hit like 6/10 and its still worse today. did i damage it",
     "running-with-knee-arthritis.md"),
    ("ran in college, 90-100 mile weeks for years. now 41 and my knees creak. did all that mileage give "
     "me arthritis or is that a myth", "running-with-knee-arthritis.md"),
    ("my hip arthritis aches after long runs, should i stop running", "hip-osteoarthritis.txt"),
])
def test_an_arthritis_question_is_answered_from_its_places_post(two_arthritis_posts, question, post):
    answer = two_arthritis_posts.ask(question)
    assert [c.source for c in answer.citations][:1] == [post], answer.answer[:300]
