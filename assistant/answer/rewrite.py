"""Follow-up questions: the retrieval query for a message, given the runner's earlier questions.

"what about stretches for it?" after "the outside of my knee hurts on long runs" is a question
about the knee, but on its own it retrieves nothing useful. A message that leans on the
conversation (a pronoun, "what about...", "and for...", or a short question naming no body part
or condition) gets the key words of the last question that did name one, for retrieval only.
A message that names its own body part or condition ("and my heel hurts in the morning") is a
new topic and is left alone. Triage never sees the rewrite: it checks the runner's own words.

Pure and model-free: the pipeline embeds the rewritten query in the same model call as the
message (see `Triager.check_with`).
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Callable, Sequence

from assistant.answer.blocks import escape_markdown

# Words that name where it hurts or what it is. A message with one of these has a topic of its
# own; without one, a short or leaning message borrows the previous topic. A term matches as a
# whole word or with a plain ending ("shin" -> "shins", "cramp" -> "cramping"), never as the
# start of another word: "legit" is no leg, "archive" no arch, "nailed it" no toenail.
TOPIC_TERMS = (
    "knee", "kneecap", "patella", "patellar", "it band", "itb", "iliotibial", "hip", "glute", "gluteal",
    "gluteus", "groin", "thigh", "quad", "quadricep", "quadriceps", "hamstring", "calf", "calves", "shin",
    "tibia", "tibial", "ankle", "achilles", "heel", "arch", "foot", "feet", "toe", "plantar", "fascia",
    "fasciitis", "back", "spine", "sciatic", "neck", "shoulder", "leg", "muscle", "tendon", "bone", "joint",
    "stress fracture", "sprain", "sprained", "strain", "strained", "cramp", "cramped", "blister", "bunion", "neuroma", "bursitis",
    "tendinopathy", "tendinitis", "tendonitis", "butt", "buttock", "sit bone", "stitch", "toenail", "nail",
    "ball of", "sesamoid", "sesamoiditis", "metatarsal", "metatarsalgia", "cyst", "lump", "bump", "plica",
    "arthritis", "compartment", "piriformis", "haglund", "peroneal", "sciatica", "big toe",
    # the rest of a runner's anatomy, so a follow-up naming it is a new topic ("and the sharp
    # pain under my ribs?"), whether or not a post on it exists yet
    "rib", "diaphragm", "pelvis", "sacroiliac", "si joint", "sacrum", "tailbone", "forefoot", "midfoot",
    "instep", "sole", "ligament", "meniscus", "cartilage", "labrum", "labral", "adductor", "hip flexor",
    "popliteus", "hernia", "pubalgia", "pubic",
)
_TOPIC = re.compile(r"\b(" + "|".join(re.escape(t) for t in TOPIC_TERMS) + r")(?:s|es|ing)?\b", re.I)
# "back to running", "back into it", "back on the road": a return, not the back that hurts; but
# "threw my back out", "her lower back is up again": a back of someone's is the body part.
_RETURNING = re.compile(r"back (?:to|into|in|on|out|off|up|at|from|home|again)\b", re.I)
_SOMEONES = re.compile(r"\b(?:my|your|his|her|their|our|the|lower|low|upper|mid|sore|bad|stiff) $", re.I)

# Words that point back at something said before.
_POINTS_BACK = re.compile(
    r"\b(it|its|it's|that|this|those|these|them|they|there|same|one|ones)\b"
    r"|^\s*(what|how) about\b|^\s*(and|also|plus|or|but|so)\b|^\s*what else\b|^\s*any (other|more)\b",
    re.I)
_WORD = re.compile(r"[a-z']+", re.I)
# A body part or condition with a demonstrative before it names what was said, not a new topic.
_POINTED_AT = re.compile(r"\b(that|this|those|these)\s+" + _TOPIC.pattern.removeprefix(r"\b"), re.I)
SHORT_QUESTION_WORDS = 8  # "any exercises?", "where do i put the pad", "what should i eat before then"
LOOK_BACK = 3  # earlier questions searched for a topic, most recent first

# Small function words dropped from the carried-over question; what remains is its key terms.
_STOP = frozenset("""
a an the my i i'm im me mine am is are was were be been being do does did have has had having
of on in at to for from with by about into over after before during up down out off
and or but so if then than when while because as how what why which who whom where can could
should would will shall may might must just really very quite some any more most much many
it its it's that this those these they them there here get got getting gets feel feels felt
""".split())


@dataclass(frozen=True)
class Rewrite:
    query: str  # what retrieval searches for
    carried: str = ""  # key terms borrowed from an earlier question ("" when standalone)

    @property
    def is_follow_up(self) -> bool:
        return bool(self.carried)


def has_topic(text: str) -> bool:
    return bool(topics(text))


def topics(text: str) -> list[str]:
    """The body parts and conditions `text` names ("knee", "it band"), in order."""
    return [m.group(1).lower() for m in _TOPIC.finditer(text)
            if not (m.group(1).lower() == "back" and _RETURNING.match(text, m.start())
                    and not _SOMEONES.search(text, 0, m.start()))]


# A message that says it leaves the subject ("different thing but...", "also unrelated,",
# "switching topics,") starts a new one, whatever it names (round 30: "switching topics, my pt
# offered red light therapy ... does that stuff actually work?" was answered from the comeback post).
_NEW_SUBJECT = re.compile(
    r"(?:^|[.!?,;]\s*|\b(?:ok|okay|so|also|and|but|btw|oh)\s+)(?:a |one )?(?:totally |completely )?"
    r"(?:different|separate|unrelated|random|side|new|other|another) (?:thing|question|topic|subject|issue|note)"
    r"(?=\s*(?:[,.:;!?-]|but\b|though\b|here\b|for you\b|$))|"
    r"\b(?:unrelated|off[- ]topic)(?=\s*(?:[,.:;!?-]|but\b|question\b|$))|"
    r"\b(?:switching|changing|switch|change) (?:topics?|subjects?|gears)\b|\bchange of (?:topic|subject)\b|"
    r"\bon (?:a|an) (?:different|other|unrelated|separate|side) note\b", re.I)


def changes_subject(message: str) -> bool:
    """Says it leaves the conversation's subject: the earlier answer's post no longer holds it."""
    return bool(_NEW_SUBJECT.search(message))


def is_follow_up(message: str, names_topic: Callable[[str], bool] = has_topic) -> bool:
    """Leans on the conversation: points back, or is too short to stand alone, and names no
    topic of its own. "That lump", "this bump", "those tendons" point back at the topic said
    before (round 12: "will that lump go away once shes done growing" after an Osgood-Schlatter
    answer went to the Baker's cyst post)."""
    if changes_subject(message) or names_topic(_POINTED_AT.sub(" ", message)):
        return False
    return bool(_POINTS_BACK.search(message)) or len(_WORD.findall(message)) <= SHORT_QUESTION_WORDS


def key_terms(question: str) -> str:
    return " ".join(w for w in _WORD.findall(question.lower()) if w not in _STOP)


def retrieval_query(message: str, earlier_questions: Sequence[str],
                    names_topic: Callable[[str], bool] = has_topic) -> Rewrite:
    """`earlier_questions`: the runner's previous questions in this conversation, oldest first.
    `names_topic`: has_topic, or the pipeline's, which also knows the articles' title words."""
    if not earlier_questions or not is_follow_up(message, names_topic):
        return Rewrite(query=message)
    for earlier in list(earlier_questions)[::-1][:LOOK_BACK]:
        if names_topic(earlier):
            carried = key_terms(earlier)
            return Rewrite(query=f"{carried} {message}", carried=carried)
    # No earlier question named a topic in our words ("xray found an os trigonum and it hurts on
    # hill sprints"), but this one points back at it ("do i have to get it taken out"): the last one's.
    if _POINTS_BACK.search(message) and (carried := key_terms(earlier_questions[-1])):
        return Rewrite(query=f"{carried} {message}", carried=carried)
    return Rewrite(query=message)


def quoted_sources(answer: str, chunks) -> frozenset[str]:
    """The article an earlier answer led with (found by its sentences): a follow-up that names no
    body part or condition of its own stays with it unless another clearly wins. Not a second
    article quoted after it: round 13's "both her shins hurt ... does she need an xray" followed
    a shin splints answer that ended with a teen knee post's block, and that post's "most kids
    don't need an X-ray" took the follow-up."""
    found: Counter = Counter()
    first: dict[str, int] = {}
    for chunk in chunks:
        for unit in chunk.content:
            at = answer.find(escape_markdown(unit.text)) if len(unit.text.split()) >= 5 else -1
            if at >= 0:
                found[chunk.source] += 1
                first[chunk.source] = min(at, first.get(chunk.source, at))
    most = max(found.values(), default=0)
    # Lead-ins like "Common symptoms you may notice are:" stand in many posts: the article led
    # with is, of those most of the answer comes from, the one quoted first.
    quoted = [source for source, count in found.items() if most and count * 2 >= most]
    return frozenset({min(quoted, key=first.__getitem__)}) if quoted else frozenset()
