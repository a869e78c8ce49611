"""Compose a grounded answer: the articles' own sentences, each marked with its citation.

Pure: given the question vector, the retrieved passages and their sentence vectors (stored
at ingest), pick 2-5 sentences that answer the question (relevance minus redundancy, i.e.
maximal marginal relevance), keep each passage's own order, keep lists as lists, and number
citations by first use. Nothing here calls the model or writes words of its own.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

import numpy as np

from .schema import Chunk, Citation, Hit, Unit

# Sentences that only sell are never content: the booking prompt is separate.
_SELLING = re.compile(
    r"\b(book (a|an|your|now|today)|schedule (a|an|your)|call us|call the clinic|contact us|"
    r"give us a call|reach out to us|accepting new|new patients|click here|sign up|"
    r"visit our (website|site|clinic)|we'd love to (see|help) you)\b", re.I)
# Openers that lean on the sentence before them.
_LEANS_BACK = re.compile(
    r"^(this|that|these|those|it|they|so|such|both|then|also|however|but|instead|"
    r"otherwise|because of this|as a result|for that reason|in that case)\b", re.I)
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~])")
LIST_MAX_ITEMS = 8


@dataclass(frozen=True)
class AnswerParams:
    min_units: int = 2
    max_units: int = 5
    relative_floor: float = 0.72
    min_sentence_similarity: float = 0.30
    mmr_lambda: float = 0.72


@dataclass(frozen=True)
class Composed:
    markdown: str
    citations: tuple[Citation, ...]
    best_similarity: float  # of the best sentence; the pipeline's confidence signal


@dataclass(frozen=True)
class _Candidate:
    hit_rank: int
    unit_index: int
    score: float
    vector: np.ndarray


def is_selling(text: str) -> bool:
    return bool(_SELLING.search(text))


def escape_markdown(text: str) -> str:
    """Article text is shown literally: no links, HTML or emphasis can be smuggled through."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def compose(question_vector: np.ndarray, hits: Sequence[Hit], unit_vectors: dict[str, np.ndarray],
            params: AnswerParams) -> Composed | None:
    """None when no sentence answers well enough (the caller says 'not covered')."""
    candidates = _candidates(question_vector, hits, unit_vectors)
    if not candidates:
        return None
    best = max(c.score for c in candidates)
    if best < params.min_sentence_similarity:
        return None
    chosen = _select(candidates, best, params)
    picked: dict[int, set[int]] = {}
    for c in chosen:
        picked.setdefault(c.hit_rank, set()).add(c.unit_index)
    for rank, indexes in picked.items():
        _add_context(hits[rank].chunk, indexes)
    # Passages in order of their best chosen sentence; sentences in the article's own order.
    passage_order = []
    for c in chosen:
        if c.hit_rank not in passage_order:
            passage_order.append(c.hit_rank)
    citations: list[Citation] = []
    parts: list[str] = []
    for rank in passage_order:
        chunk = hits[rank].chunk
        n = len(citations) + 1
        citations.append(Citation(n=n, title=chunk.title, url=chunk.url, source=chunk.source,
                                  heading=chunk.heading, quote=chunk.text, chunk_id=chunk.id))
        parts.append(_render(chunk, sorted(picked[rank]), n))
    return Composed(markdown="\n\n".join(parts), citations=tuple(citations), best_similarity=best)


def _candidates(question_vector, hits, unit_vectors) -> list[_Candidate]:
    out = []
    for rank, hit in enumerate(hits):
        vectors = unit_vectors.get(hit.chunk.id)
        if vectors is None or not len(vectors):
            continue
        sims = vectors @ question_vector
        for i, unit in enumerate(hit.chunk.units):
            if is_selling(unit.text) or (len(unit.text.split()) < 4 and not unit.is_item):
                continue
            # A small nudge towards passages the fused search ranked higher.
            out.append(_Candidate(rank, i, float(sims[i]) - 0.01 * rank, vectors[i]))
    return out


def _select(candidates: list[_Candidate], best: float, params: AnswerParams) -> list[_Candidate]:
    chosen: list[_Candidate] = []
    pool = list(candidates)
    while pool and len(chosen) < params.max_units:
        def mmr(c: _Candidate) -> float:
            redundancy = max((float(c.vector @ s.vector) for s in chosen), default=0.0)
            return params.mmr_lambda * c.score - (1 - params.mmr_lambda) * redundancy
        pick = max(pool, key=mmr)
        pool.remove(pick)
        if chosen and pick.score < best * params.relative_floor and len(chosen) >= params.min_units:
            break
        if chosen and pick.score < params.min_sentence_similarity:
            break
        if any(float(pick.vector @ s.vector) > 0.92 for s in chosen):
            continue  # says the same thing again
        chosen.append(pick)
    return chosen


def _add_context(chunk: Chunk, indexes: set[int]) -> None:
    """Pull in what a chosen sentence leans on: the sentence before a 'This…', a list's
    lead-in line, and the rest of a list when two of its items were chosen."""
    units = chunk.units
    for i in sorted(indexes):
        unit = units[i]
        if not unit.is_item and i > 0 and _LEANS_BACK.match(unit.text) and not is_selling(units[i - 1].text):
            indexes.add(i - 1)
        if unit.is_item:
            lead = _list_lead_in(units, i)
            if lead is not None:
                indexes.add(lead)
    for members in _lists(units):
        if len(indexes.intersection(members)) >= 2:
            indexes.update(j for j in members[:LIST_MAX_ITEMS] if not is_selling(units[j].text))


def _lists(units: tuple[Unit, ...]) -> list[list[int]]:
    """Runs of consecutive list items."""
    runs: list[list[int]] = []
    for i, unit in enumerate(units):
        if unit.is_item:
            if runs and runs[-1][-1] == i - 1:
                runs[-1].append(i)
            else:
                runs.append([i])
    return runs


def _list_lead_in(units: tuple[Unit, ...], i: int) -> int | None:
    start = i
    while start > 0 and units[start - 1].is_item:
        start -= 1
    if start > 0 and units[start - 1].text.rstrip().endswith(":") and not units[start - 1].is_item:
        return start - 1
    return None


def _render(chunk: Chunk, indexes: list[int], n: int) -> str:
    """Sentences of one paragraph stay on one line; list items become a Markdown list."""
    lines: list[str] = []
    previous: Unit | None = None
    for i in indexes:
        unit = chunk.units[i]
        text = f"{escape_markdown(unit.text)} [{n}]"
        if unit.is_item:
            if previous is not None and not previous.is_item:
                lines.append("")
            lines.append(f"- {text}")
        elif previous is not None and not previous.is_item and previous.block == unit.block:
            lines[-1] = f"{lines[-1]} {text}"
        else:
            if previous is not None:
                lines.append("")
            lines.append(text)
        previous = unit
    return "\n".join(lines)
