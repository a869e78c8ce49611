"""Posts named by their whole name, and the post a lead paragraph is about (names.py)."""
from pathlib import Path

import pytest

from assistant.answer.names import authority, name_phrases, named_in
from tests.helpers import bundled_with_posts

ROOT = Path(__file__).resolve().parents[1]

SOURCES = ["knowledge/plantar-fasciitis.md", "knowledge/heel-fat-pad-syndrome.html", "knowledge/runners-knee.md",
           "knowledge/bone-stress-injuries.md", "knowledge/side-stitch.txt", "knowledge/plica.txt"]
PHRASES = name_phrases(SOURCES)
FAT_PAD, PF = "knowledge/heel-fat-pad-syndrome.html", "knowledge/plantar-fasciitis.md"
LOOK_ALIKE = ("Plantar fasciitis hurts at the front inner edge of the heel and is sharp for the first "
              "few steps out of bed; fat pad pain sits under the middle of the heel.")


def test_a_post_is_named_by_its_file_name_as_a_phrase():
    assert named_in("is this plantar fasciitis or something else", PHRASES) == {PF}
    assert named_in("pt says it's my heel fat pads", PHRASES) == {FAT_PAD}
    assert named_in("runner's knee flared again", PHRASES) == {"knowledge/runners-knee.md"}
    assert named_in("a bone stress injury in my shin", PHRASES) == {"knowledge/bone-stress-injuries.md"}
    # one word is not a phrase ("plica"), and the words apart name nothing
    assert "knowledge/plica.txt" not in PHRASES
    assert named_in("my heel hurts, is the fat under it thin", PHRASES) == frozenset()


def test_a_name_of_three_words_may_leave_off_its_kind_of_injury():
    phrases = name_phrases(["knowledge/plantar-plate-tear.txt", "knowledge/meniscus-tear.txt",
                            "knowledge/pes-anserine-bursitis.md"])
    assert named_in("pt thinks i strained my plantar plate on hill reps", phrases) == {"knowledge/plantar-plate-tear.txt"}
    assert named_in("a torn plantar plate tear", phrases) == {"knowledge/plantar-plate-tear.txt"}
    assert named_in("is it pes anserine or arthritis", phrases) == {"knowledge/pes-anserine-bursitis.md"}
    # two words stay whole: "meniscus" alone is one word, no phrase
    assert named_in("my meniscus is sore", phrases) == frozenset()
    assert named_in("the plate on my shoe", phrases) == frozenset()


def test_a_name_of_a_place_and_a_condition_is_named_the_other_way_round_too():
    """Round 23: "the arthritis in my right ankle" led with the anterior ankle impingement post."""
    phrases = name_phrases(["knowledge/ankle-arthritis.txt", "knowledge/ankle-sprains.md",
                            "knowledge/meniscus-tear.txt", "knowledge/turf-toe.html"])
    assert named_in("ive known about the arthritis in my right ankle for years", phrases) == {"knowledge/ankle-arthritis.txt"}
    assert named_in("a bad sprain of the ankle in june", phrases) == {"knowledge/ankle-sprains.md"}
    assert named_in("mri showed a tear in my meniscus", phrases) == {"knowledge/meniscus-tear.txt"}
    # only a condition's name turns round: "toe" is a place, and a condition elsewhere names nothing
    assert named_in("turf on my toe", phrases) == frozenset()
    assert named_in("arthritis in my knee and a stiff ankle", phrases) == frozenset()


def test_a_paragraph_about_another_post_hands_it_the_lead_when_that_post_is_nearly_as_close():
    scores = {FAT_PAD: 1.0, PF: 0.95}
    assert authority(FAT_PAD, LOOK_ALIKE, scores.items(), PHRASES, frozenset(), 0.9) == PF
    # ...not when its own best block is far behind
    assert authority(FAT_PAD, LOOK_ALIKE, {FAT_PAD: 1.0, PF: 0.8}.items(), PHRASES, frozenset(), 0.9) == FAT_PAD
    # ...nor when the question named the lead's post ("heel fat pad or plantar fasciitis?")
    assert authority(FAT_PAD, LOOK_ALIKE, scores.items(), PHRASES, frozenset({FAT_PAD, PF}), 0.9) == FAT_PAD
    # a paragraph naming its own post, or none, or two others, speaks for its own post
    assert authority(PF, LOOK_ALIKE, {PF: 1.0, FAT_PAD: 0.99}.items(), PHRASES, frozenset(), 0.9) == PF
    assert authority(FAT_PAD, "Ice helps.", scores.items(), PHRASES, frozenset(), 0.9) == FAT_PAD
    both = LOOK_ALIKE + " Runner's knee is felt around the kneecap."
    assert authority(FAT_PAD, both, {**scores, "knowledge/runners-knee.md": 0.99}.items(), PHRASES,
                     frozenset(), 0.9) == FAT_PAD


@pytest.fixture(scope="module")
def two_kneecap_posts(tmp_path_factory, embedder):
    """The bundled articles plus the patellar tendinopathy post, the kneecap instability one, which
    says "patellar" all through it (patellar instability, the patellar groove), and the plantar
    plate post beside the bundled plantar fasciitis one; and the knee arthritis post."""
    realistic = ROOT / "tests" / "eval" / "realistic"
    return bundled_with_posts(tmp_path_factory.mktemp("two_kneecap_posts"), embedder,
                              realistic / "articles" / "patellar-tendinopathy.html",
                              realistic / "fresh15" / "articles" / "kneecap-instability.txt",
                              realistic / "fresh7" / "articles" / "plantar-plate-tear.txt",
                              realistic / "articles" / "running-with-knee-arthritis.md")


@pytest.mark.parametrize("question, post", [
    ("how long does patellar tendinopathy take to heal", "patellar-tendinopathy.html"),
    # named whole, it joins though retrieval found only the kneecap post's passages
    ("can i still ride my bike with runners knee", "runners-knee.md"),
    ("what can i do at home for a plantar plate strain? i basically live barefoot on tile floors",
     "plantar-plate-tear.txt"),
])
def test_a_post_named_by_its_whole_name_leads(two_kneecap_posts, question, post):
    """Named whole, and not weighed against another ("is it X or Y"), a post gains what a title
    word gives (pipeline: `titled`): another post's many "patellar"s or "plantar"s don't take the lead."""
    answer = two_kneecap_posts.ask(question)
    assert [c.source for c in answer.citations][:1] == [post], answer.answer[:300]
