"""Plain text as staff paste it from a blog or a PDF: title on the first line, short heading lines,
list items one per line, and the page's cruft (share bars, bylines) left out."""
from __future__ import annotations

import re

from assistant.ingest.markdown import ITEM, clean_inline
from assistant.schema import Block, Section

_END_PUNCT = tuple(".!?:;,\"'”’)")


def parse_plain_text(text: str, source: str, first_line_is_title: bool) -> tuple[list[Section], str | None]:
    """Title = first non-empty line; short unpunctuated lines followed by body text are
    headings; a line ending in ':' followed by short lines makes a list."""
    lines = [re.sub(r"\s+", " ", line).strip() for line in text.split("\n")]
    title = None
    if first_line_is_title:
        for i, line in enumerate(lines):
            if line:
                title = clean_inline(line.lstrip("#").strip())
                lines = lines[i + 1:]
                break
    lines = [line for line in lines if not _BLOG_CRUFT.match(line)]
    sections: list[Section] = []
    heading: str | None = None
    blocks: list[Block] = []
    in_list = False
    # The next non-empty line after each line, computed once: scanning ahead from every line
    # made a long PDF quadratic.
    following_of, upcoming = [""] * len(lines), ""
    for i in range(len(lines) - 1, -1, -1):
        following_of[i] = upcoming
        upcoming = lines[i] or upcoming
    for i, line in enumerate(lines):
        if not line:
            in_list = False
            continue
        following = following_of[i]
        item = ITEM.match(line)
        if item:
            blocks.append(Block("", items=(clean_inline(item.group(1)),)))
            continue
        if in_list and _is_short(line):
            blocks.append(Block("", items=(clean_inline(line),)))
            continue
        in_list = False
        if _is_heading(line, following):
            if blocks:
                sections.append(Section(heading, tuple(blocks)))
            heading, blocks = clean_inline(line.rstrip(":")), []
            continue
        if (blocks and not blocks[-1].is_list and not blocks[-1].text.endswith(_END_PUNCT)
                and line[:1].islower()):
            # a paragraph wrapped across lines (common in PDF text)
            blocks[-1] = Block(f"{blocks[-1].text} {clean_inline(line)}")
        else:
            blocks.append(Block(clean_inline(line)))
        if line.endswith(":") and _is_short(following):
            in_list = True
    if blocks:
        sections.append(Section(heading, tuple(blocks)))
    return sections, title


# Lines a blog page wraps around an article (bylines, share bars, comment counts): copied
# along with the text, never part of it.
_BLOG_CRUFT = re.compile(
    r"^(posted (on|by|in)\b|published (on|by)\b|written by\b|"
    r"share( this)?( post| article)?\s*:|share on\b|filed under\b|tags?\s*:|"
    r"categor(y|ies)\s*:|leave a (reply|comment)|\d+ comments?$|read more\b|related (posts|articles)\b|"
    r"previous (post|article)\b|next (post|article)\b|about the author\b)",
    re.I)


def _is_short(line: str) -> bool:
    return 0 < len(line) <= 120 and len(line.split()) <= 18


def _is_heading(line: str, following: str) -> bool:
    """A short line that starts with a capital, has no sentence ending, and leads into body text."""
    if not following or ITEM.match(line):
        return False
    words = line.split()
    if not (0 < len(words) <= 10 and len(line) <= 70):
        return False
    if line.endswith(tuple(".!;,\"”")) or not (line[:1].isupper() or line[:1].isdigit()):
        return False
    if line.endswith("?") and len(words) > 8:
        return False  # a short question line is a blog heading ("What are the hip flexors?")
    if following[:1].islower():
        return False  # the line wraps into the next one: a paragraph, not a heading
    return len(following) > 80 or following.endswith((".", "!", "?", ":"))
