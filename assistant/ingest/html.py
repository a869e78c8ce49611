"""HTML saved from the blog -> visible article text only.

Scripts, styles, navigation, footers, forms and anything hidden (hidden attribute,
aria-hidden, display:none, visibility:hidden) never reach the index: hidden text is where
injected instructions and keyword stuffing live.
"""
from __future__ import annotations

import re

from bs4 import BeautifulSoup, Comment, NavigableString, Tag

from assistant.schema import Block, Section

_DROP = ["script", "style", "noscript", "template", "nav", "footer", "header", "aside",
         "form", "button", "iframe", "svg", "canvas", "object", "embed", "select", "input"]
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_BLOCKS = _HEADINGS | {"p", "li", "blockquote", "pre", "td", "th", "dd", "dt", "figcaption",
                       "div", "section", "article", "main", "body", "ul", "ol", "table", "tr"}
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden|font-size\s*:\s*0", re.I)


def parse_html(text: str) -> tuple[str | None, str | None, list[Section]]:
    soup = BeautifulSoup(text, "lxml")
    url = _canonical_url(soup)
    page_title = soup.title.get_text(" ", strip=True) if soup.title else None
    for comment in soup.find_all(string=lambda s: isinstance(s, Comment)):
        comment.extract()
    for tag in soup.find_all(_DROP):
        tag.decompose()
    for tag in soup.find_all(_is_hidden):
        tag.decompose()
    root = soup.find("article") or soup.find("main") or soup.body or soup

    title: str | None = None
    sections: list[Section] = []
    heading: str | None = None
    blocks: list[Block] = []
    # Group the visible strings by the nearest block element that holds them, in document
    # order. Iterating strings (not recursing) keeps deeply nested pages from blowing the stack.
    current, pieces = None, []

    def flush():
        nonlocal title, heading, blocks
        if current is None:
            return
        words = re.sub(r"\s+", " ", "".join(pieces)).strip()
        if not words:
            return
        if current.name in _HEADINGS:
            if current.name == "h1" and title is None and not sections and not blocks:
                title = words
                return
            if blocks:
                sections.append(Section(heading, tuple(blocks)))
            heading, blocks = words, []
        else:
            blocks.append(Block("", items=(words,)) if current.name in ("li", "dd") else Block(words))

    for string in root.find_all(string=True):
        if not isinstance(string, NavigableString) or isinstance(string, Comment):
            continue
        block = _block_of(string)
        if block is not current:
            flush()
            current, pieces = block, []
        pieces.append(str(string))
    flush()
    if blocks:
        sections.append(Section(heading, tuple(blocks)))
    return title or page_title, url, sections


def _block_of(string: NavigableString) -> Tag | None:
    for parent in string.parents:
        if parent.name in _BLOCKS:
            return parent
    return None


def _is_hidden(tag: Tag) -> bool:
    if not isinstance(tag, Tag) or tag.attrs is None:
        return False
    if tag.has_attr("hidden") or str(tag.get("aria-hidden", "")).lower() == "true":
        return True
    return bool(_HIDDEN_STYLE.search(str(tag.get("style", ""))))


def _canonical_url(soup: BeautifulSoup) -> str | None:
    link = soup.find("link", rel="canonical")
    if link and link.get("href"):
        return link["href"]
    meta = soup.find("meta", property="og:url")
    return meta.get("content") if meta else None
