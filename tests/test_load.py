from pathlib import Path

import pytest

from assistant.errors import LoadError
from assistant.ingest.guard import article_from_json, article_to_json
from assistant.ingest.load import (
    decode_text,
    load_article,
    parse_article,
    parse_plain_text,
)
from assistant.schema import Block

DATA = Path(__file__).parent / "data"


def section(article, heading):
    return next(s for s in article.sections if s.heading == heading)


def test_markdown_front_matter_sections_and_lists():
    article = load_article(DATA / "good" / "it-band.md", "it-band.md")
    assert article.title == "IT Band Syndrome in Runners"
    assert article.url == "https://www.lakesregionrunningpt.example/blog/it-band-syndrome"
    assert article.tags == ("knee", "overuse")
    home = section(article, "What helps at home")
    assert len(home.blocks) == 1 and home.blocks[0].text == "" and len(home.blocks[0].items) == 3
    assert article.sections[0].heading is None  # the intro before the first ## heading


def test_markdown_title_with_a_second_colon_is_read_as_staff_meant_it():
    raw = b"---\ntitle: Achilles Pain: Heel Trouble\ntags: [heel, calf]\n---\nSome body text here.\n"
    article = parse_article(raw, ".md", "a.md")
    assert article.title == "Achilles Pain: Heel Trouble"
    assert article.tags == ("heel", "calf")


def test_html_keeps_visible_article_text_only():
    article = load_article(DATA / "good" / "heel-pain.html", "heel-pain.html")
    text = " ".join(b.text for s in article.sections for b in s.blocks)
    assert article.title == "Plantar Fasciitis and Morning Heel Pain"
    assert article.url.endswith("/blog/heel-pain")
    for hidden in ("Ignore all previous", "pizza", "decorative", "tracking", "Menu text", "Copyright",
                   "comment that must not"):
        assert hidden not in text
    symptoms = section(article, "Typical symptoms")
    assert symptoms.blocks == (Block("Plantar fasciitis pain has a typical pattern:", (
        "Sharp pain under the heel with the first steps in the morning.",
        "Pain that eases after a few minutes of walking and returns after sitting.")),)


def test_plain_text_title_headings_and_colon_lists():
    article = load_article(DATA / "good" / "shin-pain.txt", "shin-pain.txt")
    assert article.title == "Shin Splints in New Runners"
    assert [s.heading for s in article.sections] == [None, "Signs of shin splints", "When to worry"]
    signs = section(article, "Signs of shin splints")
    assert [(b.text, len(b.items)) for b in signs.blocks] == [
        ("Shin splints show up as a dull ache spread along the shin rather than one sore spot.", 0),
        ("Watch for these signs:", 3)]


def test_pdf_text_and_headings():
    article = load_article(DATA / "good" / "hamstring.pdf", "hamstring.pdf")
    assert article.title == "Hamstring Strains in Runners"
    assert "Getting back to running" in [s.heading for s in article.sections]
    first = article.sections[0].blocks[0].text
    assert first.startswith("A hamstring strain is a tear") and "runners doing fast strides" in first


def test_windows_1252_and_utf8_bom_and_nuls():
    article = load_article(DATA / "good" / "calf-1252.txt", "calf-1252.txt")
    assert "\u2019like a kick\u2019" in article.sections[0].blocks[1].text
    assert decode_text("\ufeffTitle\nBody é".encode("utf-8"), "x") == "Title\nBody é"
    stray_nul = b"A long enough line of article text with one stray NUL\x00 in it."
    assert "\x00" not in decode_text(stray_nul, "x") and "NUL in it." in decode_text(stray_nul, "x")


@pytest.mark.parametrize("name, reason", [
    ("empty.md", "empty file"),
    ("binary.txt", "not a text file"),
    ("notes.docx", "unsupported file type"),
    ("frontmatter-only.md", "no article text"),
])
def test_bad_files_are_named_with_a_reason(name, reason):
    with pytest.raises(LoadError) as caught:
        load_article(DATA / "bad" / name, name)
    assert caught.value.path == name and reason in caught.value.reason


def test_encrypted_and_truncated_pdfs_are_refused_with_reasons(tmp_path):
    import io

    from pypdf import PdfReader, PdfWriter

    from tests.pdfgen import HAMSTRING_LINES, make_pdf

    good = make_pdf(HAMSTRING_LINES)
    writer = PdfWriter()
    for page in PdfReader(io.BytesIO(good)).pages:
        writer.add_page(page)
    writer.encrypt("secret")
    encrypted = io.BytesIO()
    writer.write(encrypted)
    with pytest.raises(LoadError, match="password-protected"):
        parse_article(encrypted.getvalue(), ".pdf", "locked.pdf")
    with pytest.raises(LoadError, match="PDF"):
        parse_article(good[: len(good) // 3], ".pdf", "torn.pdf")


def test_a_plain_paragraph_wrapped_over_lines_is_one_block():
    sections, title = parse_plain_text("Title\n\nThe first line of a paragraph\ncontinues here.\n", "t", True)
    assert title == "Title"
    assert sections[0].blocks[0].text == "The first line of a paragraph continues here."


def test_text_copied_from_a_blog_page_drops_the_page_around_the_article():
    article = load_article(DATA / "blog" / "hip-flexor-strain.txt", "hip-flexor-strain.txt")
    assert article.title == "Hip Flexor Strain in Runners: Why the Front of Your Hip Hurts"
    headings = [s.heading for s in article.sections]
    assert headings == [None, "What are the hip flexors?", "Signs of a hip flexor strain",
                        "Why runners strain their hip flexors", "What you can do at home",
                        "When hip pain is something else"]
    text = " ".join(b.text for s in article.sections for b in s.blocks)
    for cruft in ("Posted on", "Share this", "About the author"):
        assert cruft not in text
    signs = section(article, "Signs of a hip flexor strain")
    assert len(signs.blocks) == 1 and signs.blocks[0].text.endswith("You may notice:")
    assert signs.blocks[0].items[0] == "Pain when lifting the knee toward the chest"
    assert len(signs.blocks[0].items) == 4


# ------------------------------------------------------------------ Markdown (markdown-it-py)

LISTS_MD = """---
title: Calf Raises for Runners
---
# Calf Raises

Strong calves carry runners up hills. Read [our strength guide](https://x.example/strength) first.
![a runner on a step](https://x.example/step.png) The photo shows the **start** _position_ and `tempo`.
<!-- staff note: check the sets with Chris -->

Do these three times a week:

- Straight-knee raises on a step
- Bent-knee raises, for the soleus:
  - both legs first
  - then one leg at a time
- Hops, once raises feel easy

1. Rise for two seconds.
2. Lower for three seconds.

<div class="callout">Raw HTML that staff pasted in.</div>

> Slow lowering matters more than the number of reps.

| Exercise | Sets |
|---|---|
| Calf raise | 3 x 15 |
"""


def test_markdown_list_with_its_lead_in_is_one_block_and_nested_items_fold_into_their_parent():
    article = parse_article(LISTS_MD.encode(), ".md", "calf.md")
    blocks = article.sections[0].blocks
    lists = [b for b in blocks if b.is_list]
    assert lists[0] == Block("Do these three times a week:", (
        "Straight-knee raises on a step",
        "Bent-knee raises, for the soleus: both legs first; then one leg at a time",
        "Hops, once raises feel easy"))
    assert lists[1] == Block("", ("Rise for two seconds.", "Lower for three seconds."))  # a list of its own


def test_markdown_inline_markup_links_images_comments_and_raw_html_become_plain_text():
    article = parse_article(LISTS_MD.encode(), ".md", "calf.md")
    assert article.title == "Calf Raises for Runners"  # the front matter wins over the # heading
    paragraphs = [b.text for b in article.sections[0].blocks if not b.is_list]
    assert paragraphs == [
        "Strong calves carry runners up hills. Read our strength guide first. "
        "The photo shows the start position and tempo.",
        "Slow lowering matters more than the number of reps.",  # a block quote is a paragraph
        "Exercise: Calf raise; Sets: 3 x 15",  # a table row reads as one paragraph
    ]
    text = " ".join(paragraphs)
    for markup in ("https://", "step.png", "staff note", "Raw HTML", "**", "`", "<"):
        assert markup not in text


def test_markdown_headings_of_every_level_start_sections_and_a_later_h1_is_a_section():
    body = b"# Title\n\nIntro text.\n\n## Two\n\nUnder two.\n\n### Three\n\nUnder three.\n\n# Later\n\nUnder later.\n"
    article = parse_article(body, ".md", "h.md")
    assert article.title == "Title"
    assert [s.heading for s in article.sections] == [None, "Two", "Three", "Later"]


# ------------------------------------------------------------------ HTML (trafilatura)

def test_wordpress_page_keeps_only_the_post_and_its_own_title():
    article = load_article(DATA / "blog" / "knee-stairs.html", "knee-stairs.html")
    assert article.title == "Why Your Knee Hurts on the Stairs"  # og:title, not "... - Lakes Region Running PT"
    assert article.url == "https://lakesregionrunningpt.example/blog/knee-stairs"
    assert [s.heading for s in article.sections] == [None, "Why stairs hurt", "What helps"]
    why = section(article, "Why stairs hurt")
    assert why.blocks[0].text.endswith("The usual suspects are:") and len(why.blocks[0].items) == 3
    helps = section(article, "What helps")
    assert helps.blocks[0].items[0] == "Lead with the good leg going up and the sore leg going down, for a week or two."
    text = " ".join(t for s in article.sections for b in s.blocks for t in (b.text, *b.items))
    for chrome in ("Home", "Posted on", "Share this", "Facebook", "About the author", "still races",
                   "Dana R.", "trail descents", "Leave a Reply", "Recent Posts", "Plica Syndrome",
                   "Newsletter", "Main Street", "Powered by", "Tags", "source: clinic notes", "gtag"):
        assert chrome not in text, chrome


def test_html_title_falls_back_to_the_h1_then_to_the_page_title_without_the_site_name():
    page = (DATA / "blog" / "knee-stairs.html").read_text()
    no_og = page.replace('<meta property="og:title" content="Why Your Knee Hurts on the Stairs">', "")
    no_og = no_og.replace('<h1 class="entry-title">Why Your Knee Hurts on the Stairs</h1>',
                          '<h1 class="entry-title">Knee Pain on Stairs</h1>')
    assert parse_article(no_og.encode(), ".html", "k.html").title == "Knee Pain on Stairs"
    short = ("<html><head><title>How to Avoid a Stitch | Lakes Region Running PT</title></head><body>"
             "<p>Slow down and breathe out fully until the stitch fades.</p></body></html>")
    article = parse_article(short.encode(), ".html", "s.html")
    assert article.title == "How to Avoid a Stitch"
    assert article.sections[0].blocks == (Block("Slow down and breathe out fully until the stitch fades."),)
    # trafilatura finds nothing in a page that is only a list; the tag walk reads it
    only_a_list = ("<html><head><title>Stitch Checklist - Lakes Region Running PT</title></head><body>"
                   "<ul><li>Slow down to a walk</li><li>Breathe out fully</li></ul></body></html>")
    article = parse_article(only_a_list.encode(), ".html", "l.html")
    assert article.title == "Stitch Checklist"
    assert article.sections[0].blocks == (Block("", ("Slow down to a walk", "Breathe out fully")),)


# A site builder's page of bare <div>s (round 21's GoDaddy page, cut down): trafilatura finds no
# container it knows and returns the page's loose paragraphs, byline and footer in, headings and
# lists out.
BUILDER_PAGE = """<html><head><title>Blog | Lakes Stride PT</title></head><body>
<div data-ux="Page" class="x-el c1-1"><div data-ux="Block" class="x-el c1-2">
<div data-ux="Header" class="x-el c1-3"><p class="x-el c1-4">Lakes Stride PT</p></div>
<div data-ux="Widget" class="x-el c1-5"><div data-ux="Block" class="x-el c1-6">
<h1 data-ux="BlogTitle" class="x-el c1-7">Tingling on Top of the Foot</h1>
<p data-aid="POST_AUTHOR" class="x-el c1-8">Jo Brook, PT, DPT</p>
<p data-aid="POST_DATE" class="x-el c1-8">Dec 2, 2026 <span>· 6 min read</span></p>
<div data-ux="BlogContent" class="x-el c1-9 x-rt">
<p><span>A few runners each autumn tell me the top of the foot buzzes halfway through a long run and settles after the shoes come off.</span></p>
<h2>Why it happens</h2>
<p><span>The nerve on top of the foot likes room to slide, and a run takes some of that room away. The usual reasons are:</span></p>
<ul><li><span>Laces cranked down over the high point of the foot</span></li>
<li><span>An old ankle sprain that left the nerve tethered</span></li>
<li><span>Swelling late in long or hot runs</span></li></ul>
<h2>What helps</h2>
<p><span>Skip the eyelets over the sore spot and ease off the top two, so the tongue lies flat on the foot.</span></p>
<p><span>Balance work and calf raises steady the ankle so it rolls less on rough trails and tugs the nerve less.</span></p>
</div></div></div>
<div data-ux="Footer" class="x-el c1-10"><p class="x-el c1-11">12 Main Street, Meredith, New Hampshire 03253, open weekdays</p>
<p class="x-el c1-11">Copyright 2026 Lakes Stride PT - All Rights Reserved. Powered by a site builder</p></div>
</div></div></body></html>"""


def test_builder_page_of_bare_divs_keeps_the_posts_headings_and_lists_and_drops_its_byline():
    article = parse_article(BUILDER_PAGE.encode(), ".html", "b.html")
    assert article.title == "Tingling on Top of the Foot"
    assert [s.heading for s in article.sections] == [None, "Why it happens", "What helps"]
    reasons = section(article, "Why it happens").blocks[0]
    assert reasons.text.endswith("The usual reasons are:") and len(reasons.items) == 3
    text = " ".join(t for s in article.sections for b in s.blocks for t in (b.text, *b.items))
    for chrome in ("Jo Brook", "min read", "Main Street", "Copyright", "Lakes Stride PT"):
        assert chrome not in text, chrome


def test_a_builder_page_whose_densest_block_is_its_comments_keeps_the_post():
    """The flat fallback reads the densest element alone only when it holds most of the text: here
    the comment thread has the most paragraphs, and read alone it would lose the post itself."""
    post = " ".join(["Easy running on flat ground keeps the tendon loaded without flaring it, so most "
                     "runners keep going while it settles over six to eight weeks."] * 3)
    page = ("<html><head><title>Blog | Stride PT</title></head><body><div class=\"x-el c1\">"
            f"<div class=\"x-el c2\"><p>{post}</p><p>{post}</p></div><div class=\"x-el c3\"><h3>4 comments</h3>"
            + "".join(f"<p>Reader {i} says this helped a lot with my own tendon on the trails.</p>" for i in range(4))
            + "</div></div></body></html>")
    article = parse_article(page.encode(), ".html", "c.html")
    assert any(b.text.startswith("Easy running on flat ground") for s in article.sections for b in s.blocks)


def test_a_list_inside_a_builders_paragraph_div_is_split_out_with_its_lead_in():
    """Round 17's Weebly-style page puts a <ul> inside <div class="paragraph">; round 21 quoted it
    run together: "The usual culprits are:A new block of hill repeats..."."""
    page = ("<html><head><title>FHL - Stride PT</title></head><body><article><h1>FHL Pain in Runners</h1>"
            '<div class="paragraph">The tendon was asked to do more, faster, than it was ready for. '
            "The usual culprits are:<ul><li>A new block of hill repeats</li><li>A quick jump in weekly "
            "mileage</li></ul>The forefoot part deserves a mention, because landing on it loads the tendon.</div>"
            '<h2>What helps</h2><div class="paragraph">Calm the tendon first, then make it stronger than it was '
            "before, over eight to twelve weeks of steady work.</div></article></body></html>")
    article = parse_article(page.encode(), ".html", "f.html")
    blocks = article.sections[0].blocks
    assert blocks[0].text.endswith("The usual culprits are:")
    assert blocks[0].items == ("A new block of hill repeats", "A quick jump in weekly mileage")
    assert blocks[1] == Block("The forefoot part deserves a mention, because landing on it loads the tendon.")


def test_html_url_is_canonical_or_og_url_and_only_a_web_link():
    page = '<html><head><meta property="og:url" content="{}"></head><body><p>Calf raises help runners.</p></body></html>'
    assert parse_article(page.format("https://x.example/a").encode(), ".html", "a.html").url == "https://x.example/a"
    assert parse_article(page.format("javascript:alert(1)").encode(), ".html", "a.html").url is None


# ------------------------------------------------------------------ pasted text

def test_pasted_text_numbered_headings_faq_headings_and_lists_after_a_lead_in():
    article = load_article(DATA / "blog" / "calf-cramps.txt", "calf-cramps.txt")
    assert article.title == "Calf Cramps on the Run: What Helps"
    assert [s.heading for s in article.sections] == [
        None, "What causes calf cramps?", "How to prevent them", "Build up the long run",
        "Strengthen the calves", "Practise race pace", "When to see a doctor"]
    causes = section(article, "What causes calf cramps?")
    assert "Sound familiar?" in [b.text for b in causes.blocks]  # a question with no answer under it stays text
    doctor = section(article, "When to see a doctor")
    assert doctor.blocks == (Block("See a doctor before you run again if:", (
        "The calf stays swollen, warm or red after the cramp eases",
        "Cramps wake you at night every week",
        "You feel weak or dizzy with the cramps")),)


def test_pasted_text_drops_byline_share_bar_comment_counts_author_box_and_related_posts():
    article = load_article(DATA / "blog" / "calf-cramps.txt", "calf-cramps.txt")
    text = " ".join(t for s in article.sections for b in s.blocks for t in (b.text, *b.items))
    for cruft in ("Posted on", "Share this", "Facebook", "3 Comments", "About the author",
                  "physical therapist at", "Related Posts", "Calf Strains and Calf Cramps in Runners",
                  "Return to Running After Injury", "Leave a comment"):
        assert cruft not in text, cruft
    assert article.sections[-1].blocks[-1].items[-1] == "You feel weak or dizzy with the cramps"


def test_pasted_text_drops_a_byline_with_credentials_and_a_bare_date_line():
    """Round 6-9's pasted posts open "By Dr. ..., PT, DPT | <clinic>" then "Posted November 30,
    2026 | Foot & Ankle": the byline was quoted as the intro and the date line became a heading.
    A sentence that starts with "By" stays."""
    from assistant.ingest.text import parse_plain_text

    pasted = ("Heel Pain After Long Runs\nBy Dr. Sam Jones, PT, DPT | Lakes Region Running PT\n"
              "Posted November 30, 2026 | Foot & Ankle, Running Injuries\n\n"
              "By mile 3 my heel aches, and I see this a lot in the clinic.\n\n"
              "What helps?\nCalf raises done slowly, three times a week, help most runners.\n")
    sections, title = parse_plain_text(pasted, "heel.txt", first_line_is_title=True)
    assert title == "Heel Pain After Long Runs"
    assert [s.heading for s in sections] == [None, "What helps?"]
    assert [b.text for b in sections[0].blocks] == ["By mile 3 my heel aches, and I see this a lot in the clinic."]


def test_pasted_text_drops_a_share_bar_pasted_one_button_a_line():
    """Round 6's sinus tarsi post ends "Share this:" then "Facebook", "Twitter", "Email" on lines
    of their own, after its last FAQ answer: round 11's "normal sprain or the high ankle kind??"
    was answered with that answer and then "Facebook", "Twitter", "Email" as quotes."""
    from assistant.ingest.text import parse_plain_text

    pasted = ("Sinus Tarsi Pain\n\nIs it the same as a high ankle sprain?\n"
              "No. A high ankle sprain is higher up, between the two shin bones.\n\n"
              "Share this:\nFacebook\nTwitter\nEmail\n\nLike this:\nLike Loading...\n")
    sections, _ = parse_plain_text(pasted, "sinus.txt", first_line_is_title=True)
    assert [(s.heading, [b.text for b in s.blocks]) for s in sections] == [
        ("Is it the same as a high ankle sprain?", ["No. A high ankle sprain is higher up, between the two shin bones."])]


def test_pasted_text_with_a_blank_line_under_each_heading_keeps_its_headings():
    """Round 19's pasted post put a blank line under "1. What is ankle arthritis?" and under its FAQ
    questions: the numbered ones became one-item lists and the questions plain lines, so answers
    quoted "- What is ankle arthritis?" under the post's intro. A spaced-out numbered list stays
    a list; a short chatty question stays text."""
    from assistant.ingest.text import parse_plain_text

    pasted = ("Ankle Stiffness\n\n1. What is it?\n\nIt is wear of the cartilage in the ankle joint.\n\n"
              "Sound familiar?\n\nMost runners notice it first thing in the morning.\n\n"
              "Three things help:\n\n1. Softer surfaces\n\n2. A rocker shoe\n\n"
              "3. Calf raises\n\nDo them slowly, three times a week, for at least six weeks.\n\n"
              "Can I keep running with it?\n\nOften, yes, with less downhill and shorter runs.\n")
    sections, _ = parse_plain_text(pasted, "ankle.txt", first_line_is_title=True)
    assert [s.heading for s in sections] == ["What is it?", "Can I keep running with it?"]
    assert [(b.text, b.items) for b in sections[0].blocks] == [
        ("It is wear of the cartilage in the ankle joint.", ()), ("Sound familiar?", ()),
        ("Most runners notice it first thing in the morning.", ()),
        ("Three things help:", ()), ("", ("Softer surfaces", "A rocker shoe", "Calf raises")),
        ("Do them slowly, three times a week, for at least six weeks.", ())]


def test_pasted_text_drops_a_reading_time_and_a_comment_form():
    from assistant.ingest.text import parse_plain_text

    pasted = ("Ankle Stiffness\n8 min read\n\nIt is wear of the cartilage in the ankle joint.\n\n"
              "Leave a Reply\nYour email address will not be published. Required fields are marked *\n\n"
              "Comment *\n\nName *\n\nEmail *\n\nPost Comment\n")
    sections, _ = parse_plain_text(pasted, "ankle.txt", first_line_is_title=True)
    assert [b.text for s in sections for b in s.blocks] == ["It is wear of the cartilage in the ankle joint."]


# ------------------------------------------------------------------ the worker's wire format

def test_articles_cross_the_worker_boundary_unchanged():
    article = load_article(DATA / "blog" / "knee-stairs.html", "knee-stairs.html")
    assert article_from_json(article_to_json(article)) == article


def test_pasted_text_items_after_a_lead_in_may_run_to_a_long_sentence():
    # Cut at a heading's length, "We grade strains like this:" was quoted without its grades.
    text = ("Groin strain\n\nWhat is it?\nWe grade strains like this:\n"
            "Grade 1: a mild strain with a few fibres damaged, sore but you can still walk and jog normally\n"
            "Grade 2: a partial tear, with pain walking, weakness, and often bruising\n\n"
            "A long paragraph follows after a blank line and stays a paragraph of its own.\n")
    sections, _ = parse_plain_text(text, "t", True)
    lead_in, grades, paragraph = sections[-1].blocks  # the lead-in joins its list later (attach_lead_ins)
    assert lead_in.text == "We grade strains like this:" and len(grades.items) == 2
    assert paragraph.items == ()
