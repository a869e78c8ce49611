from pathlib import Path

import pytest

from assistant.errors import LoadError
from assistant.ingest.load import (
    decode_text,
    load_article,
    parse_article,
    parse_plain_text,
)

DATA = Path(__file__).parent / "data"


def section(article, heading):
    return next(s for s in article.sections if s.heading == heading)


def test_markdown_front_matter_sections_and_lists():
    article = load_article(DATA / "good" / "it-band.md", "it-band.md")
    assert article.title == "IT Band Syndrome in Runners"
    assert article.url == "https://www.lakesregionrunningpt.example/blog/it-band-syndrome"
    assert article.tags == ("knee", "overuse")
    home = section(article, "What helps at home")
    assert all(block.is_item for block in home.blocks) and len(home.blocks) == 3
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
    assert [b.is_item for b in symptoms.blocks] == [False, True, True]


def test_plain_text_title_headings_and_colon_lists():
    article = load_article(DATA / "good" / "shin-pain.txt", "shin-pain.txt")
    assert article.title == "Shin Splints in New Runners"
    assert [s.heading for s in article.sections] == [None, "Signs of shin splints", "When to worry"]
    signs = section(article, "Signs of shin splints")
    assert [b.is_item for b in signs.blocks] == [False, False, True, True, True]


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
    assert sum(b.is_item for b in signs.blocks) == 4
