"""Compose a grounded answer: the articles' own blocks, each marked with its citation.

Pure: given the question, the retrieved passages, their unit vectors (stored at ingest) and the
version's blocks, score every content unit (a sentence, a list item), let each block take its
best unit's score, and quote the best blocks of ONE article - a second only when it is nearly as
good and shares the question's words. A block is quoted whole or as a run (blocks.py). Nothing
here calls the model or writes words of its own.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Mapping, Sequence

import numpy as np

from assistant.answer.aspects import EITHER, LOOK_ALIKES, heading_aspect, served_by
from assistant.answer.blocks import Block, BlockIndex, plain, quoted_units, render
from assistant.answer.coverage import not_covered
from assistant.answer.names import authority
from assistant.answer.params import AnswerParams
from assistant.schema import HEADING, ITEM, Citation, Hit, Unit

MIN_WORDS = 5  # a sentence shorter than this ("The dreaded side stitch!") says nothing on its own
# The block that uses most of the question's rare words joins the answer when the section the
# aspect (or the embedding) chose uses clearly fewer of them: "can they shave the pump bump off"
# is answered in a paragraph on surgery under another heading, "thick callus ... does that
# matter" in the treatment list's "trim thick calluses". WORD_MARGIN: how much more of the
# question's IDF weight it must carry than every block chosen; WORD_FLOOR: and at least this share.
WORD_MARGIN = 0.15
WORD_FLOOR = 0.30


@dataclass(frozen=True)
class Asked:
    """What the answer step knows of the question."""

    vector: np.ndarray
    text: str  # what retrieval searched for (a follow-up carries its topic)
    aspect: str | None = None  # see aspects.py
    prefer: frozenset[str] = frozenset()  # sources the previous answer quoted (a follow-up stays there)
    named: frozenset[str] = frozenset()  # sources that use a rare word of the question ("peroneal")
    covered: bool = True  # coverage.py: one of its key words is in the passages
    unheard: int = 0  # how many of its key words no article uses at all ("gym membership": 2)
    elsewhere: bool = False  # names nothing the articles are about, and is far from them (pipeline)
    open_ended: bool = False  # names no body part, condition or post, and has no rare word
    off_topic_unless: float | None = None  # offtopic.py: not covered unless a sentence is this close
    key_word_rule: bool = True  # a missing key word may refuse it (offtopic.py: its vector leans off-topic)
    # The sections of the passages found (and of a named post's nearest): only these choose the
    # article. A section added for the aspect asked takes its article's best scores, so letting it
    # compete would let the aspect pick the article. Empty: every candidate competes.
    found_in: frozenset | set = frozenset()
    # "Is that bursitis or just arthritis?": the runner wants a name, so the post's look-alikes
    # section ("Could it be something else?") is quoted beside the symptoms.
    look_alikes: bool = False
    # Sections whose best block joins the answer whatever its score: after a warning sign the
    # post's own "when to see someone" or look-alikes says why it matters ("can't lift your
    # straight leg: see a doctor urgently", "a femoral neck stress fracture hurts when you hop").
    also: tuple[str, ...] = ()
    # source -> its title's cosine similarity to the question (see _article_scores)
    title_similarity: Mapping[str, float] | None = None
    titled: frozenset[str] = frozenset()  # the posts a word of the question names (retrieve.title_words)
    named_as: Mapping[str, re.Pattern] | None = None  # source -> its whole name as a phrase (names.py)
    names: frozenset[str] = frozenset()  # every post the question names, by a rare word, a title word or its name
    elsewhere_on_body: frozenset[str] = frozenset()  # posts whose title is about another place (regions.py)


@dataclass(frozen=True)
class Composed:
    markdown: str
    citations: tuple[Citation, ...]


@dataclass(frozen=True)
class _Candidate:
    block: Block
    unit: Unit
    similarity: float  # question to unit
    base: float  # what ranks articles: the unit's similarity plus its passage's, shared words, a follow-up's topic
    score: float  # what ranks blocks within an article: base plus the aspect asked and the heading's match
    serves: int | None = None  # its section serves the aspect asked: 0 its own section, 1 the fallback...
    rare: float = 0.0  # share of the question's IDF weight its words carry
    passage: float = 0.0  # its passage's similarity
    rank: int = 0  # its passage's place in the fused ranking
    heading: float = 0.0  # its section heading's similarity
    shared: float = 0.0  # share of the question's words it uses


def compose(asked: Asked, hits: Sequence[Hit], unit_vectors: dict[str, np.ndarray], blocks: BlockIndex,
            params: AnswerParams, overlap: Callable[[str, list[str]], list[float]] | None = None,
            pointer: str = "", rare_overlap: Callable[[str, list[str]], list[float]] | None = None,
            observe: Callable | None = None, ranker: Callable | None = None) -> Composed | None:
    """None when nothing answers well enough (the caller says 'not covered').

    `overlap(question, sentences)`: the share of the question's words each sentence uses (the
    embedding alone blurs "outside of the knee" into "knee"). `pointer`: the words for the rest
    of a long list ("and {count} more in the article"). `observe(asked, ranked, candidates, hits)`
    and `ranker(...)` (same arguments, returns {block key: score}): bench/fit_learned.py's seams,
    to record every question's candidate blocks and to let a learned ranker choose the lead
    block. The product uses neither: the learned ranker did not beat the rules leave-one-set-out."""
    candidates = _candidates(asked, hits, unit_vectors, blocks, overlap, params, rare_overlap)
    if not candidates:
        return None
    best_of: dict = {}
    for c in candidates:
        if c.block.key not in best_of or c.score > best_of[c.block.key].score:
            best_of[c.block.key] = c
    ranked = sorted(best_of.values(), key=lambda c: -c.score)
    if observe is not None:  # before the rules refuse: the trial learns "not covered" too
        observe(asked, ranked, candidates, hits)
    if not_covered(asked, [c.similarity for c in candidates], hits, params):
        return None
    learned = ranker(asked, ranked, candidates, hits) if ranker is not None else None
    also = asked.also + ((LOOK_ALIKES,) if asked.look_alikes else ())
    article_scores = _article_scores(asked.title_similarity or {}, asked.titled, params, asked.elsewhere_on_body)
    chosen = _choose(ranked, blocks, params, asked.named, asked.found_in, also, learned, article_scores,
                     asked.named_as or {}, asked.names)
    return _write(chosen, candidates, params, pointer, blocks)


def _candidates(asked, hits, unit_vectors, blocks, overlap, params, rare_overlap=None) -> list[_Candidate]:
    """Every content unit of the passages. A unit's own similarity says it is on topic; its
    passage's says the section answers *this* question; the aspect asked and a follow-up's
    topic move a block up."""
    known = [h.dense_similarity for h in hits if h.dense_similarity is not None]
    floor = min(known, default=0.0)  # a passage only BM25 found ranks below the dense ones
    out = []
    for rank, hit in enumerate(hits):
        chunk, vectors = hit.chunk, unit_vectors.get(hit.chunk.id)
        if vectors is None or not len(vectors):
            continue
        passage = hit.dense_similarity if hit.dense_similarity is not None else floor
        sims = vectors @ asked.vector
        heading = max((float(sims[i]) for i, u in enumerate(chunk.units) if u.kind == HEADING), default=0.0)
        shared = overlap(asked.text, [u.text for u in chunk.units]) if overlap else [0.0] * len(sims)
        rare = rare_overlap(asked.text, [u.text for u in chunk.units]) if rare_overlap else [0.0] * len(sims)
        wanted = served_by(asked.aspect)
        kind = heading_aspect(chunk.heading)
        serves = (0 if asked.aspect in EITHER else wanted.index(kind)) if kind in wanted else None
        aspect = params.aspect_weight * (serves is not None)
        follow = params.follow_weight * (chunk.source in asked.prefer) + params.name_weight * (chunk.source in asked.named)
        for i, unit in enumerate(chunk.units):
            block = blocks.of(chunk, unit)
            if block is None or not _matchable(unit):
                continue  # filler, a crumb or a rhetorical question
            similarity = float(sims[i])
            base = similarity + params.passage_weight * passage + params.lexical_weight * shared[i] + follow - params.rank_weight * rank
            out.append(_Candidate(block, unit, similarity, base, base + aspect + params.heading_weight * heading, serves,
                                  rare[i], passage, rank, heading, shared[i]))
    return out


def _article_scores(title_similarity: Mapping[str, float], titled: frozenset[str],
                    params: AnswerParams, elsewhere_on_body: frozenset[str] = frozenset()) -> dict[str, float]:
    """What an article adds to its best block's base when articles compete: the article whose
    title is closest to the question, by its lead over the next title (a question naming a post
    by meaning: "quad tendon" for "Quadriceps tendinopathy"); and the one post a word of the
    question names ("pt thinks i strained my plantar plate": that post, not the calf one; two
    named, "is it X or Y", gain nothing); less for a title about another place (regions.py)."""
    scores: dict[str, float] = {}
    ranked = sorted(title_similarity.items(), key=lambda pair: -pair[1])
    if len(ranked) >= 2:
        (source, best), (_, second) = ranked[0], ranked[1]
        scores[source] = params.title_weight * (best - second)
    if len(titled) == 1:
        (source,) = titled
        scores[source] = scores.get(source, 0.0) + params.titled_weight
    scores.update({source: scores.get(source, 0.0) - params.place_weight for source in elsewhere_on_body})
    return scores


def _matchable(unit: Unit) -> bool:
    """Items match on any length; a sentence needs a few words, and neither a question ("Can I
    keep running?") nor a runner's words quoted by the post (an opening hook) answers anything:
    the block they stand in is found by its answer."""
    if unit.kind == ITEM:
        return len(unit.text.split()) >= 2
    text = unit.text.strip()
    return (unit.kind != HEADING and len(text.split()) >= MIN_WORDS and not text.endswith("?")
            and not text.startswith(('"', "\u201c", "'")))


def _choose(ranked: list[_Candidate], blocks: BlockIndex, params: AnswerParams,
            named: frozenset[str] = frozenset(), found_in=frozenset(), also: tuple[str, ...] = (),
            learned: dict | None = None, article_scores: Mapping[str, float] | None = None,
            named_as: Mapping[str, re.Pattern] | None = None, names: frozenset[str] = frozenset()) -> list[Block]:
    """The best article (articles compete by their best block's base plus `article_scores`,
    without the aspect and heading bonuses: those pick the section, not the article); in it, the
    section of its best block, quoted from the top as a FAQ answer reads (best block always in),
    then other blocks nearly as good, the block carrying most of the question's rare words, and
    the best block of the sections in `also`;
    then at most one block of a second article that is nearly as good and uses a word the
    question names. `learned` (the bench's trial ranker): block scores; its best block among the
    retrieved sections picks the article, and its best block there leads. A lead paragraph about
    another post's condition hands the lead to that post (names.authority)."""
    competing = [c for c in ranked if not found_in or (c.block.key.source, c.block.key.section) in found_in]
    article_scores = article_scores or {}
    lead = max(competing or ranked, key=(lambda c: learned[c.block.key]) if learned
               else (lambda c: c.base + article_scores.get(c.block.key.source, 0.0)))
    source = lead.block.key.source
    if named_as and not learned:
        scored = [(c.block.key.source, c.base + article_scores.get(c.block.key.source, 0.0))
                  for c in competing or ranked]
        source = authority(source, " ".join(u.text for u in lead.block.units), scored, named_as, names,
                           params.authority_share)
        lead = next(c for c in competing or ranked if c.block.key.source == source)
    best = next(c for c in ranked if c.block.key.source == source)
    top = (max((c for c in ranked if c.block.key.source == source), key=lambda c: learned[c.block.key])
           if learned else _aspect_top(ranked, source))
    section = blocks.sections.get((source, top.block.key.section), [top.block])
    start = next(i for i, b in enumerate(section) if b.key == top.block.key)
    chosen = section[:start + 1]
    if len(chosen) > params.max_blocks or sum(b.size for b in chosen) > params.max_words:
        chosen = [top.block]  # the best block sits far down a long section: start there
    words = sum(b.size for b in chosen)
    for block in section[start + 1:]:
        if len(chosen) >= params.max_blocks or words + block.size > params.max_words:
            break
        chosen.append(block)
        words += block.size
    # a promise closing the section leads into sub-sections: their blocks join below the floor too
    promised = blocks.sub_sections(source, top.block.key.section) if chosen[-1] is section[-1] else []
    extra = []
    for c in ranked:
        if len(chosen) + len(extra) >= params.max_blocks:
            break
        if c.score < params.relative_floor * best.score and (c.block not in promised
                                                              or c.similarity < params.min_sentence_similarity):
            continue
        if c.block.key.source == source and c.block not in chosen and words + c.block.size <= params.max_words:
            extra.append(c.block)
            words += c.block.size
    chosen += sorted(extra, key=lambda b: (b.key.section, b.key.block))  # then in reading order
    chosen = _with_word_best(chosen, [c for c in ranked if c.block.key.source == source], params)
    joining = next((c.block for c in ranked if c.block.key.source == source
                    and heading_aspect(c.block.first.heading) in also), None)  # the best of them
    if joining is not None and joining not in chosen and params.max_blocks > 1:
        chosen = _joined(chosen, joining, params)
    if params.max_blocks > 1:
        other = max((c for c in competing if c.block.key.source != source), key=lambda c: c.base, default=None)
        if other is not None and other.block.key.source in named and other.base >= params.second_article_share * lead.base:
            chosen.append(other.block)
    return chosen


def _aspect_top(ranked: list[_Candidate], source: str) -> _Candidate:
    """The rules' leading block of `source`: the section that serves the aspect asked ("Common
    causes" for "why") leads when the article has one, however well another section matches the
    words: a heading like "Is it metatarsalgia or a neuroma?" matches any question naming
    metatarsalgia, not what it asks. Otherwise its best block."""
    best = next(c for c in ranked if c.block.key.source == source)
    return min((c for c in ranked if c.block.key.source == source and c.serves is not None),
               key=lambda c: (c.serves, -c.score), default=best)


def _with_word_best(chosen: list[Block], ranked: list[_Candidate], params: AnswerParams) -> list[Block]:
    """`chosen` plus the article's block that carries most of the question's rare words, when it
    carries clearly more than every chosen block: the aspect's section and the embedding both
    read the question's gist, this reads its particular words. Room is made by dropping the
    last blocks after the first (the first is the best of the section chosen)."""
    word_best = max(ranked, key=lambda c: (c.rare, c.score), default=None)
    if word_best is None or word_best.block in chosen or word_best.rare < WORD_FLOOR:
        return chosen
    have = max((c.rare for c in ranked if c.block in chosen), default=0.0)
    return chosen if word_best.rare < have + WORD_MARGIN else _joined(chosen, word_best.block, params)


def _joined(chosen: list[Block], block: Block, params: AnswerParams) -> list[Block]:
    """`block` after `chosen`, room made within the budget by dropping the last blocks after
    the first (the first is the best of the section chosen)."""
    kept = list(chosen)
    while len(kept) > 1 and (len(kept) >= params.max_blocks
                             or sum(b.size for b in kept) + block.size > params.max_words):
        kept.pop()
    return kept + [block]


def _write(chosen: list[Block], candidates: list[_Candidate], params: AnswerParams, pointer: str,
           blocks: BlockIndex) -> Composed:
    """The blocks in the order chosen (the section that answers first), cited one per section."""
    numbers: dict[tuple[str, int], int] = {}
    parts, quotes, shown = [], {}, frozenset(b.key for b in chosen)
    for block in chosen:
        best = max((x.similarity for x in candidates if x.block.key == block.key), default=1.0)
        floor = max(params.min_sentence_similarity, params.relevant_share * best)
        relevant = {x.unit.text for x in candidates if x.block.key == block.key and x.similarity >= floor}
        serves = any(x.serves is not None for x in candidates if x.block.key == block.key)
        units, more = quoted_units(block, relevant, pointer, serves, blocks.next_key(block.key) in shown)
        if not units:
            continue  # nothing but a lead-in to what the block does not hold
        section = (block.key.source, block.key.section)
        n = numbers.setdefault(section, len(numbers) + 1)
        parts.append(render(units, more, n, block.first.heading if block.key in blocks.sub_heads else None))
        quotes.setdefault(section, []).append(plain(units, more))
    citations = []
    for (source, section), n in numbers.items():
        first = next(b.first for b in chosen if (b.key.source, b.key.section) == (source, section))
        citations.append(Citation(n=n, title=first.title, url=first.url, source=source, heading=first.heading,
                                  quote="\n\n".join(quotes[(source, section)]), chunk_id=first.id))
    return Composed(markdown="\n\n".join(parts), citations=tuple(citations))
