"""Plain text as staff paste it from a blog page or as pypdf gives it: title on the first line,
short heading lines, list items one per line, and the page's cruft left out.

Hand-written: text copied out of a browser has no markup left for a library to parse, only
line breaks, so the structure is read from the lines themselves. What a browser copy of a
blog post looks like (tests/data/blog/, tests/eval/realistic/articles/*.txt): a paragraph is
one line and paragraphs are separated by blank lines; a heading is a short line directly
followed by its first paragraph; list items are adjacent lines after a lead-in ending in ':';
"1. Food and drink" above a paragraph is a numbered heading, not a list, whether or not a blank
line comes between them (round 19's pasted post had one under each numbered heading).
"""
from __future__ import annotations

import re

from assistant.ingest.markdown import clean_inline
from assistant.schema import Block, Section

_BULLET = re.compile(r"^[-*+•◦▪‣]\s+(.*)$")
_NUMBERED = re.compile(r"^\d{1,3}[.)]\s+(.*)$")
_END_PUNCT = tuple(".!?:;,\"'”’)")
_SENTENCE_END = (".", "!", "?", ":")

# Lines a blog page wraps around an article (bylines, share bars, comment counts): copied
# along with the text, never part of it.
_MONTH = r"(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_CRUFT_LINE = re.compile(
    r"^(posted (on|by|in)\b|published (on|by)\b|written by\b|"
    # "Posted November 30, 2026 | Foot & Ankle", "Updated 3 Jan 2026", a date alone
    rf"((posted|published|updated)\s+)?({_MONTH}\s+\d{{1,2}},?\s+\d{{4}}|\d{{1,2}}\s+{_MONTH}\s+\d{{4}})(\s*([|,\u2022\u00b7-].*)?)$|"
    # "By Dr. Laura Pelletier, PT, DPT | Lakes Region Running PT": a byline, with its bar or credentials
    r"by\s+[^|]{0,60}(\|.*|,\s*(pt|dpt|mpt|md|do|dpm|atc|cscs|phd)\b[^.!?]*)$|"
    r"share( this)?( post| article)?\s*(:|$)|share on\b|filed under\b|tags?\s*:|categor(y|ies)\s*:|"
    r"leave a (reply|comment)|(no|one|\d+) (comments?|responses?|replies)$|\d+ thoughts? on\b|read more\b|"
    r"previous (post|article)\b|next (post|article)\b|"
    # a share bar pasted one button a line ("Facebook", "Twitter", "Email"), WordPress's "Like this:"
    r"(facebook|twitter|x|pinterest|linkedin|e-?mail|print|whatsapp|reddit|tumblr|pocket|telegram|threads|"
    r"bluesky|mastodon|like this:?|like loading\.*)$|"
    # a reading time, and a comment form pasted with its labels (round 19's pasted post)
    r"\d{1,3}[- ]?(min|mins|minutes?)( read)?$|(reading|read) time:?\s*\d|"
    r"your email address will not be published\b|required fields are marked\b|post comment$|"
    r"(name|e-?mail|website|comment|message)\s*\*$)",
    re.I)
# Lines that head a block of cruft: the line and the lines right under it (up to the next blank
# line) go. The author box is dropped as trafilatura drops it from saved HTML; the related-posts
# box is a list of other articles' titles.
_CRUFT_BOX = re.compile(
    r"^(about the author\b|related (posts|articles|reading)\b|you (may|might) also (like|enjoy)\b)", re.I)


# A question of five words or more that starts like an FAQ heading is a heading even with a blank
# line under it ("Can I keep running with ankle arthritis?"); "Sound familiar?" is not.
_FAQ_QUESTION = re.compile(r"^(can|could|should|how|what|when|why|is|are|do|does|will|which|who)(\s+\S+){4,}", re.I)


def parse_plain_text(text: str, source: str, first_line_is_title: bool) -> tuple[list[Section], str | None]:
    """(sections, title): title = first non-empty line; see the module's docstring for the rest."""
    lines = [" ".join(line.split()) for line in text.split("\n")]
    title = None
    if first_line_is_title:
        for i, line in enumerate(lines):
            if line:
                title = clean_inline(line.lstrip("#").strip())
                lines = lines[i + 1:]
                break
    lines = [line if clean_inline(line) else "" for line in _without_cruft(lines)]  # "<div>" is blank
    # The next non-empty line after each line, computed once: scanning ahead from every line
    # made a long PDF quadratic.
    following_of, upcoming = [""] * len(lines), ""
    for i in range(len(lines) - 1, -1, -1):
        following_of[i] = upcoming
        upcoming = lines[i] or upcoming

    sections: list[Section] = []
    heading: str | None = None
    blocks: list[Block] = []
    in_list = False  # after a lead-in ending in ':', until a blank line
    before, previous = "", ""  # the non-empty line before this one
    for i, line in enumerate(lines):
        if not line:
            in_list = False
            continue
        before, previous = previous, line
        following = following_of[i]
        adjacent = i + 1 < len(lines) and bool(lines[i + 1])  # no blank line before `following`
        after_blank = i == 0 or not lines[i - 1]
        bullet, numbered = _BULLET.match(line), _NUMBERED.match(line)
        if numbered and after_blank and (adjacent or not _NUMBERED.match(before)) \
                and _is_heading_words(numbered.group(1)) and _is_body(following):
            # "1. Food and drink" with its own paragraph under it: a numbered heading (a blank line
            # between them too, unless the line before was a numbered item: a spaced-out list)
            if blocks:
                sections.append(Section(heading, tuple(blocks)))
            heading, blocks, in_list = clean_inline(numbered.group(1)), [], False
            continue
        if bullet or numbered or (in_list and _is_item(line)):
            _add_item(blocks, clean_inline((bullet or numbered).group(1) if bullet or numbered else line))
            continue
        in_list = False
        if _is_heading(line, following, adjacent):
            if blocks:
                sections.append(Section(heading, tuple(blocks)))
            heading, blocks = clean_inline(line), []
            continue
        if (blocks and not blocks[-1].is_list and not blocks[-1].text.endswith(_END_PUNCT)
                and line[:1].islower()):
            # a paragraph wrapped across lines (common in PDF text)
            blocks[-1] = Block(f"{blocks[-1].text} {clean_inline(line)}")
        else:
            blocks.append(Block(clean_inline(line)))
        if line.endswith(":") and adjacent and _is_item(following):
            in_list = True
    if blocks:
        sections.append(Section(heading, tuple(blocks)))
    return sections, title


def _without_cruft(lines: list[str]) -> list[str]:
    kept: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        i += 1
        if _CRUFT_BOX.match(line):
            while i < len(lines) and lines[i]:
                i += 1
        elif not _CRUFT_LINE.match(line):
            kept.append(line)
    return kept


def _add_item(blocks: list[Block], item: str) -> None:
    """The item joins the list just above it or starts one (its lead-in: blocks.attach_lead_ins)."""
    if not item:
        return
    if blocks and blocks[-1].is_list:
        blocks[-1] = Block(blocks[-1].text, blocks[-1].items + (item,))
    else:
        blocks.append(Block("", (item,)))


def _is_item(line: str) -> bool:
    """A line under a lead-in ending ':' (no blank line between): an item when it is one
    sentence of a plain list's length. Pasted lists run longer than a heading ("Grade 1: a mild
    strain with a few fibres damaged, sore but you can still walk and jog normally", 19 words);
    cut at 18 words, the lead-in was quoted without its items."""
    return 0 < len(line) <= 200 and len(line.split()) <= 32


def _is_heading_words(line: str) -> bool:
    """Short, starts like a title, no sentence ending (a question mark is allowed)."""
    words = line.split()
    if not (0 < len(words) <= 12 and len(line) <= 90):
        return False
    if line.endswith(tuple(".!;:,\"”")) or not (line[:1].isupper() or line[:1].isdigit()):
        return False
    return line.endswith("?") or (len(words) <= 10 and len(line) <= 70)


def _is_body(line: str) -> bool:
    """A paragraph's first line: not an item, and long or a finished sentence."""
    if not line or _BULLET.match(line) or _NUMBERED.match(line) or line[:1].islower():
        return False
    return len(line) > 80 or line.endswith(_SENTENCE_END)


def _is_heading(line: str, following: str, adjacent: bool) -> bool:
    """A short line that starts like a title, has no sentence ending, and leads into body text.
    A short question is a heading only directly above its answer ("What are the hip flexors?"),
    so a chatty one-line paragraph ("Sound familiar?") stays a paragraph; one that reads like an
    FAQ heading (`_FAQ_QUESTION`) is a heading with a blank line under it too."""
    if _BULLET.match(line) or _NUMBERED.match(line) or not _is_heading_words(line):
        return False
    if line.endswith("?") and not adjacent and not _FAQ_QUESTION.match(line):
        return False
    return _is_body(following)
