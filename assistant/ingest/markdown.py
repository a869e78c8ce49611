"""Markdown with YAML front matter, the house format: front matter, headings, paragraphs, lists."""
from __future__ import annotations

import re

import yaml

from assistant.errors import LoadError
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


_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
ITEM = re.compile(r"^\s*(?:[-*+•]|\d{1,3}[.)])\s+(.*)$")
_COMMENT = re.compile(r"<!--.*?-->", re.S)


def parse_markdown(body: str) -> tuple[str | None, list[Section]]:
    """Headings start sections (`#` gives the title); list items and paragraphs are blocks."""
    body = _COMMENT.sub("", body)
    title: str | None = None
    sections: list[Section] = []
    heading: str | None = None
    blocks: list[Block] = []
    para: list[str] = []
    in_fence = False

    def flush_para():
        if para:
            text = clean_inline(" ".join(para))
            if text:
                blocks.append(Block(text))
            para.clear()

    def flush_section():
        flush_para()
        if blocks:
            sections.append(Section(heading, tuple(blocks)))
        blocks.clear()

    for line in body.split("\n"):
        if line.strip().startswith("```"):
            in_fence = not in_fence
            continue
        heading_match = None if in_fence else _HEADING.match(line)
        item_match = None if in_fence else ITEM.match(line)
        if heading_match:
            level, text = len(heading_match.group(1)), clean_inline(heading_match.group(2))
            if level == 1 and title is None and not sections and not blocks:
                flush_para()
                title = text
                continue
            flush_section()
            heading = text
        elif item_match:
            flush_para()
            blocks.append(Block("", items=(clean_inline(item_match.group(1)),)))
        elif not line.strip():
            flush_para()
        elif blocks and blocks[-1].is_list and line.startswith((" ", "\t")) and not para:
            # a wrapped list item continues on an indented line
            last = blocks.pop()
            blocks.append(Block("", items=(f"{last.items[-1]} {clean_inline(line)}",)))
        else:
            para.append(line.strip())
    flush_section()
    return title, sections


_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")


def clean_inline(text: str) -> str:
    """Markdown/inline markup -> plain words: links keep their text, images and emphasis go."""
    text = _LINK.sub(lambda m: "" if m.group(0).startswith("!") else m.group(1), text)
    text = re.sub(r"<[^>]{1,200}>", "", text)
    text = re.sub(r"(\*\*|__|`)", "", text)
    # Emphasis spans are short; bounding the span keeps "_a _a _a ..." from going quadratic.
    text = re.sub(r"(?<![\w*])[*_](?=\S)(.{1,300}?)(?<=\S)[*_](?![\w*])", r"\1", text)
    return re.sub(r"\s+", " ", text).strip()


# --- plain text (copied from the blog, or extracted from a PDF) ------------------------
