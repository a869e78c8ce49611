"""Tag what in an article is not an answer (knowledge/filler.yaml): the post talking about
itself, selling, page chrome, the author's bio, back-references.

A paragraph that mixes content and filler is split where they meet, so each block has one tag
and a content paragraph can still be quoted whole. Rules first (headings, patterns); what no
rule decides is compared by meaning with the examples, in one model call for the article. The
sentence vectors of that call are handed back, so the ingest does not embed them twice.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import replace
from typing import Callable

import numpy as np

from assistant.ingest.chunk import split_sentences
from assistant.ingest.filler_rules import FillerRules
from assistant.schema import CONTENT, Article, Block, Section

MIN_KEPT_WORDS = 4  # a sentence left with fewer words after its back-reference is cut is dropped
CHROME = ("nav", "bio")  # kinds a label before a colon may give a whole paragraph


class Tagger:
    def __init__(self, rules: FillerRules, embed: Callable | None = None):
        """`embed`: texts -> unit vectors (the assistant's model); None: rules only."""
        self.rules, self._embed = rules, embed
        self._examples = None  # (kinds, example vectors, content vectors), embedded on first use

    def tag(self, article: Article) -> tuple[Article, dict[str, np.ndarray]]:
        """(the article with tagged blocks, vectors of the sentences compared by meaning)."""
        pending: list[str] = []
        drafts = []  # per section: (heading kind, [(block, [(sentence, tag or None)])])
        for section in article.sections:
            heading_kind = self.rules.heading_kind(section.heading)
            blocks = []
            for block in section.blocks:
                if block.is_list or heading_kind:
                    blocks.append((block, None))
                    continue
                if label_kind := self._label_kind(block):
                    blocks.append((block, [(block.text, label_kind)]))
                    continue
                sentences = [self._by_rule(s) for s in split_sentences(block.text)]
                pending += [s for s, tag in sentences if tag is None]
                blocks.append((block, sentences))
            drafts.append((heading_kind, blocks))
        vectors, kinds = self._by_meaning(pending)
        sections = []
        for section, (heading_kind, blocks) in zip(article.sections, drafts):
            tagged: list[Block] = []
            for block, sentences in blocks:
                if heading_kind:
                    tagged.append(replace(block, tag=heading_kind))
                elif sentences is None:
                    # The titles under a "Related posts" line are page chrome too.
                    after_nav = bool(tagged) and tagged[-1].tag == "nav" and not block.text
                    tagged.append(replace(block, text=self._lead_in(block.text),
                                          tag="nav" if after_nav else self._list_tag(block)))
                else:
                    tagged += _regroup(self._carried([(s, tag or kinds.get(s, CONTENT)) for s, tag in sentences]))
            sections.append(Section(section.heading, tuple(tagged)))
        return replace(article, sections=tuple(sections)), vectors

    def _carried(self, sentences: list[tuple[str, str]]) -> list[tuple[str, str]]:
        """A sentence that carries on the filler before it takes its kind (`continues`)."""
        carried: list[tuple[str, str]] = []
        for sentence, tag in sentences:
            if tag == CONTENT and carried and carried[-1][1] != CONTENT:
                tag = self.rules.continued_kind(sentence, carried[-1][1]) or tag
            carried.append((sentence, tag))
        return carried

    def _lead_in(self, text: str) -> str:
        """A list's lead-in without a leading back-reference (round 20 quoted "As I mentioned
        above, for most runners the bend isn't the real enemy ... What helps:")."""
        trimmed = self.rules.trimmed(text) if text else None
        return trimmed if trimmed and len(trimmed.split()) >= MIN_KEPT_WORDS else text

    def _label_kind(self, block: Block) -> str | None:
        """A heading of page chrome run into its paragraph ("References: Morton D, Callister R. ...
        2015 (...)"): the label decides for the whole paragraph, as a heading does for its section.
        Chrome only: "Schedule: three easy runs a week" is advice, though "schedule" heads a sales section."""
        label, colon, _ = block.text.partition(":")
        if not colon or len(label.split()) > 4:
            return None
        kind = self.rules.heading_kind(label)
        return kind if kind in CHROME else None

    def _by_rule(self, sentence: str) -> tuple[str, str | None]:
        trimmed = self.rules.trimmed(sentence)
        if trimmed is not None:
            return (trimmed, CONTENT) if len(trimmed.split()) >= MIN_KEPT_WORDS else (sentence, "backref")
        return sentence, self.rules.pattern_kind(sentence)

    def _list_tag(self, block: Block) -> str:
        """A list is filler only when every item is (its lead-in never decides)."""
        kinds = [self.rules.pattern_kind(item) for item in block.items]
        if kinds and all(kinds):
            return Counter(kinds).most_common(1)[0][0]
        return CONTENT

    def _by_meaning(self, sentences: list[str]) -> tuple[dict, dict]:
        """({sentence: vector} for all, {sentence: kind} for those close to a kind's examples and
        clearly closer than to every content example)."""
        if not sentences or self._embed is None or not self.rules.examples:
            return {}, {}
        kinds, example_vectors, content_vectors = self._example_vectors()
        unique = list(dict.fromkeys(sentences))
        vectors = self._embed(unique)
        found: dict = {}
        kind_sims = vectors @ example_vectors.T
        content_best = (vectors @ content_vectors.T).max(axis=1) if len(content_vectors) else np.zeros(len(unique))
        for i, sentence in enumerate(unique):
            best = int(kind_sims[i].argmax())
            similarity = float(kind_sims[i, best])
            if similarity >= self.rules.similarity and similarity - float(content_best[i]) >= self.rules.lead:
                found[sentence] = kinds[best]
        return dict(zip(unique, vectors)), found

    def _example_vectors(self):
        if self._examples is None:
            pairs = self.rules.examples
            vectors = self._embed([e for _, e in pairs] + list(self.rules.content))
            self._examples = ([k for k, _ in pairs], vectors[:len(pairs)], vectors[len(pairs):])
        return self._examples


def _regroup(sentences: list[tuple[str, str]]) -> list[Block]:
    """Neighbouring sentences with one tag become one block."""
    blocks: list[Block] = []
    for sentence, tag in sentences:
        if blocks and blocks[-1].tag == tag:
            blocks[-1] = Block(f"{blocks[-1].text} {sentence}", tag=tag)
        else:
            blocks.append(Block(sentence, tag=tag))
    return blocks
