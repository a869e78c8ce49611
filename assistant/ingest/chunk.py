"""Article -> Chunks: heading-aware, sentence-aligned, sized to the model's window.

A chunk never spans two sections and never splits a sentence, so the answer step can quote
whole sentences. Chunk ids are `slug#section#hash`: re-ingesting unchanged text gives the
same ids, so nothing moves.
"""
from __future__ import annotations

import hashlib
import math
import re
from typing import Callable

from assistant.schema import HEADING, ITEM, LEAD_IN, SENTENCE, Article, Chunk, Unit

TokenCounter = Callable[[str], int]

# pysbd splits "approx. 2 in. below the knee" after "approx." and "in."; measured on the fixtures
# it is otherwise better than our old regex (it keeps closing quotes with their sentence), so
# only these unit and Latin abbreviations are joined back.
_JOIN_AFTER = {"approx", "in", "ft", "lb", "lbs", "oz", "min", "mins", "hr", "hrs", "sec", "vs", "no",
               "e.g", "i.e", "etc", "cf", "fig", "mt", "st", "dr"}
_SEGMENTER = None


def split_sentences(text: str) -> list[str]:
    """Sentences of a paragraph (pysbd, the field's rule-based splitter, plus the join above)."""
    global _SEGMENTER
    if _SEGMENTER is None:
        import pysbd

        _SEGMENTER = pysbd.Segmenter(language="en", clean=False)
    sentences: list[str] = []
    for piece in (p.strip() for p in _SEGMENTER.segment(text)):
        if not piece:
            continue
        last_word = sentences[-1].rsplit(None, 1)[-1].rstrip(".").lower() if sentences else ""
        if sentences and sentences[-1].endswith(".") and (last_word in _JOIN_AFTER or re.fullmatch(r"[a-z]", last_word)) \
                and not piece[:1].isupper():
            sentences[-1] = f"{sentences[-1]} {piece}"
        else:
            sentences.append(piece)
    return sentences


def chunk_article(article: Article, count_tokens: TokenCounter, max_tokens: int) -> list[Chunk]:
    chunks: list[Chunk] = []
    seen: set[str] = set()
    for section_index, section in enumerate(article.sections):
        units = _section_units(section.blocks, count_tokens, max_tokens)
        header = f"{article.title} — {section.heading}" if section.heading else article.title
        budget = max_tokens - count_tokens(header) - 4  # room for the joins and markers
        # Each passage carries its section's heading as a unit of its own: it is the question a
        # FAQ-style section answers ("Can I keep running with it?"), matched but never quoted.
        heading = (Unit(section.heading, HEADING, -1),) if section.heading else ()
        for part_index, part in enumerate(_pack(units, count_tokens, budget)):
            chunk = Chunk(id="", source=article.source, slug=article.slug, title=article.title,
                          url=article.url, heading=section.heading, units=heading + tuple(part),
                          section=section_index, part=part_index)
            chunk_id = _chunk_id(article.slug, section_index, section.heading, chunk.text, seen)
            chunks.append(Chunk(**{**chunk.__dict__, "id": chunk_id}))
    return chunks


def _section_units(blocks, count_tokens: TokenCounter, max_tokens: int) -> list[tuple[Unit, int]]:
    """Every unit of a section with its token count: a paragraph's sentences, a list's lead-in
    sentences and items. Each keeps its block's index and tag, so the answer step can quote the
    whole block and never quotes filler."""
    units: list[tuple[Unit, int]] = []
    for block_index, block in enumerate(blocks):
        texts = [(SENTENCE if not block.is_list else LEAD_IN, t) for t in split_sentences(block.text)]
        texts += [(ITEM, item) for item in block.items]
        for kind, text in texts:
            for piece in _fit(text, count_tokens, max_tokens // 2):
                units.append((Unit(piece, kind, block_index, block.tag), count_tokens(piece)))
    return units


def _fit(text: str, count_tokens: TokenCounter, limit: int) -> list[str]:
    """A run-on 'sentence' (PDF text, a missing full stop) is cut with LangChain's splitter."""
    if count_tokens(text) <= limit:
        return [text]
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    splitter = RecursiveCharacterTextSplitter(
        chunk_size=limit, chunk_overlap=0, length_function=count_tokens,
        separators=["; ", ", ", " ", ""], keep_separator="end")
    return [piece.strip() for piece in splitter.split_text(text) if piece.strip()]


def _pack(units: list[tuple[Unit, int]], count_tokens: TokenCounter, budget: int) -> list[list[Unit]]:
    """Greedy packing towards an even size, so a section never ends in a tiny crumb."""
    if not units:
        return []
    total = sum(n for _, n in units)
    parts_needed = max(1, math.ceil(total / budget))
    target = min(budget, math.ceil(total / parts_needed * 1.1))
    parts: list[list[Unit]] = [[]]
    size = 0
    for unit, n in units:
        if parts[-1] and size + n > target:
            parts.append([])
            size = 0
        parts[-1].append(unit)
        size += n
    return parts


def _chunk_id(slug: str, section_index: int, heading: str | None, text: str, seen: set[str]) -> str:
    section = re.sub(r"[^a-z0-9]+", "-", (heading or "intro").lower()).strip("-")[:40] or "section"
    digest = hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]
    chunk_id = f"{slug}#{section_index:02d}-{section}#{digest}"
    while chunk_id in seen:  # the same text twice in one section
        chunk_id += "+"
    seen.add(chunk_id)
    return chunk_id
