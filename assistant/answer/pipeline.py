"""Assistant.ask(message, history) = triage -> rewrite -> retrieve -> answer -> booking.

Triage runs first on every turn, on the runner's own words, and can change the whole reply.
The question is embedded exactly once (inside triage); a follow-up's retrieval query (see
rewrite.py) rides in that same model call, and its vector serves retrieval and sentence selection.
"""
from __future__ import annotations

import re
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from functools import partial
from typing import Sequence

from assistant.answer.aspects import LOOK_ALIKES, asks_what_it_is, question_aspect, wants_look_alikes
from assistant.answer.compose import AnswerParams, Asked, compose
from assistant.answer.coverage import NAME_SHARE, SYMPTOMS, covered, idf_weight, named_articles
from assistant.answer.names import named_in
from assistant.answer.regions import posts_elsewhere
from assistant.answer.offtopic import OffTopicNet, load_offtopic, off_topic_verdict
from assistant.answer.retrieve import Retriever
from assistant.answer.rewrite import changes_subject, has_topic, quoted_sources, retrieval_query, topics
from assistant.answer.shorthand import Shorthand
from assistant.answer.titles import TitleVectors
from assistant.answer.triage_text import clean_question
from assistant.clinic import Clinic, load_clinic
from assistant.config import Settings
from assistant.errors import UsageError
from assistant.schema import Answer, Triage
from assistant.store import Store

# A runner who is unsure whether PT is for them gets the discovery call first.
_UNSURE = re.compile(
    r"\b(not sure|unsure|should i (see|go|get|book)|do i need|is (pt|physical therapy|physio)|"
    r"can (pt|physical therapy|physio|you) help|worth (it|seeing|going)|right for me|"
    r"what (happens|to expect)|how does (it|pt|physical therapy) work|discovery call|cost|insurance)\b",
    re.I)
TERMS_KEPT = 5_000  # word sets remembered (~1 KB each: ~5 MB at most)
NAMING_ASPECTS = (None, "tell", "identify", "what")  # the aspects under which "is it X" asks for a name
URGENT_SECTIONS = ("see_someone", LOOK_ALIKES)  # what an urgent answer quotes beside its best block
_SUDDEN = re.compile(r"\b(felt|heard) (\w+ ){0,3}(pop|snap|tear|rip)\b|\b(popped|snapped|ripped)\b", re.I)
URGENT_BLOCKS = 3
_FOR_IT = re.compile(r"\b(for|with|on|into|to|about|help) (it|that|this|them)\b", re.I)  # "the hip exercises for it"
WHOLE_BODY = frozenset({"leg", "muscle", "bone", "joint"})  # "my legs feel fine" names no place


class Assistant:
    def __init__(self, settings: Settings, embedder, clinic: Clinic, triager, retriever: Retriever,
                 offtopic: OffTopicNet | None = None):
        self.settings = settings
        # offtopic.py: weights fitted on another model's vectors mean nothing here
        self.offtopic = offtopic if offtopic is not None and offtopic.model == embedder.name else None
        self.observe = self.ranker = None  # bench/fit_learned.py's seams (compose.compose)
        self.embedder = embedder
        self.clinic = clinic
        self.triager = triager
        self.retriever = retriever
        self.params = AnswerParams.from_settings(settings)
        self.shorthand = Shorthand(clinic.shorthand)
        from assistant.store.lexical import TermCounter

        self._terms = TermCounter()
        self._known_terms: dict[str, frozenset] = {}
        self.titles = TitleVectors(embedder)

    def _overlap(self, question: str, sentences: list[str]) -> list[float]:
        asked, *said = self._term_sets([question, *sentences])
        return [len(asked & words) / len(asked) if asked else 0.0 for words in said]

    def _rare_overlap(self, question: str, sentences: list[str]) -> list[float]:
        """The same share, each word weighted by its IDF: "callus" in "thick callus under the
        ball of my foot" says which block answers more than "foot" does."""
        idf = self.retriever.opened.vocabulary.idf
        asked, *said = self._term_sets([question, *sentences])
        total = idf_weight(asked, idf)
        return [idf_weight(asked & words, idf) / total if total else 0.0 for words in said]

    def _term_sets(self, texts: list[str]) -> list[frozenset]:
        """TermCounter's sets, remembered: an answer scores the same question against a few
        dozen of the articles' sentences, in ~7 calls, and bm25s' tokenizer costs ~0.2 ms a call
        whatever its size (~1 ms of a 10 ms warm answer once the question embeds on ONNX Runtime
        in ~4 ms; bench/profile_ask.py). Bounded: forgotten whole past TERMS_KEPT texts."""
        found = {text: self._known_terms.get(text) for text in texts}
        missing = [text for text, terms in found.items() if terms is None]
        if missing:
            fresh = dict(zip(missing, map(frozenset, self._terms(missing))))
            found.update(fresh)
            if len(self._known_terms) > TERMS_KEPT:
                self._known_terms = {}  # replaced, not cleared: another thread may be reading it
            self._known_terms.update(fresh)
        return [found[text] for text in texts]

    @classmethod
    def from_settings(cls, settings: Settings, embedder=None) -> "Assistant":
        from assistant.answer.triage import Triager, load_rules
        from assistant.answer.triage_net import load_net
        from assistant.embed import load_question_embedder

        store = Store.from_settings(settings)
        store.catalog.active_manifest()  # a damaged pointer or manifest is reported before the model loads
        # ONNX Runtime when the ingest's checked export is there (no torch in this process)
        embedder = embedder or load_question_embedder(settings)
        # Embedding the triage examples (~0.5 s on the question path's one thread) runs beside
        # opening the published version: ONNX Runtime and the tokenizer release the GIL, so a
        # cold start gains most of it on a second core (bench/cold_start.py).
        with ThreadPoolExecutor(max_workers=1) as pool:
            triager = pool.submit(lambda: Triager(load_rules(settings.triage_file), embedder, load_net()))
            retriever = Retriever(store, embedder.name, embedder.dim, settings.dense_k,
                                  settings.lexical_k, settings.rrf_k)
            triager = triager.result()
        assistant = cls(settings, embedder, load_clinic(settings.clinic_file), triager, retriever, load_offtopic())
        assistant.titles.vectors(retriever.opened)  # now, not on the first question: one model call per question
        return assistant

    def ask(self, message: str, history: Sequence[tuple[str, str]] = (),
            prefer: frozenset[str] = frozenset()) -> Answer:
        """`history`: earlier (question, answer) turns of this conversation, oldest first.
        `prefer`: sources to stay with like a follow-up's (the blog post the chat was opened on)."""
        timings: dict[str, float] = {}
        started = time.perf_counter()
        question = clean_question(message or "", self.settings.max_question_chars)
        if not question:
            raise UsageError(self.clinic.messages["empty_question"])

        t = time.perf_counter()
        # Shorthand spelled out ("itbs (IT band syndrome)") for finding and choosing passages;
        # triage reads the runner's own words.
        spelled = self.shorthand(question)
        rewrite = retrieval_query(spelled, [self.shorthand(asked) for asked, _ in history], self._names_topic)
        also_embed = [rewrite.query] if rewrite.is_follow_up or rewrite.query != question else []
        triage, vectors = self.triager.check_with(question, also_embed)
        vector, query = (vectors[1], rewrite.query) if also_embed else (vectors[0], question)
        timings["triage"] = _ms(t)
        reply = partial(Answer, question=question, triage=triage.level, timings_ms=timings)
        if triage.level == "caution":  # a possible warning sign: its check line leads whatever follows
            reply = _leading(reply, self.clinic.check_line(triage.rule))
        if triage.level == "emergency":
            return _timed(reply(answer=self._red_flag_text(triage), citations=(), status="red_flag",
                                booking=None), started)
        # "Is it X?" is answered from the articles (how X shows up, and its look-alikes); only a
        # "diagnose me" that no article matches is declined.
        names_it = triage.scope == "diagnosis" or asks_what_it_is(question)
        if triage.scope and triage.scope != "diagnosis" and triage.level in ("none", "caution"):
            return self._declined(reply, triage.scope, started)

        t = time.perf_counter()
        self.retriever.refresh()
        follow = quoted_sources(history[-1][1], self.retriever.opened.chunks.values()) if history else frozenset()
        if follow and (changes_subject(spelled) or self._new_topic(spelled, follow)):
            follow = frozenset()
        on_post = bool(prefer)  # the chat was opened on a blog post: "what causes it?" is about it
        prefer = prefer | follow  # plus the post the chat was opened on, if any
        retrieval = self.retriever.search(query, vector, self.settings.passages, prefer=prefer)
        timings["retrieve"] = _ms(t)
        t = time.perf_counter()
        composed = None
        if retrieval.hits and retrieval.best_similarity >= self.settings.min_passage_similarity:
            # Only a message that leans on the conversation ("what about ice", "should I rest it")
            # is spared the coverage check; "what heart rate zone..." after a knee answer is not.
            composed = self._compose(spelled, query, vector, retrieval, prefer, urgent=triage.level == "urgent",
                                     follow_up=bool(follow) and rewrite.is_follow_up, on_post=on_post,
                                     diagnosis=triage.scope == "diagnosis")
        timings["answer"] = _ms(t)
        reply = partial(reply, retrieved=tuple(h.chunk.id for h in retrieval.hits))

        if triage.level == "urgent":
            text, citations = self._red_flag_text(triage), ()
            if composed is not None:
                text, citations = f"{text}\n\n{composed.markdown}", composed.citations
            return _timed(reply(answer=text, citations=citations, status="red_flag",
                                booking=self.clinic.booking("after_urgent")), started)
        if composed is None and triage.scope == "diagnosis":
            return self._declined(reply, triage.scope, started)
        if composed is None:
            return _timed(reply(answer=self.clinic.messages["no_match"].strip(), citations=(), status="no_match",
                                booking=self.clinic.booking("no_match")), started)
        text = composed.markdown
        if names_it:  # the articles' answer, then: only an examination can tell
            text = f"{text}\n\n{self.clinic.messages['exam_only'].strip()}"
        situation = "unsure" if _UNSURE.search(question) and not names_it else "answered"
        return _timed(reply(answer=text, citations=composed.citations, status="answered",
                            booking=self.clinic.booking(situation)), started)

    def _declined(self, reply, scope: str, started: float) -> Answer:
        return _timed(reply(answer=self.clinic.scope.get(scope, ""), citations=(), status="out_of_scope",
                            booking=self.clinic.booking("out_of_scope")), started)

    def _compose(self, question: str, query: str, vector, retrieval, prefer, urgent: bool, follow_up: bool,
                 on_post: bool = False, diagnosis: bool = False):
        opened = self.retriever.opened
        aspect = question_aspect(question)
        named = self._named(question)
        terms = set(self._term_sets([question])[0])
        # The articles' domain (a body part, a symptom, or a post's own name: "how long til cuboid
        # syndrome goes away" is covered whatever else it says, "til" and "january" included; the
        # name itself is never a rare key word, it stands in every passage of its post, with the
        # title), or a follow-up; a preferred post alone must still cover the question.
        # (a post's name misspelled still names it: "piriformus", "plicka"; "legs" alone names no
        # place: "my legs feel great after the marathon, how soon can i race")
        specific = [t for t in topics(question) if t not in WHOLE_BODY]
        spelled = opened.vocabulary.spelled(terms)
        titled = frozenset(source for source, words in opened.named_by.items() if words & spelled)
        names_topic = follow_up or bool(specific) or bool(titled)
        sure = names_topic or bool(SYMPTOMS.search(question))
        rare = opened.vocabulary.key_words(terms, NAME_SHARE)
        strict = opened.vocabulary.key_words(terms)
        key_words = [] if sure else strict
        found = set().union(*(opened.terms.get(h.chunk.id, set())
                              for h in self.retriever.with_sections(retrieval.hits, aspect, named=named)))
        # The post the question names joins, found or not ("how long does pttd take"), after the
        # coverage check: what retrieval found decides "not covered", not the post a word points to.
        # offtopic.py: about training, gear, weather or fuel (no post or topic named, its rarest
        # word not found) unless a sentence is close; and whether a missing word may refuse it
        # (always when asked for a diagnosis: only an article that matches its words answers it)
        whole_name = named_in(question, opened.named_as)  # named whole; one not weighed ("X or Y?"): as titled
        named_post = bool(follow_up or titled or whole_name or on_post)  # "my itb hates that hill": named whole
        off_topic_unless, key_word_rule = off_topic_verdict(self.offtopic, vector, named_post, covered(strict, found))
        key_word_rule = key_word_rule or diagnosis
        joined = self.retriever.with_articles(retrieval.hits, vector, named | whole_name)
        hits = self.retriever.with_sections(joined, aspect, named=named | whole_name, also=URGENT_SECTIONS if urgent else ())
        asked = Asked(vector=vector, text=query, aspect=aspect, prefer=prefer, named=named,
                      title_similarity=self.titles.similarity(opened, vector),
                      titled=titled or (frozenset() if wants_look_alikes(question) else whole_name),
                      named_as=opened.named_as, names=named | titled | whole_name,
                      # a title about another place on the body; not the one post it names (regions.py)
                      elsewhere_on_body=posts_elsewhere(question, opened.places,
                                                        whole_name | (titled if len(titled) == 1 else frozenset())),
                      found_in={(h.chunk.source, h.chunk.section) for h in joined},
                      covered=covered(key_words, found),
                      unheard=sum(not opened.vocabulary.df.get(word, 0) for word in key_words),
                      # Naming no body part, condition or post, far from every passage, with two
                      # or more words no article uses: running-adjacent, whatever symptom word it
                      # uses ("should i run fasted to teach my body to burn fat? my stomach...").
                      # Nothing named and no rare word: only a close sentence answers it (a chat
                      # opened on a post has named it: "what causes it?" asks about the post).
                      open_ended=not sure and not strict and not on_post,
                      elsewhere=(not names_topic and retrieval.best_similarity < self.settings.off_topic_passage_similarity
                                 and sum(not opened.vocabulary.df.get(word, 0) for word in rare) >= 2),
                      off_topic_unless=off_topic_unless, key_word_rule=key_word_rule,
                      # "is it ok to run" asks about running, not for a name
                      look_alikes=aspect in NAMING_ASPECTS and wants_look_alikes(question))
        units = self.retriever.store.vectors.unit_vectors(retrieval.version, [h.chunk for h in hits])
        # An urgent reply leads with the doctor line; then the best block, one more, and the
        # post's own warning or look-alikes (3 blocks, not 4: the doctor line is the message;
        # 2 dropped facts runners asked for, key facts 397 -> 401 of 491 on the spent sets).
        params = replace(self.params, max_blocks=URGENT_BLOCKS) if urgent else self.params
        if urgent:
            asked = replace(asked, also=URGENT_SECTIONS)
        elif _SUDDEN.search(question):  # "felt something pop in my arch": the post's own warning joins
            asked = replace(asked, also=("see_someone",))
        return compose(asked, hits, units, opened.blocks, params, self._overlap,
                       self.clinic.messages["more_in_article"].strip(), rare_overlap=self._rare_overlap,
                       observe=self.observe, ranker=self.ranker)

    def _new_topic(self, question: str, previous: frozenset[str]) -> bool:
        """A follow-up leaves the previous articles when it names a new complaint ("also my
        achilles is sore") or a post about something else ("what about plantar fasciitis"); a body
        part named as part of the treatment ("should i stretch my calves", "how often should i do
        the hip exercises for it": "it" is the complaint before) keeps the topic."""
        if not self._names_topic(question):
            return False
        if SYMPTOMS.search(question):
            return True
        if _FOR_IT.search(question):
            return False
        return bool(self._named(question) - previous)

    def _names_topic(self, text: str) -> bool:
        """A body part or condition (rewrite.has_topic), or a word a post is named by
        (retrieve.title_words: "cuboid")."""
        return has_topic(text) or bool(self._term_sets([text])[0] & self.retriever.opened.title_words)

    def _named(self, question: str) -> frozenset[str]:
        """The articles about the question's rare words (coverage.named_articles)."""
        opened = self.retriever.opened
        names = opened.vocabulary.key_words(set(self._term_sets([question])[0]), NAME_SHARE)
        return named_articles(names, opened.article_terms, opened.vocabulary, opened.article_passages)

    def _red_flag_text(self, triage: Triage) -> str:
        lead = self.clinic.triage[triage.level].strip()
        why = self.clinic.rule_message(triage.rule).strip()
        return f"**{lead}**" + (f" {why}" if why else "")


def _leading(reply, line: str):
    """`reply` with `line` as the first paragraph of every answer it makes (the chat page shows
    that paragraph apart, so it must stay one paragraph)."""
    def make(answer: str, **fields) -> Answer:
        return reply(answer=f"{line}\n\n{answer}" if line else answer, **fields)
    return make


def _timed(answer: Answer, started: float) -> Answer:
    answer.timings_ms["total"] = _ms(started)
    return answer


def _ms(since: float) -> float:
    return (time.perf_counter() - since) * 1000.0
