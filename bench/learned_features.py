"""The features of bench/fit_learned.py's trial: one row per candidate block (for a learned ranker)
and one per question (for a learned "not covered"), from what compose's `observe` seam hands over
(compose._Candidate: similarities, shared words, the aspect's section...) plus the question's
rare words as the articles use them. Kept out of the product: neither model beat the rules
leave-one-set-out.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from assistant.answer.blocks import BlockKey
from assistant.answer.compose import _aspect_top
from assistant.answer.coverage import about_an_injury, with_synonyms

# One row per candidate block. "gap" features are against the question's best candidate, so a
# pairwise model compares blocks of one question on one scale.
BLOCK_FEATURES = (
    "similarity",  # the block's best unit to the question vector
    "similarity_gap",  # ...minus the best unit of all candidates
    "passage",  # cosine similarity of the passage it was found in (weakest dense one if BM25 only)
    "fused_rank",  # 1 / (1 + place of its passage in the fused ranking)
    "base_gap",  # the hand-weighted score the rules rank articles by, minus the best
    "heading_similarity",  # its section heading to the question vector
    "shared",  # share of the question's words its best unit uses
    "rare_unit",  # share of the question's IDF weight its best unit carries
    "rare_block",  # ...the whole block carries
    "rare_heading",  # ...its article's title and section heading carry
    "rare_article",  # ...the whole article carries
    "rare_article_gap",  # ...minus the best article's
    "serves",  # its section serves the aspect asked (aspects.py)
    "serves_own",  # ...and is the aspect's own kind, not a fallback
    "named",  # its article is about a rare word of the question (coverage.named_articles)
    "preferred",  # a follow-up's previous article, or the post the chat was opened on
    "found",  # its section was retrieved (not only added for the aspect or a named post)
    "rule_article",  # its article is the one the hand rules would lead with
    "rule_block",  # ...and it is the block they would lead with
    "is_list",
    "faq",  # its section heading is a question
    "first_block",  # first block of its section
    "early_section",  # 1 / (1 + index of its section)
)
QUESTION_FEATURES = (
    "best_similarity",  # best unit
    "best_passage",  # best passage (dense)
    "lead_score",  # the rules' score of the block they lead with
    "lead_rare_block",  # share of the question's IDF weight that block carries
    "lead_rare_article",  # ...its article carries
    "best_rare_article",  # ...the best article carries
    "covered",  # coverage.covered: the rarest key word (or a synonym) is in the passages found
    "unheard",  # key words no article uses at all
    "key_words",  # how many key words (rare content words) it has
    "about_an_injury",  # it names a body part or a symptom
)


@dataclass(frozen=True)
class Linear:
    """sigmoid / score = (x - mean) / scale @ coef + intercept."""

    names: tuple[str, ...]
    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: float = 0.0

    def score(self, rows: np.ndarray) -> np.ndarray:
        return ((np.asarray(rows, dtype=float) - self.mean) / self.scale) @ self.coef + self.intercept


def article_shares(opened, terms: set[str], sources: set[str]) -> dict[str, float]:
    """Per article: the share of the question's IDF weight it uses anywhere (a word counts when
    the article uses it or a body-part synonym of it)."""
    weights = {w: max(opened.vocabulary.idf(w), 0.0) for w in terms}
    total = sum(weights.values())
    if not total:
        return {source: 0.0 for source in sources}
    return {source: sum(weight for w, weight in weights.items()
                        if any(opened.article_terms.get(source, {}).get(s, 0) for s in with_synonyms(w))) / total
            for source in sources}


@dataclass(frozen=True)
class BlockTable:
    """The learned models' view of one question: a row of BLOCK_FEATURES per candidate
    block, and the question's own numbers (QUESTION_FEATURES but its lead block's)."""

    keys: tuple[BlockKey, ...]
    texts: tuple[str, ...]  # the blocks' words (the fit script labels them by key phrase)
    rows: np.ndarray
    found: np.ndarray  # bool per block: its section was retrieved (only these choose the article)
    rare_article: dict  # source -> share of the question's IDF weight the article carries
    question: dict


def block_table(assistant, asked, ranked: list, candidates: list, hits) -> BlockTable:
    """What compose's `observe` seam hands over, as features (compose._Candidate's fields)."""
    terms = set(assistant._term_sets([asked.text])[0])
    opened = assistant.retriever.opened
    texts = [c.block.text for c in ranked]
    heads = [f"{c.block.first.title} {c.block.first.heading or ''}" for c in ranked]
    shares = assistant._rare_overlap(asked.text, texts + heads)
    best_sim = max(c.similarity for c in candidates)
    best_unit: dict = {}
    for c in candidates:
        best_unit[c.block.key] = max(best_unit.get(c.block.key, -1.0), c.similarity)
    best_base = max(c.base for c in ranked)
    found = np.array([not asked.found_in or (c.block.key.source, c.block.key.section) in asked.found_in
                      for c in ranked])
    rule_lead = max((c for c, f in zip(ranked, found) if f), key=lambda c: c.base, default=ranked[0])
    rule_top = _aspect_top(ranked, rule_lead.block.key.source)
    article = article_shares(opened, terms, {c.block.key.source for c in ranked})
    top_article = max(article.values())
    rows = [[best_unit[c.block.key], best_unit[c.block.key] - best_sim, c.passage, 1.0 / (1 + c.rank),
             c.base - best_base, c.heading, c.shared, c.rare, shares[i], shares[len(ranked) + i],
             article[c.block.key.source], article[c.block.key.source] - top_article,
             c.serves is not None, c.serves == 0, c.block.key.source in asked.named,
             c.block.key.source in asked.prefer, found[i], c.block.key.source == rule_lead.block.key.source,
             c is rule_top,
             c.block.is_list, (c.block.first.heading or "").rstrip().endswith("?"), c.block.key.block == 0,
             1.0 / (1 + c.block.key.section)] for i, c in enumerate(ranked)]
    question = {"best_similarity": best_sim, "lead_score": rule_top.base,
                "best_passage": max((h.dense_similarity or 0.0 for h in hits), default=0.0),
                "best_rare_article": top_article, "covered": float(asked.covered), "unheard": float(asked.unheard),
                "key_words": float(len(opened.vocabulary.key_words(terms))),
                "about_an_injury": float(about_an_injury(asked.text))}
    return BlockTable(tuple(c.block.key for c in ranked), tuple(texts), np.array(rows, dtype=float), found,
                      article, question)


_RARE_BLOCK, _RARE_ARTICLE, _RULE_BLOCK = (BLOCK_FEATURES.index(name) for name in
                                          ("rare_block", "rare_article", "rule_block"))


def question_row(table: BlockTable) -> np.ndarray:
    """QUESTION_FEATURES of the question, with the block the rules lead with."""
    lead = int(np.argmax(table.rows[:, _RULE_BLOCK]))
    values = dict(table.question, lead_rare_block=float(table.rows[lead, _RARE_BLOCK]),
                  lead_rare_article=float(table.rows[lead, _RARE_ARTICLE]))
    return np.array([values[name] for name in QUESTION_FEATURES], dtype=float)
