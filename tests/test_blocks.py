"""Whole blocks: put back together across passages, and quoted whole or as a run."""
from assistant.answer.blocks import (
    BlockIndex,
    BlockKey,
    escape_markdown,
    plain,
    quoted_units,
    render,
)
from assistant.schema import HEADING, ITEM, LEAD_IN, SENTENCE, Chunk, Unit


def chunk(cid, units, section=0, part=0, heading="Signs"):
    return Chunk(id=cid, source="a.md", slug="a", title="A", url=None, heading=heading, units=tuple(units),
                 section=section, part=part)


def block_of(*units):
    index = BlockIndex([chunk("a#1", units)])
    (block,) = index.blocks.values()
    return block


def test_a_block_split_over_two_passages_is_one_block_again_in_article_order():
    first = chunk("a#1", [Unit("Signs", HEADING, -1), Unit("Common signs are:", LEAD_IN, 0),
                          Unit("pain at the bottom of the kneecap", ITEM, 0)], part=0)
    second = chunk("a#2", [Unit("Signs", HEADING, -1), Unit("stiffness after sitting", ITEM, 0),
                           Unit("Book now!", SENTENCE, 1, "sales")], part=1)
    index = BlockIndex([second, first])  # the store returns passages in any order
    (block,) = index.blocks.values()  # the heading is no block, the sales line is filler
    assert [u.text for u in block.units] == ["Common signs are:", "pain at the bottom of the kneecap",
                                             "stiffness after sitting"]
    assert block.first.id == "a#1" and index.sections[("a.md", 0)] == [block]


def test_a_short_list_comes_whole_with_its_lead_in():
    block = block_of(Unit("Common signs are:", LEAD_IN, 0), *[Unit(f"sign {i}", ITEM, 0) for i in range(8)])
    units, more = quoted_units(block, {"sign 3"}, "and {count} more in the article")
    assert [u.text for u in units] == ["Common signs are:"] + [f"sign {i}" for i in range(8)] and more == ""
    assert render(units, more, 2).splitlines()[:3] == ["Common signs are: [2]", "", "- sign 0 [2]"]


def test_a_long_list_keeps_the_matching_items_and_points_to_the_rest():
    block = block_of(Unit("Triggers include:", LEAD_IN, 0), *[Unit(f"trigger {i}", ITEM, 0) for i in range(11)])
    units, more = quoted_units(block, {"trigger 2", "trigger 9"}, "and {count} more in the article")
    assert [u.text for u in units] == ["Triggers include:", "trigger 2", "trigger 9"]
    assert more == "and 9 more in the article"
    assert render(units, more, 1).endswith("- and 9 more in the article")
    assert plain(units, more) == "Triggers include:\n- trigger 2\n- trigger 9\nand 9 more in the article"
    # Asked for ("what causes it", the causes section): every item answers, so eight are shown,
    # the matching ones among them, in the article's order.
    units, more = quoted_units(block, {"trigger 9"}, "and {count} more in the article", asked_for=True)
    assert [u.text for u in units] == ["Triggers include:"] + [f"trigger {i}" for i in (0, 1, 2, 3, 4, 5, 6, 9)]
    assert more == "and 3 more in the article"


def test_a_lead_in_is_never_quoted_without_its_items():
    block = block_of(Unit("What helps:", LEAD_IN, 0), Unit("easier runs", ITEM, 0), Unit("hip strength", ITEM, 0))
    units, _ = quoted_units(block, {"What helps:"}, "")
    assert [u.kind for u in units] == [LEAD_IN, ITEM, ITEM]


def test_a_paragraph_ending_on_a_colon_leads_into_nothing_quoted():
    """Round 27's spent sets: "Here's how I tell them apart:" closed a paragraph that sub-headings
    followed; 8 of 1,914 answers quoted such a lead-in with nothing of its section after it. It is
    left out now (kept when its continuation, the next block, is quoted), and a paragraph that is
    nothing else quotes nothing."""
    block = block_of(Unit("Several problems hurt in the same place.", SENTENCE, 0),
                     Unit("Here's how I tell them apart:", SENTENCE, 0))
    units, _ = quoted_units(block, {"Here's how I tell them apart:"}, "")
    assert [u.text for u in units] == ["Several problems hurt in the same place."]
    units, _ = quoted_units(block_of(Unit("It comes in two main forms:", SENTENCE, 0)), set(), "")
    assert units == []
    # ...but when the next block, its continuation, is quoted too, the lead-in stays with it
    units, _ = quoted_units(block, set(), "", continued=True)
    assert units[-1].text == "Here's how I tell them apart:"


def test_a_promise_of_what_follows_is_a_lead_in_too_and_sub_headings_belong_to_it():
    """"Here's the plan we usually follow." closes a section whose plan sits under sub-headings
    ("1. Settle the load", "Calm it down") up to the next heading that asks or opens like a FAQ."""
    promise = block_of(Unit("Most plica problems settle without surgery.", SENTENCE, 0),
                       Unit("Here's the plan we usually follow.", SENTENCE, 0))
    assert [u.text for u in quoted_units(promise, set(), "")[0]] == ["Most plica problems settle without surgery."]
    said = block_of(Unit("Here's the thing: most knees settle in six weeks.", SENTENCE, 0))
    assert quoted_units(said, set(), "")[0] == list(said.units)  # it says something itself
    sections = [("What helps?", "Here's the plan we usually follow."), ("1. Calm it down", "Fewer hills."),
                ("Work the hips", "Side planks."), ("When you need a scan or a doctor", "If it locks."),
                ("Stretch gently", "Hamstrings.")]
    index = BlockIndex([chunk(f"a#{i}", [Unit(text, SENTENCE, 0)], section=i, heading=heading)
                        for i, (heading, text) in enumerate(sections)])
    assert [b.text for b in index.sub_sections("a.md", 0)] == ["Fewer hills.", "Side planks."]
    assert index.sub_sections("a.md", 1) == [] and index.next_key(BlockKey("a.md", 0, 0)) == BlockKey("a.md", 1, 0)
    assert index.sub_heads == {BlockKey("a.md", 1, 0), BlockKey("a.md", 2, 0)}
    assert render([Unit("Fewer hills.", SENTENCE, 0)], "", 2, "1. Calm it down") == "**1. Calm it down**\n\nFewer hills. [2]"


def test_a_short_paragraph_is_one_thought_and_comes_whole():
    block = block_of(*[Unit(f"Sentence {i} says one short thing.", SENTENCE, 0) for i in range(4)])
    units, _ = quoted_units(block, {"Sentence 2 says one short thing."}, "")
    assert len(units) == 4


def test_a_long_paragraph_gives_its_relevant_run_reaching_back_over_a_leaning_sentence():
    filler = " ".join(["word"] * 30)
    texts = [f"Opening {filler}.", "Tendons need load to heal well.", f"This is why rest alone fails {filler}.",
             f"Closing {filler}."]
    block = block_of(*[Unit(t, SENTENCE, 0) for t in texts])
    units, _ = quoted_units(block, {texts[2]}, "")
    assert [u.text for u in units] == texts[1:3]  # "This is why..." brings the sentence it leans on


def test_article_text_cannot_smuggle_links_or_html():
    assert escape_markdown("[click](javascript:alert(1)) <b>x</b>") == \
        "\\[click\\](javascript:alert(1)) \\<b\\>x\\</b\\>"
