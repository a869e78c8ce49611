"""Compose a grounded answer: the articles' own sentences, each marked with its citation.

Pure: given the question vector, the retrieved passages and their sentence vectors (stored
at ingest), pick 2-5 sentences that answer the question (relevance minus redundancy, i.e.
maximal marginal relevance), keep each passage's own order, keep lists as lists, and number
citations by first use. Nothing here calls the model or writes words of its own.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Sequence

import numpy as np

from assistant.config import Settings
from assistant.schema import Chunk, Citation, Hit, Unit

# Sentences that only sell are never content: the booking prompt is separate.
_SELLING = re.compile(
    r"\b(book (a|an|your|now|today)|schedule (a|an|your)|call us|call the clinic|contact us|"
    r"give us a call|reach out to us|accepting new|new patients|click here|sign up|"
    r"visit our (website|site|clinic)|we'd love to (see|help) you)\b", re.I)
# Openers that lean on the sentence before them.
_OPENS_ON_PREVIOUS = re.compile(
    r"^(this|that|these|those|it|they|so|such|both|then|also|however|but|instead|"
    r"otherwise|because of this|as a result|for that reason|in that case)\b", re.I)
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~])")


@dataclass(frozen=True)
class AnswerParams:
    """The answer step's tuned numbers. Their values, and why, are in Settings: the defaults
    here are Settings' own, so the two can't disagree."""

    min_units: int = Settings.answer_min_units
    max_units: int = Settings.answer_max_units
    relative_floor: float = Settings.relative_floor
    min_sentence_similarity: float = Settings.min_sentence_similarity
    mmr_lambda: float = Settings.mmr_lambda
    passage_weight: float = Settings.passage_weight
    lexical_weight: float = Settings.lexical_weight
    same_passage_bonus: float = Settings.same_passage_bonus
    max_passages: int = Settings.answer_max_passages

    @classmethod
    def from_settings(cls, settings: Settings) -> "AnswerParams":
        return cls(min_units=settings.answer_min_units, max_units=settings.answer_max_units,
                   relative_floor=settings.relative_floor,
                   min_sentence_similarity=settings.min_sentence_similarity,
                   mmr_lambda=settings.mmr_lambda, passage_weight=settings.passage_weight,
                   lexical_weight=settings.lexical_weight, same_passage_bonus=settings.same_passage_bonus,
                   max_passages=settings.answer_max_passages)


@dataclass(frozen=True)
class Composed:
    markdown: str
    citations: tuple[Citation, ...]


@dataclass(frozen=True)
class _Candidate:
    hit_rank: int
    unit_index: int
    similarity: float  # question to sentence
    score: float  # what ranks candidates: the sentence's similarity plus its passage's
    vector: np.ndarray


def is_selling(text: str) -> bool:
    return bool(_SELLING.search(text))


def escape_markdown(text: str) -> str:
    """Article text is shown literally: no links, HTML or emphasis can be smuggled through."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def compose(question_vector: np.ndarray, hits: Sequence[Hit], unit_vectors: dict[str, np.ndarray],
            params: AnswerParams, overlap: Callable[[str, list[str]], list[float]] | None = None,
            question: str = "") -> Composed | None:
    """None when no sentence answers well enough (the caller says 'not covered').

    `overlap(question, sentences)` gives the share of the question's words each sentence
    uses; the embedding alone blurs "outside of the knee" into "knee"."""
    candidates = _candidates(question_vector, hits, unit_vectors, overlap, question, params)
    if not candidates:
        return None
    if max(c.similarity for c in candidates) < params.min_sentence_similarity:
        return None
    chosen = _select(candidates, max(c.score for c in candidates), params)
    picked: dict[int, set[int]] = {}
    for c in chosen:
        picked.setdefault(c.hit_rank, set()).add(c.unit_index)
    for rank, indexes in picked.items():
        _add_context(hits[rank].chunk, indexes)
    # Passages in order of their best chosen sentence; sentences in the article's own order.
    passage_order: list[int] = []
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
    return Composed(markdown="\n\n".join(parts), citations=tuple(citations))


def _candidates(question_vector, hits, unit_vectors, overlap, question, params: AnswerParams) -> list[_Candidate]:
    """Every quotable sentence of the passages. A sentence's own similarity says it is on
    topic; its passage's similarity says it answers *this* question (the "what helps"
    section rather than the "what it is" one), so both count."""
    known = [h.dense_similarity for h in hits if h.dense_similarity is not None]
    floor = min(known, default=0.0)  # a passage only BM25 found ranks below the dense ones
    out = []
    for rank, hit in enumerate(hits):
        vectors = unit_vectors.get(hit.chunk.id)
        if vectors is None or not len(vectors):
            continue
        passage = hit.dense_similarity if hit.dense_similarity is not None else floor
        sims = vectors @ question_vector
        shared = overlap(question, [u.text for u in hit.chunk.units]) if overlap else [0.0] * len(sims)
        for i, unit in enumerate(hit.chunk.units):
            if not _quotable(unit):
                continue
            similarity = float(sims[i])
            score = similarity + params.passage_weight * passage + params.lexical_weight * shared[i] - 0.01 * rank
            out.append(_Candidate(rank, i, similarity, score, vectors[i]))
    return out


def _quotable(unit: Unit) -> bool:
    """Selling lines, crumbs, rhetorical questions and list lead-ins ("Helpful steps include:")
    are never quoted alone: none of them answers anything."""
    if is_selling(unit.text) or unit.text.rstrip().endswith((":", "?")):
        return False
    return unit.is_item or len(unit.text.split()) >= 4


def _select(candidates: list[_Candidate], best: float, params: AnswerParams) -> list[_Candidate]:
    """Maximal marginal relevance: each pick is relevant and unlike the ones before it."""
    chosen: list[_Candidate] = []
    pool = list(candidates)
    while pool and len(chosen) < params.max_units:
        passages = {s.hit_rank for s in chosen}
        if len(passages) >= params.max_passages:
            pool = [c for c in pool if c.hit_rank in passages]
            if not pool:
                break

        def mmr(c: _Candidate) -> float:
            redundancy = max((float(c.vector @ s.vector) for s in chosen), default=0.0)
            together = params.same_passage_bonus if c.hit_rank in passages else 0.0
            return params.mmr_lambda * (c.score + together) - (1 - params.mmr_lambda) * redundancy
        pick = max(pool, key=mmr)
        pool.remove(pick)
        if len(chosen) >= params.min_units and pick.score < best * params.relative_floor:
            break
        if chosen and pick.similarity < params.min_sentence_similarity:
            break
        if any(float(pick.vector @ s.vector) > 0.92 for s in chosen):
            continue  # says the same thing again
        chosen.append(pick)
    return chosen


def _add_context(chunk: Chunk, indexes: set[int]) -> None:
    """Pull in what a chosen sentence leans on: the sentence before a 'This…', and the
    lead-in line of a list ("Helpful steps include:")."""
    units = chunk.units
    for i in sorted(indexes):
        unit = units[i]
        if not unit.is_item and i > 0 and _OPENS_ON_PREVIOUS.match(unit.text) and not is_selling(units[i - 1].text):
            indexes.add(i - 1)
        if unit.is_item:
            lead = _list_lead_in(units, i)
            if lead is not None:
                indexes.add(lead)


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
