"""Filler tagging at ingest, with the clinic's own rules (knowledge/filler.yaml) and the real model."""
import pytest

from assistant.errors import ConfigError
from assistant.ingest.filler_rules import load_filler
from assistant.ingest.tag import Tagger
from assistant.schema import CONTENT, Article, Block, Section
from tests.helpers import ROOT

RULES = load_filler(ROOT / "knowledge" / "filler.yaml")


def article(*sections):
    return Article(source="post.md", slug="post", title="Post", url=None,
                   sections=tuple(Section(h, tuple(blocks)) for h, blocks in sections))


def tags(tagged):
    return [(b.tag, b.text or " / ".join(b.items)) for s in tagged.sections for b in s.blocks]


def test_the_post_talking_about_itself_selling_and_chrome_are_tagged_and_content_is_not():
    post = article(
        (None, [Block("Posted on May 2, 2026 by Dr. Lee"),
                Block("Sore shins are common in spring. In this post I'll walk you through what helps.")]),
        ("What helps", [Block("Most shin pain settles with two weeks of easier running.")]),
        ("We can help", [Block("If you're in Meredith and this sounds like you, we can help!")]),
        ("When should I see someone?", [Block("Book in with us or your doctor if:", ("you limp", "it hurts at night"))]),
        (None, [Block("Related posts"), Block("", ("Shin Splints", "Calf Strains"))]),
    )
    tagged, _ = Tagger(RULES).tag(post)
    assert tags(tagged) == [
        ("nav", "Posted on May 2, 2026 by Dr. Lee"),
        (CONTENT, "Sore shins are common in spring."),  # a mixed paragraph is split where they meet
        ("intro", "In this post I'll walk you through what helps."),
        (CONTENT, "Most shin pain settles with two weeks of easier running."),
        ("sales", "If you're in Meredith and this sounds like you, we can help!"),
        (CONTENT, "Book in with us or your doctor if:"),  # a lead-in into when to be seen is content
        ("nav", "Related posts"),
        ("nav", "Shin Splints / Calf Strains"),  # titles under "Related posts" are chrome too
    ]


def test_readers_comments_and_the_address_under_their_own_headings_are_chrome():
    """A saved page's comment thread kept under "Reader comments (5)" was quoted as the post's
    own advice ("Rolled mine on the descent at a 30k..."), and a "Visit us" address as content."""
    post = article(
        ("What helps", [Block("Six weeks in a boot lets the tendon sheath scar down.")]),
        ("Reader comments (5)", [Block("Trail runner here. Rolled mine on a descent in June.")]),
        ("Notes & replies", [Block("", ("trailgoat said: mine went numb too", "runclub liked this"))]),
        ("Visit us", [Block("Icicle Creek Sports Physical Therapy, Front Street, Leavenworth")]),
        ("What the research says", [Block("Early movement did as well as surgery in the trials.")]),
        ("How long does it take?", [Block("\u00ab Winter running on icy back roads What your first PT visit looks like \u00bb")]),
    )
    tagged, _ = Tagger(RULES).tag(post)
    # the last: a saved page's previous / next post links, quoted in an answer in round 33's session
    assert [tag for tag, _ in tags(tagged)] == [CONTENT, "nav", "nav", "sales", CONTENT, "nav"]


def test_a_back_reference_loses_only_its_pointer():
    post = article(("Why", [Block("Like I said above, rest alone rarely fixes a tendon. As mentioned earlier, yes.")]))
    tagged, _ = Tagger(RULES).tag(post)
    assert tags(tagged) == [(CONTENT, "Rest alone rarely fixes a tendon."), ("backref", "As mentioned earlier, yes.")]


def test_a_list_lead_in_loses_its_back_reference_too():
    post = article(("What helps", [Block("As I mentioned above, the rubbing is the enemy. What helps:",
                                         ("a deeper toe box", "toe pads"))]))
    tagged, _ = Tagger(RULES).tag(post)
    assert tags(tagged) == [(CONTENT, "The rubbing is the enemy. What helps:")]
    assert tagged.sections[0].blocks[0].items == ("a deeper toe box", "toe pads")


def test_a_references_paragraph_is_chrome_however_it_reads_on():
    """The side stitch post ends "References: Morton D, Callister R. ... Sports Medicine, 2015 (about
    70% of runners ...)": only its first sentence was tagged, and round 19 quoted the rest as an
    answer. A label before a colon that would tag a heading tags its whole paragraph; a content
    paragraph that opens with a label of its own stays content."""
    post = article(("Why", [
        Block("References: Smith J, Lee K. Heel pain in runners. J Foot Res, 2019 (about 1 in 10 runners)."),
        Block("Sources of heel pain: the fascia, the fat pad and the heel bone itself."),
        Block("Schedule: three easy runs a week for the first month."),
    ]))
    tagged, _ = Tagger(RULES).tag(post)
    assert tags(tagged) == [
        ("nav", "References: Smith J, Lee K. Heel pain in runners. J Foot Res, 2019 (about 1 in 10 runners)."),
        (CONTENT, "Sources of heel pain: the fascia, the fat pad and the heel bone itself."),
        (CONTENT, "Schedule: three easy runs a week for the first month."),  # a sales heading's word, advice here
    ]


def test_a_sales_pitch_that_goes_on_stays_sales_and_content_after_it_does_not():
    """Round 21's posts end "..., come and see us at Animas Stride Physical Therapy. We'll test the
    nerve, look at your shoes and build a plan that keeps you running.": the second sentence sells
    nothing by its words, but it carries the pitch on (filler.yaml's sales `continues`)."""
    post = article(("How long", [
        Block("Most runners feel better in three weeks. If you run in Durango, come and see us at Animas "
              "Stride. We'll test the nerve and build a plan that keeps you running."),
        Block("We'll usually start with the laces."),  # no pitch before it: content
        Block("Come see us if the tingling lasts more than three weeks."),  # when to be seen: content
    ]))
    tagged, _ = Tagger(RULES).tag(post)
    assert tags(tagged) == [
        (CONTENT, "Most runners feel better in three weeks."),
        ("sales", "If you run in Durango, come and see us at Animas Stride. We'll test the nerve and build a "
                  "plan that keeps you running."),
        (CONTENT, "We'll usually start with the laces."),
        (CONTENT, "Come see us if the tingling lasts more than three weeks."),
    ]


def test_examples_catch_what_no_pattern_does(embedder):
    post = article((None, [Block("Our friendly team would love to get you back on the trails this summer."),
                           Block("Ice can calm a flare-up for a day or two.")]))
    tagged, vectors = Tagger(RULES, embedder.embed).tag(post)
    assert [t for t, _ in tags(tagged)] == ["sales", CONTENT]
    assert "Ice can calm a flare-up for a day or two." in vectors  # handed on: not embedded twice


def test_a_broken_rules_file_names_the_file_and_key(tmp_path):
    bad = tmp_path / "filler.yaml"
    bad.write_text("kinds:\n  sales:\n    patterns: ['(unclosed']\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"filler.yaml: kinds.sales.patterns"):
        load_filler(bad)
    bad.write_text("kinds:\n  jokes: {}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="unknown kind"):
        load_filler(bad)
    assert load_filler(tmp_path / "missing.yaml").kinds == ()  # no file: nothing is filler
