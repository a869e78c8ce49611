"""path -> Article, for the formats staff actually have: Markdown, HTML, plain text and PDF.

A file that cannot be read raises LoadError with a reason staff can act on; the ingest
reports it by name and carries on with the other files.
"""
from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from assistant.errors import LoadError
from assistant.ingest.blocks import attach_lead_ins
from assistant.ingest.markdown import clean_inline, parse_markdown, split_front_matter
from assistant.ingest.text import parse_plain_text
from assistant.schema import Article, Section

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
        from assistant.ingest.pdf import pdf_text

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
        from assistant.ingest.html import parse_html

        title, url, sections = parse_html(text)
        return _article(source, title, url, sections)
    sections, title = parse_plain_text(text, source, first_line_is_title=True)
    return _article(source, title, None, sections)


def _article(source, title, url, sections, published=None, tags=()) -> Article:
    sections = tuple(Section(s.heading, attach_lead_ins(s.blocks)) for s in sections if s.blocks)
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

