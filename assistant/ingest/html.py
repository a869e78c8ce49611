"""HTML saved from the blog -> the post's own text, headings and lists.

trafilatura finds the main text of a saved web page (menus, sidebars, comment threads, share
bars, author boxes and footers left out) and keeps its headings, paragraphs and lists. Before it
sees the page, BeautifulSoup removes what must never become text whatever an extractor decides:
scripts, styles, HTML comments and anything hidden (hidden attribute, aria-hidden, display:none,
visibility:hidden, font-size:0), because hidden text is where injected instructions and keyword
stuffing live, and trafilatura keeps `hidden` and font-size:0 text (measured on
tests/test_bad_input.py's HIDDEN_HTML).
"""
from __future__ import annotations

import re

from bs4 import BeautifulSoup, Comment, NavigableString, Tag

from assistant.ingest.blocks import fold_nested, table_row
from assistant.schema import Block, Section

# Never text, in any extraction.
_UNSAFE = ["script", "style", "noscript", "template", "iframe", "svg", "canvas", "object", "embed"]
# Page chrome, dropped by the fallback extraction below (trafilatura finds it by itself).
_CHROME = ["nav", "footer", "header", "aside", "form", "button", "select", "input", "textarea"]
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
# font-size:0 hides text; font-size:0.9em does not (the old pattern hid small print too).
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden|font-size\s*:\s*0(?![.\d]*[1-9])", re.I)
# " - Lakes Region Running PT" / " | Site" at the end of a <title>.
_SITE_SUFFIX = re.compile(r"\s+[-|–—·•]\s+[^-|–—·•]+$")


def parse_html(text: str) -> tuple[str | None, str | None, list[Section]]:
    """(title, canonical url, sections) of a saved blog page."""
    soup = BeautifulSoup(text, "lxml")
    url = _canonical_url(soup)
    page_title = " ".join(soup.title.get_text().split()) if soup.title else None
    _remove_unsafe(soup)  # first: a hidden <h1> must not become the title either
    own_title = _meta(soup, "og:title") or _first_h1(soup)
    extracted = _trafilatura(str(soup))
    if extracted is not None and _flat(extracted[1]) and (post := _densest_container(soup, extracted[1])):
        # No container trafilatura knows (round 21's GoDaddy page of bare <div>s): it fell back to
        # loose paragraphs, byline and footer in, headings and lists out. It reads the post alone.
        extracted = _trafilatura(f"<html><body><article>{post}</article></body></html>") or extracted
    if extracted is not None:
        found_title, sections = extracted
    else:
        # trafilatura returns nothing for a fragment that is only a list, and for a page nested
        # deeper than it reads (test_bad_input's nested.html); the old tag walk reads those.
        found_title, sections = _walk_tags(soup)
    title = own_title or found_title or _strip_site_name(page_title, _meta(soup, "og:site_name"))
    return title, url, sections


# --- safety and metadata (BeautifulSoup) ------------------------------------------------

def _remove_unsafe(soup: BeautifulSoup) -> None:
    for comment in soup.find_all(string=lambda s: isinstance(s, Comment)):
        comment.extract()
    for tag in soup.find_all(_UNSAFE):
        tag.decompose()
    for tag in soup.find_all(_is_hidden):
        tag.decompose()


def _is_hidden(tag: Tag) -> bool:
    if not isinstance(tag, Tag) or tag.attrs is None:
        return False
    if tag.has_attr("hidden") or str(tag.get("aria-hidden", "")).lower() == "true":
        return True
    return bool(_HIDDEN_STYLE.search(str(tag.get("style", ""))))


def _meta(soup: BeautifulSoup, prop: str) -> str | None:
    tag = soup.find("meta", property=prop) or soup.find("meta", attrs={"name": prop})
    words = " ".join(str(tag.get("content") or "").split()) if tag else ""
    return words or None


def _first_h1(soup: BeautifulSoup) -> str | None:
    root = soup.find("article") or soup.find("main") or soup
    h1 = root.find("h1")
    return (" ".join(h1.get_text().split()) or None) if h1 else None


def _strip_site_name(title: str | None, site_name: str | None) -> str | None:
    """<title> carries the site's name ("How to Avoid a Stitch - Lakes Region Running PT")."""
    if not title:
        return None
    if site_name and title.endswith(site_name) and title != site_name:
        return title[: -len(site_name)].rstrip(" -|–—·•") or title
    return _SITE_SUFFIX.sub("", title) or title


def _canonical_url(soup: BeautifulSoup) -> str | None:
    link = soup.find("link", rel="canonical")
    if link and link.get("href"):
        return link["href"]
    return _meta(soup, "og:url")


def _flat(sections: list[Section]) -> bool:  # paragraphs only: one section, no list
    return len(sections) <= 1 and not any(b.is_list for sec in sections for b in sec.blocks)


def _densest_container(soup: BeautifulSoup, flat: list[Section]) -> Tag | None:
    """The element with the most paragraphs of a sentence or more as its children, when it also
    holds headings or lists and most of the flat extraction's text (not a long comment thread)."""
    counts: dict[int, tuple[Tag, int]] = {}
    for para in soup.find_all("p"):
        if para.parent is not None and len(para.get_text(" ", strip=True)) >= 40:
            tag, n = counts.get(id(para.parent), (para.parent, 0))
            counts[id(para.parent)] = (tag, n + 1)
    tag, n = max(counts.values(), key=lambda pair: pair[1]) if counts else (None, 0)
    if n < 3 or tag.find(["h2", "h3", "h4", "ul", "ol"]) is None:
        return None
    inside, texts = " ".join(tag.get_text(" ").split()), [b.text for sec in flat for b in sec.blocks]
    return tag if 2 * sum(len(t) for t in texts if t in inside) >= sum(map(len, texts)) else None


# --- main text (trafilatura) ----------------------------------------------------------

def _trafilatura(html: str) -> tuple[str | None, list[Section]] | None:
    """The page's main text as sections, or None when trafilatura finds none."""
    import logging

    import trafilatura
    from lxml import etree

    logging.getLogger("trafilatura").setLevel(logging.ERROR)  # it warns "discarding data" on every fragment

    # favor_precision, default and favor_recall keep the same text on every HTML fixture once
    # the page is cleaned (bench/loader_diff.py; the WordPress page with its semantic tags
    # turned into bare <div>s too): precision, because a sentence missed costs less than a
    # sidebar or comment quoted to a runner as the clinic's advice.
    xml = trafilatura.extract(html, output_format="xml", include_comments=False, include_links=False,
                              include_images=False, include_tables=True, include_formatting=False,
                              favor_precision=True, with_metadata=True)
    if not xml:
        return None
    doc = etree.fromstring(xml.encode("utf-8"), etree.XMLParser(resolve_entities=False, no_network=True))
    main = doc.find("main")
    if main is None:
        return None
    title, sections = None, []
    heading, blocks = None, []
    for element in main:
        if element.tag == "head":
            words = _words(element)
            if not words:
                continue
            if element.get("rend") == "h1" and title is None and not sections and not blocks:
                title = words  # the post's own heading, above its first paragraph
                continue
            if blocks:
                sections.append(Section(heading, tuple(blocks)))
            heading, blocks = words, []
        elif element.tag == "item":
            # a page that is one list comes back as bare <item>s, without their <list>
            item = _list_item(element)
            previous = element.getprevious()
            if item and blocks and blocks[-1].is_list and previous is not None and previous.tag == "item":
                blocks[-1] = Block("", blocks[-1].items + (item,))
            elif item:
                blocks.append(Block("", (item,)))
        else:
            blocks.extend(_blocks_of(element))
    if blocks:
        sections.append(Section(heading, tuple(blocks)))
    if not sections:
        return None
    return title or doc.get("title") or None, sections


def _blocks_of(element) -> list[Block]:
    """A block element of trafilatura's XML -> Blocks: <p>, <list>, <quote>, <table>, <code>."""
    if element.tag == "list":
        items = tuple(item for item in (_list_item(i) for i in element.findall("item")) if item)
        return [Block("", items)] if items else []
    if element.tag == "table":
        return [Block(row) for row in _table_rows(element)]
    if element.tag == "quote" and len(element):
        return [block for child in element for block in _blocks_of(child)]
    if element.find("list") is not None:
        return _split_at_lists(element)
    words = _words(element)
    return [Block(words)] if words else []


def _split_at_lists(element) -> list[Block]:
    """A paragraph with a list inside (a builder's <div class="paragraph">...:<ul>...</ul>...</div>):
    words before, list, words after, as blocks; round 21 quoted them run together ("are:A new block")."""
    blocks: list[Block] = []
    pieces = [element.text or ""]

    def flush():
        if words := " ".join("".join(pieces).split()):
            blocks.append(Block(words))
        pieces.clear()

    for child in element:
        if child.tag == "list":
            flush()
            blocks.extend(_blocks_of(child))
        else:
            pieces.append(" " if child.tag == "lb" else _words(child))
        pieces.append(child.tail or "")
    flush()
    return blocks


def _list_item(item) -> str:
    """An item's own words, with a nested list folded in (see blocks.fold_nested)."""
    own = _words(item, skip={"list"})
    nested = [_list_item(child) for sub in item.findall("list") for child in sub.findall("item")]
    return fold_nested(own, [n for n in nested if n])


def _table_rows(table) -> list[str]:
    """One paragraph per body row (see blocks.table_row); a first row of head cells names the columns."""
    header: list[str] = []
    rows: list[str] = []
    for row in table.iter("row"):
        cells = row.findall("cell")
        if not header and not rows and cells and all(c.get("role") == "head" for c in cells):
            header = [_words(c) for c in cells]
        elif text := table_row(header, [_words(c) for c in cells]):
            rows.append(text)
    return rows


def _words(element, skip: set[str] = frozenset()) -> str:
    """The element's text with whitespace collapsed; <lb/> is a space, `skip` tags are left out."""
    pieces = [element.text or ""]
    for child in element:
        if child.tag not in skip:
            pieces.append(" " if child.tag == "lb" else "")
            pieces.append(_words(child, skip) if child.tag != "lb" else "")
        pieces.append(child.tail or "")
    return " ".join("".join(pieces).split())


# --- fallback: the tag walk for fragments -----------------------------------------------

_BLOCKS = _HEADINGS | {"p", "li", "blockquote", "pre", "td", "th", "dd", "dt", "figcaption",
                       "div", "section", "article", "main", "body", "ul", "ol", "table", "tr"}


def _walk_tags(soup: BeautifulSoup) -> tuple[str | None, list[Section]]:
    """Visible strings grouped by the nearest block element that holds them, in document order:
    headings start sections, <li>/<dd> become list items. Iterating strings (not recursing)
    keeps deeply nested pages from blowing the stack."""
    for tag in soup.find_all(_CHROME):
        tag.decompose()
    root = soup.find("article") or soup.find("main") or soup.body or soup
    title: str | None = None
    sections: list[Section] = []
    heading: str | None = None
    blocks: list[Block] = []
    current, pieces = None, []

    def flush():
        nonlocal title, heading, blocks
        if current is None:
            return
        words = " ".join("".join(pieces).split())
        if not words:
            return
        if current.name in _HEADINGS:
            if current.name == "h1" and title is None and not sections and not blocks:
                title = words
                return
            if blocks:
                sections.append(Section(heading, tuple(blocks)))
            heading, blocks = words, []
        elif current.name in ("li", "dd"):
            if blocks and blocks[-1].is_list and not blocks[-1].text:
                blocks[-1] = Block("", blocks[-1].items + (words,))
            else:
                blocks.append(Block("", (words,)))
        else:
            blocks.append(Block(words))

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
    return title, sections


def _block_of(string: NavigableString) -> Tag | None:
    for parent in string.parents:
        if parent.name in _BLOCKS:
            return parent
    return None
