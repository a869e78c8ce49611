"""Dense and lexical search, fused by reciprocal rank.

RRF (Cormack, Clarke & Buettcher, SIGIR 2009): score(d) = sum over rankings of 1 / (k + rank),
ranks starting at 1. It needs no score calibration between BM25 and cosine similarity.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

from assistant.answer.aspects import heading_aspect, served_by
from assistant.answer.blocks import BlockIndex
from assistant.answer.coverage import GENERIC, Vocabulary
from assistant.answer.names import name_phrases
from assistant.answer.regions import regions_of
from assistant.schema import Hit


@dataclass(frozen=True)
class Retrieval:
    hits: tuple[Hit, ...]  # fused, best first
    best_similarity: float  # cosine similarity of the best dense match (0 when none)
    version: int | None = None  # the knowledge-base version the hits come from


@dataclass(frozen=True)
class Opened:
    """One published version as a reader holds it; swapped whole, so a question in flight on
    one thread never mixes two versions while another thread follows a publish."""
    version: int
    manifest: object
    chunks: dict
    lexical: object
    blocks: BlockIndex  # whole blocks, put back together across passages
    sections: dict  # (source, section) -> its passages in order
    terms: dict  # chunk id -> its content words as BM25 sees them (stemmed)
    article_terms: dict  # source -> Counter: how many of the article's passages use each content word
    article_passages: Counter  # source -> how many passages it has
    vocabulary: Vocabulary  # how many passages use each word: which of a question's words are rare
    named_by: dict = field(default_factory=dict)  # source -> the words that name it: see title_words
    named_as: dict = field(default_factory=dict)  # source -> its whole name as a phrase (names.py)
    places: dict = field(default_factory=dict)  # source -> the body places its title names (regions.py)

    @property
    def title_words(self) -> frozenset[str]:
        """Every word a post is named by ("cuboid", "plica")."""
        return frozenset().union(*self.named_by.values())


OTHERS_SHARE = 0.25  # see title_words


def title_words(names: dict, article_terms: dict, vocabulary: Vocabulary) -> dict[str, frozenset[str]]:
    """The words a post is named by (stems): "cuboid", "adductor", "plica". A message naming one
    has a topic of its own, like one naming a body part (rewrite.TOPIC_TERMS), so a post staff add
    on a new condition is a topic the day it is published, with no word list to edit.
    `names`: source -> (its title's stems, its file name's stems). A word counts when both the
    title and the file name use it (staff name the file for the condition: "cuboid-syndrome.html";
    the title alone has "new" or "masters" in it), and the other posts together use it in at most
    OTHERS_SHARE as many passages as its own post, which has it in every passage (each carries
    its title): "cuboid" names a post, "analysis" or "return" run through the others too.
    Returns them by post (source -> its words; posts named by none left out)."""
    by_source = {source: naming(source, title & file_name, article_terms, vocabulary)
                 for source, (title, file_name) in names.items()}
    return {source: words for source, words in by_source.items() if words}


def naming(source: str, words, article_terms: dict, vocabulary: Vocabulary) -> frozenset[str]:
    """Those of `words` (stems) that name the post `source`: it uses them, and the other posts
    together use each in at most OTHERS_SHARE as many passages as it does."""
    own = article_terms.get(source, {})
    return frozenset(word for word in words if word not in GENERIC and len(word) > 2 and own.get(word, 0)
                     and vocabulary.df.get(word, 0) - own.get(word, 0) <= OTHERS_SHARE * own.get(word, 0))


# A heading that says what the post's condition is ("1. What is the tailbone, and what is
# coccydynia?"): its words name the post as its title's do. Round 27: "what is coccydynia?? the
# ortho wrote it on my paperwork" named no topic, and with three words no post uses it was "not
# covered", though the tailbone post defines the word under that heading.
_DEFINES = re.compile(r"^\W*(\d+[.)]\s*)?what(?:'s| is| are)\b", re.I)


def reciprocal_rank_fusion(rankings: Sequence[Sequence[str]], k: int = 60) -> list[tuple[str, float]]:
    """Pure: lists of ids, best first -> (id, fused score), best first; ties keep first-seen order."""
    scores: dict[str, float] = {}
    for ranking in rankings:
        for rank, item in enumerate(ranking, start=1):
            scores[item] = scores.get(item, 0.0) + 1.0 / (k + rank)
    order = {item: i for i, item in enumerate(scores)}
    return sorted(scores.items(), key=lambda pair: (-pair[1], order[pair[0]]))


class Retriever:
    """The published knowledge base, opened for questions. Follows the store's pointer: when
    an ingest publishes a new version, the next question reopens it (no restart)."""

    def __init__(self, store, model: str, dim: int, dense_k: int = 10, lexical_k: int = 10,
                 rrf_k: int = 60):
        from assistant.store.lexical import TermCounter

        self.store = store
        self.term_counter = TermCounter()
        self._model, self._dim = model, dim
        self.dense_k, self.lexical_k, self.rrf_k = dense_k, lexical_k, rrf_k
        self._opened: Opened | None = None
        self._stamp = None
        self.refresh()

    @property
    def version(self) -> int | None:
        return self._opened.version if self._opened else None

    @property
    def manifest(self):
        return self._opened.manifest

    @property
    def chunks(self) -> dict:
        return self._opened.chunks

    @property
    def lexical(self):
        return self._opened.lexical

    @property
    def opened(self) -> Opened:
        return self._opened

    def refresh(self) -> bool:
        """Reopen if the pointer moved; True when it did."""
        stamp = self.store.catalog.stamp()
        if stamp == self._stamp and self.version is not None:
            return False
        from assistant.store.lexical import LexicalIndex

        manifest = self.store.catalog.require_active(self._model, self._dim)
        chunk_list = self.store.vectors.all_chunks(manifest.version)
        chunks = {c.id: c for c in chunk_list}
        lexical = self.store.keywords.load(manifest.version, lambda: LexicalIndex.build(chunk_list))
        self.store.vectors.sentences(manifest.version)  # opened now: a missing file is reported here, not mid-answer
        terms = dict(zip(chunks, self.term_counter([c.embed_text for c in chunk_list])))
        # Swap everything at once (one assignment), so a question in flight sees one whole version.
        sections: dict = {}
        for chunk in sorted(chunk_list, key=lambda c: (c.source, c.section, c.part)):
            sections.setdefault((chunk.source, chunk.section), []).append(chunk)
        article_terms: dict = {}
        for chunk in chunk_list:
            article_terms.setdefault(chunk.source, Counter()).update(set(terms[chunk.id]))
        vocabulary = Vocabulary.of(terms.values())
        titles = {c.source: c.title for c in chunk_list}
        file_names = [Path(source).stem.replace("-", " ").replace("_", " ") for source in titles]
        stems = self.term_counter(list(titles.values()) + file_names)
        named_by = title_words(dict(zip(titles, zip(stems[:len(titles)], stems[len(titles):]))), article_terms, vocabulary)
        defining = {(c.source, c.heading) for c in chunk_list if c.heading and _DEFINES.match(c.heading)}
        heading_stems = self.term_counter([heading for _, heading in defining])
        for (source, _), words in zip(defining, heading_stems):
            named_by[source] = named_by.get(source, frozenset()) | naming(source, words, article_terms, vocabulary)
        self._opened = Opened(manifest.version, manifest, chunks, lexical, BlockIndex(chunk_list), sections,
                              terms, article_terms, Counter(c.source for c in chunk_list), vocabulary,
                              named_by, name_phrases(titles),
                              {source: regions_of(title) for source, title in titles.items()})
        self._stamp = stamp
        return True

    def rankings(self, question: str, vector, opened: Opened | None = None
                 ) -> tuple[list[tuple[str, float]], list[tuple[str, float]]]:
        """(dense, lexical): chunk ids best first, with cosine similarity / BM25 score."""
        opened = opened or self._opened
        dense = self.store.vectors.nearest_ids(opened.version, vector, self.dense_k)
        return dense, opened.lexical.search(question, self.lexical_k)

    def search(self, question: str, vector, passages: int, per_article: int = 3,
               prefer: frozenset[str] = frozenset()) -> Retrieval:
        """The best fused passages, at most `per_article` from one article, so a close second
        article still reaches the answer step. `prefer`: articles a follow-up stays with; their
        nearest passages join the ranking, so they reach the answer step too."""
        opened = self._opened
        dense, lexical = self.rankings(question, vector, opened)
        rankings = [[cid for cid, _ in dense], [cid for cid, _ in lexical]]
        if prefer:
            nearest = self.store.vectors.nearest_ids(opened.version, vector, per_article, prefer)
            known = {cid for cid, _ in dense}
            dense = dense + [pair for pair in nearest if pair[0] not in known]
            rankings.append([cid for cid, _ in nearest])
            passages += per_article
        fused = reciprocal_rank_fusion(rankings, self.rrf_k)
        similarity = dict(dense)
        hits: list[Hit] = []
        taken: dict[str, int] = {}
        for cid, score in fused:
            chunk = opened.chunks.get(cid)
            if chunk is None or taken.get(chunk.source, 0) >= per_article:
                continue
            taken[chunk.source] = taken.get(chunk.source, 0) + 1
            hits.append(Hit(chunk=chunk, score=score, dense_similarity=similarity.get(cid)))
            if len(hits) == passages:
                break
        return Retrieval(hits=tuple(hits), best_similarity=max(similarity.values(), default=0.0),
                         version=opened.version)

    def with_articles(self, hits: Sequence[Hit], vector, sources: frozenset[str], per_article: int = 3
                      ) -> tuple[Hit, ...]:
        """The hits plus, for each of `sources` that none of them comes from, its `per_article`
        passages nearest the question, scored like the weakest hit: they join the answer step,
        which decides on its own scores (with_sections then adds their sections)."""
        missing = sources - {h.chunk.source for h in hits}
        if not missing or not hits:
            return tuple(hits)
        opened, last = self._opened, hits[-1]
        nearest = self.store.vectors.dense_search(opened.version, vector, per_article * len(missing), missing)
        known = {h.chunk.id for h in hits}
        return tuple(hits) + tuple(Hit(chunk=opened.chunks.get(c.id, c), score=last.score, dense_similarity=sim)
                                   for c, sim in nearest if c.id not in known)

    def with_sections(self, hits: Sequence[Hit], aspect: str | None = None, articles: int = 2,
                      named: frozenset[str] = frozenset(), also: tuple[str, ...] = ()) -> tuple[Hit, ...]:
        """The hits plus the other passages of their sections (a long section is cut in parts,
        and its answer may sit in the part that was not found), and, in the best `articles`
        articles and those the question names, the sections whose heading serves the aspect asked
        ("What does it feel like?" for "how can I tell"). Each added passage takes the scores of
        its article's best hit. `also`: section aspects added the same way whatever was asked
        (an urgent answer's "When to see a doctor urgently")."""
        opened, seen, out = self._opened, {h.chunk.id for h in hits}, list(hits)
        best_of: dict[str, Hit] = {}
        for hit in hits:
            best_of.setdefault(hit.chunk.source, hit)
        wanted = [(h.chunk.source, h.chunk.section, h) for h in hits]
        serving = served_by(aspect) + tuple(also)
        if serving:
            leading = list(best_of)[:articles] + [s for s in best_of if s in named]  # and the posts it names
            for source, hit in ((s, best_of[s]) for s in dict.fromkeys(leading)):
                wanted += [(s, section, hit) for (s, section), chunks in opened.sections.items()
                           if s == source and heading_aspect(chunks[0].heading) in serving]
        for source, section, hit in wanted:
            for chunk in opened.sections.get((source, section), ()):
                if chunk.id not in seen:
                    seen.add(chunk.id)
                    out.append(Hit(chunk=chunk, score=hit.score, dense_similarity=hit.dense_similarity))
        return tuple(out)
