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

from assistant.schema import Article, Chunk, Unit

TokenCounter = Callable[[str], int]

# Abbreviations after which a full stop does not end a sentence.
_ABBREVIATIONS = {"e.g", "i.e", "etc", "vs", "dr", "st", "mt", "no", "approx", "fig", "min",
                  "mr", "mrs", "ms", "jr", "sr", "a.m", "p.m", "u.s", "cf", "al", "ft", "lb", "oz"}
_BOUNDARY = re.compile(r"(?<=[.!?])[\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9])")


def split_sentences(text: str) -> list[str]:
    pieces = [p.strip() for p in _BOUNDARY.split(text) if p and p.strip()]
    sentences: list[str] = []
    for piece in pieces:
        if sentences:
            last_word = sentences[-1].rsplit(None, 1)[-1].rstrip(".").lower()
            if last_word in _ABBREVIATIONS or re.fullmatch(r"[a-z]", last_word):
                sentences[-1] = f"{sentences[-1]} {piece}"
                continue
        sentences.append(piece)
    return sentences


def chunk_article(article: Article, count_tokens: TokenCounter, max_tokens: int) -> list[Chunk]:
    chunks: list[Chunk] = []
    seen: set[str] = set()
    for section_index, section in enumerate(article.sections):
        units = _section_units(section.blocks, count_tokens, max_tokens)
        header = f"{article.title} — {section.heading}" if section.heading else article.title
        budget = max_tokens - count_tokens(header) - 4  # room for the joins and markers
        for part in _pack(units, count_tokens, budget):
            chunk = Chunk(id="", source=article.source, slug=article.slug, title=article.title,
                          url=article.url, heading=section.heading, units=_renumber(part))
            chunk_id = _chunk_id(article.slug, section_index, section.heading, chunk.text, seen)
            chunks.append(Chunk(**{**chunk.__dict__, "id": chunk_id}))
    return chunks


def _section_units(blocks, count_tokens: TokenCounter, max_tokens: int) -> list[tuple[Unit, int]]:
    """Every quotable unit of a section with its token count."""
    units: list[tuple[Unit, int]] = []
    for block_index, block in enumerate(blocks):
        texts = [block.text] if block.is_item else split_sentences(block.text)
        for text in texts:
            for piece in _fit(text, count_tokens, max_tokens // 2):
                units.append((Unit(piece, block.is_item, block_index), count_tokens(piece)))
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


def _renumber(units: list[Unit]) -> tuple[Unit, ...]:
    """Block numbers restart in each chunk (they only say which units share a paragraph)."""
    first = units[0].block
    return tuple(Unit(u.text, u.is_item, u.block - first) for u in units)


def _chunk_id(slug: str, section_index: int, heading: str | None, text: str, seen: set[str]) -> str:
    section = re.sub(r"[^a-z0-9]+", "-", (heading or "intro").lower()).strip("-")[:40] or "section"
    digest = hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]
    chunk_id = f"{slug}#{section_index:02d}-{section}#{digest}"
    while chunk_id in seen:  # the same text twice in one section
        chunk_id += "+"
    seen.add(chunk_id)
    return chunk_id
