"""path -> Article, for the formats staff actually have: Markdown, HTML, plain text and PDF.

A file that cannot be read raises LoadError with a reason staff can act on; the ingest
reports it by name and carries on with the other files.
"""
from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import yaml

from .errors import LoadError
from .schema import Article, Block, Section

ARTICLE_SUFFIXES = {".md", ".markdown", ".html", ".htm", ".txt", ".pdf"}
MAX_FILE_BYTES = 5 * 1024 * 1024  # a long blog post is ~50 kB; 5 MB leaves room for PDFs
MAX_PDF_PAGES = 60


def load_article(path: Path, source: str | None = None) -> Article:
    """Read one article. `source` is its canonical id (path relative to the knowledge folder)."""
    path = Path(path)
    source = source or path.name
    suffix = path.suffix.lower()
    if suffix not in ARTICLE_SUFFIXES:
        raise unsupported(source, suffix)
    return parse_article(read_capped(path, source, MAX_FILE_BYTES), suffix, source)


def unsupported(source: str, suffix: str) -> LoadError:
    return LoadError(source, f"unsupported file type '{suffix or 'none'}' (use .md, .html, .txt or .pdf)",
                     "unsupported_type", suffix=suffix or "none")


def too_large(source: str, size: int, limit: int) -> LoadError:
    return LoadError(source, f"too large ({size // 1024} kB; the limit is {limit // 1024} kB)",
                     "too_large", kb=size // 1024, limit_kb=limit // 1024)


def read_capped(path: Path, source: str, limit: int) -> bytes:
    """The file's bytes, refusing anything over the size cap before reading it."""
    try:
        size = path.stat().st_size
        if size > limit:
            raise too_large(source, size, limit)
        return path.read_bytes()
    except OSError as exc:
        raise LoadError(source, f"cannot be read ({exc.strerror or exc})", "unreadable") from exc


def parse_article(raw: bytes, suffix: str, source: str, max_pdf_pages: int = MAX_PDF_PAGES) -> Article:
    """Bytes of a file -> Article. Pure: no file system access."""
    if not raw.strip():
        raise LoadError(source, "empty file", "empty")
    if suffix == ".pdf":
        if b"%PDF-" not in raw[:1024]:  # the content, not just the name, must be a PDF
            raise LoadError(source, "not a PDF (the content does not match the .pdf name)", "not_pdf")
        from .load_pdf import pdf_text

        title_hint, text = pdf_text(raw, source, max_pdf_pages)
        sections, title = parse_plain_text(text, source, first_line_is_title=not title_hint)
        return _article(source, title_hint or title, None, sections)
    text = decode_text(raw, source)
    if suffix in (".md", ".markdown"):
        meta, body = split_front_matter(text, source)
        title, sections = parse_markdown(body)
        title = str(meta.get("title") or title or "").strip()
        tags = meta.get("tags") or ()
        if isinstance(tags, str):
            tags = tuple(t.strip() for t in tags.split(","))
        return _article(source, title, meta.get("url"), sections,
                        published=str(meta["published"]) if meta.get("published") else None,
                        tags=tuple(str(t) for t in tags))
    if suffix in (".html", ".htm"):
        from .load_html import parse_html

        title, url, sections = parse_html(text)
        return _article(source, title, url, sections)
    sections, title = parse_plain_text(text, source, first_line_is_title=True)
    return _article(source, title, None, sections)


def _article(source, title, url, sections, published=None, tags=()) -> Article:
    sections = tuple(s for s in sections if s.blocks)
    if not sections:
        raise LoadError(source, "no article text found", "no_text")
    title = clean_inline(title or "") or Path(source).stem.replace("-", " ").replace("_", " ").title()
    url = str(url).strip() if url else None
    if url and not re.match(r"https?://", url):
        url = None  # only web links are ever shown to a runner
    return Article(source=source, slug=slug_for(source), title=title, url=url,
                   sections=sections, published=published, tags=tags)


def slug_for(source: str) -> str:
    stem = str(Path(source).with_suffix(""))
    ascii_stem = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_stem.lower()).strip("-") or "article"


# --- encodings -------------------------------------------------------------------------

def decode_text(raw: bytes, source: str) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1252; NULs dropped."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = raw.decode("utf-16", errors="replace")
    elif raw.startswith(b"\xef\xbb\xbf"):
        text = raw[3:].decode("utf-8", errors="replace")
    else:
        if _looks_binary(raw):
            raise LoadError(source, "not a text file (it looks like binary data)", "not_text")
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            text = raw.decode("cp1252", errors="replace")
    text = text.replace("\x00", "").replace("\r\n", "\n").replace("\r", "\n")
    text = "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch) != "Cc")
    return unicodedata.normalize("NFC", text)


# Files that are something else under a text name (a PDF, a Word or zip file, an image, RTF).
_OTHER_FORMATS = (b"%PDF-", b"PK\x03\x04", b"\xd0\xcf\x11\xe0", b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"{\\rtf")


def _looks_binary(raw: bytes) -> bool:
    if raw.lstrip()[:8].startswith(_OTHER_FORMATS):
        return True
    sample = raw[:4096]
    if b"\x00" in sample and sample.count(b"\x00") > len(sample) // 20:
        return True
    controls = sum(1 for b in sample if b < 9 or 13 < b < 32)
    return controls > len(sample) // 10


# --- Markdown --------------------------------------------------------------------------

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
_ITEM = re.compile(r"^\s*(?:[-*+•]|\d{1,3}[.)])\s+(.*)$")
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
        item_match = None if in_fence else _ITEM.match(line)
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
            blocks.append(Block(clean_inline(item_match.group(1)), is_item=True))
        elif not line.strip():
            flush_para()
        elif blocks and blocks[-1].is_item and line.startswith((" ", "\t")) and not para:
            # a wrapped list item continues on an indented line
            last = blocks.pop()
            blocks.append(Block(f"{last.text} {clean_inline(line)}", is_item=True))
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
        item = _ITEM.match(line)
        if item:
            blocks.append(Block(clean_inline(item.group(1)), is_item=True))
            continue
        if in_list and _is_short(line):
            blocks.append(Block(clean_inline(line), is_item=True))
            continue
        in_list = False
        if _is_heading(line, following):
            if blocks:
                sections.append(Section(heading, tuple(blocks)))
            heading, blocks = clean_inline(line.rstrip(":")), []
            continue
        if (blocks and not blocks[-1].is_item and not blocks[-1].text.endswith(_END_PUNCT)
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
    if not following or _ITEM.match(line):
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
