"""PDF -> text with pypdf. Encrypted, malformed and oversized PDFs become LoadErrors."""
from __future__ import annotations

import io
import logging

from assistant.errors import LoadError


def pdf_text(raw: bytes, source: str, max_pages: int) -> tuple[str | None, str]:
    """(title from the PDF's metadata if any, the text of its pages)."""
    from pypdf import PdfReader
    from pypdf.errors import LimitReachedError, PdfReadError

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # pypdf warns loudly on sloppy files
    try:
        reader = PdfReader(io.BytesIO(raw))
        if reader.is_encrypted:
            raise LoadError(source, "the PDF is password-protected (encrypted); save an unprotected copy",
                            "encrypted_pdf")
        if len(reader.pages) > max_pages:
            raise LoadError(source, f"the PDF has {len(reader.pages)} pages; the limit is {max_pages}",
                            "too_many_pages", pages=len(reader.pages), limit=max_pages)
        pages = [page.extract_text() or "" for page in reader.pages]
        title = (reader.metadata or {}).get("/Title") if reader.metadata else None
    except LoadError:
        raise
    except LimitReachedError as exc:  # pypdf's own cap on decompressed size: a compression bomb
        raise LoadError(source, "the PDF is too large once unpacked (a compression bomb?)",
                        "too_complex") from exc
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, OSError,
            RecursionError, AssertionError, IndexError, ZeroDivisionError) as exc:
        raise LoadError(source, f"unreadable PDF ({type(exc).__name__})", "unreadable_pdf") from exc
    text = "\n".join(pages)
    if not text.strip():
        raise LoadError(source, "the PDF has no text layer (is it a scanned image?)", "no_text_layer")
    title = str(title).strip() if title else None
    return (title or None), text
