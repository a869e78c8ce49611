"""Honest "not covered": does any of the question's key words appear in what was retrieved?

MiniLM scores a running-adjacent question the articles never cover (gels per hour, heart-rate
zones) about as high as a covered one, so similarity alone can't say "not covered". Words can:
the question's key words are its content words that are rare in the knowledge base (high
IDF; a word no article uses is the rarest of all), generic running words left out. When none of
them, nor a body-part synonym of one, is in the retrieved passages, and the similarity is not
high, the honest answer is that the articles don't cover it.
"""
from __future__ import annotations

import functools
import math
import re
from collections import Counter
from dataclasses import dataclass

from assistant.store.lexical import Spelling

# Words every running question has; they say nothing about what is asked (stems, as BM25 sees them).
GENERIC = frozenset("""
run runner pain hurt ach sore injuri get start feel week day time long mile km race train
good bad best better normal like one thing help need want know much mani way make go back
also still realli just bit lot someth anyth everi now today yesterday morn night
when my how per what whi is it i you your do doe can could should would will im me the and or
but if so then than did there here about with without after befor dure over into onli ever
actual regular usual normal real basic general typic definit probabl mayb certain exact
legit scam gimmick gimmicki fad hype overr worth worthwhil wast nonsens bs bullshit work
dont cant wont ive isnt doesnt didnt shouldnt wouldnt couldnt whats there that kinda sorta gonna
wanna idk lol tho pls plz thx thank ok okay ur b4 hey hi yeah yes nope sure guess anyway mine
zero none alway total complet liter pretti issu problem stuff
crazi stir insan
stay put
final tomorrow tonight afternoon honest tbh ngl
""".split())
# (The last lines: how runners judge a thing - "is dry needling legit or a gimmick" - how they
# type in a chat - "dont", "idk", "lol" - how much - "zero bladder issues", "totally" - and how
# they feel - "going stir crazy" - say nothing about what is asked; no article uses them, so as
# the rarest word they made a covered question "not covered". "Stay" and "put" are a title's
# filler - "When Your Kneecap Won't Stay Put" - and named that post for "should i just stay in
# bed" after throwing a back out. When runners tell it - "finally", "tomorrow", "tbh" - is no
# topic either: "pt finally cleared me ... 15 weeks after acl surgery" was "not covered" for
# "finally" and "tomorrow", round 31.)
# Runners' words and the articles' words for one place or thing (stems). Either side counts.
SYNONYMS = (
    {"butt", "buttock", "glute", "gluteal", "bum", "piriformi"},
    {"shin", "tibia", "shinbon", "tibial"},
    {"heel", "calcaneu"},
    {"kneecap", "patella", "patellar"},
    {"toe", "toenail", "nail"},
    {"ball", "forefoot", "metatars"},
    {"arch", "plantar"},
    {"calf", "calv", "gastrocnemiu", "soleu"},
    {"thigh", "quad", "quadricep", "hamstr"},
    {"back", "spine", "lumbar", "lower"},
    {"stitch", "cramp", "side"},
    {"swell", "swollen", "puffi"},
    {"lump", "bump", "cyst"},
)
# Words that make a question about an injury (and, with a body part, a follow-up about a new
# complaint: "a lump behind that knee now", "my hamstring grabbed during strides") (with rewrite.TOPIC_TERMS: where, or what it is).
# Such questions are the articles' domain; key words are checked only for the others (training,
# fuel, gear, races), where a word no article uses means the articles don't cover it.
SYMPTOMS = re.compile(
    r"\b(pain\w*|hurt\w*|ach(e|es|ing|y)|sore\w*|swell\w*|swollen|numb\w*|tingl\w*|burn\w*|stiff\w*|"
    r"tight\w*|click\w*|pop\w*|crunch\w*|cramp\w*|bruis\w*|throb\w*|injur\w*|limp\w*|tender\w*|"
    r"weak\w*|spasm\w*|inflam\w*|twing\w*|niggle\w*|strain\w*|sprain\w*|tear|torn|rolled|"
    r"lump\w*|bump\w*|grabb\w*|pulled|tweak\w*)\b", re.I)
# Words that say where on a structure, not what: they name a post at half their weight, so a
# condition named beside them wins (rounds 1-27 spent: "physio wrote proximal hamstring
# tendinopathy" led with the proximal tibiofibular joint post), and alone they still name one
# ("how can i check my posterior tib tendon").
WHERE_ON_IT = frozenset({"proxim", "distal", "anterior", "posterior", "later", "lateral", "medial", "superfici",
                         "deep", "inner", "outer", "upper", "lower"})
RARE_SHARE = 0.01  # a word in at most this share of passages is a key word (tuned on dev)
# ...and one in at most this share may name what is asked ("peroneal", "achilles"). Loose on
# purpose (0.05 left out "achilles", which half a dozen posts use): named_articles decides.
NAME_SHARE = 0.10
NAMED_PASSAGES = 2  # an article is about a word it uses in at least this many passages...
NAMED_SHARE = 0.5  # ...that hold at least this share of all the passages using it
# ...and then are at least this share of its own passages: "ride" in two of the kneecap post's 14
# (and two elsewhere) named that post for "cross training w sesamoiditis, can i still ride my bike"
CONCENTRATED_SHARE = 0.25


@dataclass(frozen=True)
class Vocabulary:
    """How many passages use each stemmed word (built once per published version)."""

    df: Counter
    passages: int

    @classmethod
    def of(cls, term_sets) -> "Vocabulary":
        df: Counter = Counter()
        count = 0
        for terms in term_sets:
            df.update(set(terms))
            count += 1
        return cls(df=df, passages=count)

    def idf(self, term: str) -> float:
        return math.log((self.passages + 1) / (self.df.get(term, 0) + 0.5))

    def key_words(self, question_terms: set[str], share: float = RARE_SHARE) -> list[str]:
        """The question's content words used by at most `share` of the passages, rarest first; a
        misspelling of an article's word ("sesamoditis") counts as that word."""
        words = {self._spelling(t) for t in question_terms if t not in GENERIC and len(t) > 2}
        return sorted((t for t in words if self.df.get(t, 0) <= share * self.passages),
                      key=lambda t: (-self.idf(t), t))

    def spelled(self, terms) -> set[str]:
        """The terms, each misspelling of an article's word read as that word ("piriformus")."""
        return {self._spelling(t) for t in terms}

    @functools.cached_property
    def _spelling(self) -> Spelling:
        return Spelling(self.df)


def named_articles(names: list[str], article_terms: dict, vocabulary: Vocabulary,
                   article_passages: Counter | None = None) -> frozenset[str]:
    """The articles a question names: those *about* its rare words, the rarer the surer. An
    article is about a word it uses in 2+ passages that are half of its own passages (the word
    runs through the post: "achilles" in the Achilles post) or half of all passages using it
    ("peroneal"). Using a word is not enough: "Belknap" stands once in any post that mentions a
    trail. When several articles are about some of the words, the ones about the rarest
    together win: "peroneal tendinopathy" names the peroneal post, not every tendon post."""
    article_passages = article_passages or Counter()
    score: Counter = Counter()
    for word in names:
        weight = vocabulary.idf(word) * (0.5 if word in WHERE_ON_IT else 1.0)
        for source, counts in article_terms.items():
            used = counts.get(word, 0)
            own = article_passages.get(source, 0)
            if used >= NAMED_PASSAGES and (used >= NAMED_SHARE * own or (
                    used >= NAMED_SHARE * vocabulary.df.get(word, 0) and used >= CONCENTRATED_SHARE * own)):
                score[source] += weight
    top = max(score.values(), default=0.0)
    return frozenset(source for source, value in score.items() if value >= top - 1e-9)


def with_synonyms(term: str) -> set[str]:
    found = {term}
    for group in SYNONYMS:
        if term in group:
            found |= group
    return found


def idf_weight(words, idf) -> float:
    """The words' summed IDF (negative IDF as 0), in sorted order: a set's order follows the hash
    seed, and a float sum in another order differs in its last bits, enough to flip a tie between
    two blocks from one run to the next."""
    return sum(max(idf(w), 0.0) for w in sorted(words))


def about_an_injury(question: str) -> bool:
    from assistant.answer.rewrite import has_topic

    return has_topic(question) or bool(SYMPTOMS.search(question))


def covered(key_words: list[str], passage_terms: set[str]) -> bool:
    """True when there are no key words (nothing specific asked), or the rarest of them (or a
    synonym) is in the passages: "beet juice" is not covered by a passage that mentions juice.
    A stem the passages extend by one letter counts ("bulk" for their "bulky", stemmed "bulki";
    not "carb" for "carbon")."""
    if not key_words:
        return True
    wanted = with_synonyms(key_words[0])
    return bool(wanted & passage_terms) or any(
        len(term) == len(word) + 1 and term.startswith(word) for word in wanted if len(word) >= 4 for term in passage_terms)


def not_covered(asked, similarities, hits, params) -> bool:
    """The articles don't answer it (the caller says so). `asked`: compose.Asked (its key words
    found or not, and how many the articles never use); `similarities`: each candidate unit's to
    the question; `params`: compose.AnswerParams' thresholds."""
    if asked.elsewhere:
        return True
    best_similarity = max(similarities)
    if asked.off_topic_unless is not None and best_similarity < asked.off_topic_unless:
        return True  # "what do you wear on 5 degree mornings, my fingers go numb": about gear (offtopic.py)
    if asked.open_ended and best_similarity < params.open_question_similarity:
        return True  # "how many hours of sleep during marathon training": nothing named, nothing close
    best_passage = max((h.dense_similarity or 0.0 for h in hits), default=0.0)
    if best_similarity < params.min_sentence_similarity and best_passage < params.passage_similarity:
        return True  # neither a sentence nor a passage is close: short questions score low on sentences
    # A close sentence answers a question whose rare word the passages found lack (a race, a
    # place, a word of the runner's own: "im a guy"), but not one with two or more words no
    # article uses at all: that question is about something else ("treadmill or gym membership").
    # A missing word refuses only a question whose vector leans off the articles' subjects
    # (offtopic.py): "how long is the first visit, trying to fit it in on my lunch break" lacks
    # "lunch", and the evaluation post answers it.
    return not asked.covered and asked.key_word_rule and (asked.unheard >= 2 or best_similarity < params.sure_similarity)
