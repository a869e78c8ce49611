"""Markdown with YAML front matter, the house format: front matter (PyYAML), then the body's
headings, paragraphs and lists from markdown-it-py's token stream (CommonMark plus tables)."""
from __future__ import annotations

import functools
import re

import yaml

from assistant.errors import LoadError
from assistant.ingest.blocks import fold_nested, table_row
from assistant.schema import Block, Section

_FRONT = re.compile(r"\A---[ \t]*\n(.*?)\n---[ \t]*\n", re.S)


def split_front_matter(text: str, source: str) -> tuple[dict, str]:
    match = _FRONT.match(text.lstrip("\ufeff"))
    if not match:
        return {}, text
    try:
        meta = yaml.safe_load(match.group(1)) or {}
    except yaml.YAMLError as exc:
        # Staff write "title: Achilles Tendinopathy: Heel Pain" (a second colon is not valid
        # YAML); read such lines the way a person would before giving up.
        meta = _lenient_front_matter(match.group(1))
        if meta is None:
            mark = getattr(exc, "problem_mark", None)
            where = f" (line {mark.line + 2})" if mark else ""
            raise LoadError(source, f"the front matter between the --- lines is not valid YAML{where}",
                            "bad_front_matter") from exc
    if not isinstance(meta, dict):
        raise LoadError(source, "the front matter must be 'key: value' lines", "bad_front_matter")
    return meta, text[match.end():]


def _lenient_front_matter(block: str) -> dict | None:
    meta = {}
    for line in block.split("\n"):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        key, sep, value = line.partition(":")
        if not sep or not re.fullmatch(r"[A-Za-z_][\w-]*", key.strip()):
            return None
        value = value.strip()
        if value.startswith("[") and value.endswith("]"):
            meta[key.strip()] = [v.strip().strip("'\"") for v in value[1:-1].split(",") if v.strip()]
        else:
            meta[key.strip()] = value.split(" #")[0].strip().strip("'\"")
    return meta


# CommonMark plus tables. Every link is parsed as a link (markdown-it would otherwise leave
# "[click](javascript:...)" as literal text, URL and all); only the link's words are kept.
@functools.cache
def _markdown_it():
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark").enable("table")
    md.validateLink = lambda url: True
    return md


_LIST_OPEN = ("bullet_list_open", "ordered_list_open")


def parse_markdown(body: str) -> tuple[str | None, list[Section]]:
    """Headings (every level) start sections, the first `#` before any text is the title;
    paragraphs, block quotes and code are paragraphs; a list is one block; a table row is a
    paragraph; raw HTML blocks and comments are left out."""
    tokens = _markdown_it().parse(body)
    title: str | None = None
    sections: list[Section] = []
    heading: str | None = None
    blocks: list[Block] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token.type == "heading_open":
            text = _plain(tokens[i + 1])
            i += 3
            if not text:
                continue
            if token.tag == "h1" and title is None and not sections and not blocks:
                title = text
                continue
            if blocks:
                sections.append(Section(heading, tuple(blocks)))
            heading, blocks = text, []
            continue
        if token.type in _LIST_OPEN:
            i, items = _read_list(tokens, i)
            if items:
                blocks.append(Block("", tuple(items)))
            continue
        if token.type == "table_open":
            i, rows = _read_table(tokens, i)
            blocks.extend(Block(row) for row in rows)
            continue
        text = _plain(token) if token.type == "inline" else \
            _words(token.content) if token.type in ("fence", "code_block") else ""
        if text:
            blocks.append(Block(text))
        i += 1
    if blocks:
        sections.append(Section(heading, tuple(blocks)))
    return title, sections


def _read_list(tokens, i: int) -> tuple[int, list[str]]:
    """tokens[i] opens a list: (index after its close, its items)."""
    close, level = tokens[i].type.replace("_open", "_close"), tokens[i].level
    items: list[str] = []
    i += 1
    while i < len(tokens) and not (tokens[i].type == close and tokens[i].level == level):
        if tokens[i].type == "list_item_open":
            i, item = _read_item(tokens, i)
            if item:
                items.append(item)
        else:
            i += 1
    return i + 1, items


def _read_item(tokens, i: int) -> tuple[int, str]:
    """tokens[i] opens a list item: its paragraphs run together, a nested list folded in."""
    level = tokens[i].level
    own: list[str] = []
    nested: list[str] = []
    i += 1
    while i < len(tokens) and not (tokens[i].type == "list_item_close" and tokens[i].level == level):
        token = tokens[i]
        if token.type in _LIST_OPEN:
            i, sub = _read_list(tokens, i)
            nested.extend(sub)
            continue
        if token.type == "inline":
            own.append(_plain(token))
        elif token.type in ("fence", "code_block"):
            own.append(_words(token.content))
        i += 1
    return i + 1, fold_nested(" ".join(t for t in own if t), nested)


def _read_table(tokens, i: int) -> tuple[int, list[str]]:
    """tokens[i] opens a table: (index after it, one paragraph per body row)."""
    header: list[str] = []
    rows: list[str] = []
    cells: list[str] = []
    while i < len(tokens) and tokens[i].type != "table_close":
        token = tokens[i]
        if token.type == "tr_open":
            cells = []
        elif token.type == "inline":
            cells.append(_plain(token))
        elif token.type == "tr_close":
            if not header and i + 1 < len(tokens) and tokens[i + 1].type == "thead_close":
                header = cells
            elif row := table_row(header, cells):
                rows.append(row)
        i += 1
    return i + 1, rows


def _plain(token) -> str:
    """An inline token -> plain words: link text kept (URL dropped), images, inline HTML and
    comments dropped, emphasis and code markers gone."""
    pieces = []
    for child in token.children or ():
        if child.type in ("text", "code_inline"):
            pieces.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            pieces.append(" ")
        elif child.type == "html_inline" and child.content.lower().startswith("<br"):
            pieces.append(" ")
    return _words("".join(pieces))


def _words(text: str) -> str:
    return " ".join(text.split())


def clean_inline(text: str) -> str:
    """Inline Markdown/HTML in one line (a front-matter title, a pasted line) -> plain words."""
    tokens = _markdown_it().parseInline(text)
    return _plain(tokens[0]) if tokens else ""
