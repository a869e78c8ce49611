"""Red-flag and scope triage, run on every message before any retrieval.

The rules are data (knowledge/triage.yaml) a physical therapist can read and edit. A rule fires
in one of two ways:
- words: its `when` lines combine named signs (regexes). A sign counts unless ConText (context.py)
  puts it in the reach of a denial, a hypothetical or a past event: "no numbness", "if I ever get
  chest pain", "fainted once, 15 years ago" do not count, while "my friend fainted" does;
- meaning: a clause of the message is close to the rule's example phrasings (same embedding
  model as retrieval) and closer to them than to the look-alikes. The model mostly hears the body
  part and the topic, not the warning, so a meaning match must be confirmed: the same clause also
  shows one of the rule's own warning signs (a sign of one of its `when` lines, not a mere
  where/when `context_signs` entry, and not where that line's `unless` applies). Unconfirmed, it
  needs the much stricter `semantic.unconfirmed` closeness, unless the rule is `meaning_alone`.
When no red flag fires but a possible warning sign shows (a rule's `caution` line, or a meaning
match its words did not confirm), the level is `caution`: the reply leads with that rule's check
line ("If you can't put weight on it... see a doctor today") and answers as usual.
`triage()` is pure (text + precomputed similarities -> Triage); `Triager` does the one embed call.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Mapping, Sequence

import numpy as np

from assistant.answer.context import Reading
from assistant.answer.triage_closeness import AllRules
from assistant.answer.triage_rules import (  # noqa: F401 (API)
    RED_FLAG_LEVELS,
    SPELLING_MIN_LENGTH,
    Rule,
    Rules,
    Tier,
    Trigger,
    load_rules,
)
from assistant.answer.triage_net import TriageNet, story_features
from assistant.answer.triage_text import normalize, semantic_pieces
from assistant.embed import Embedder
from assistant.schema import Triage

CAUTION = "caution"  # below the red flags: a check line leads an ordinary answer
# Endings that make a word of a word: a whole vocabulary word plus one of these, split in two
# pieces by the model's tokenizer, is a real word, never a typo to correct.
INFLECTIONS = ("ing", "ed", "es", "s", "er", "ers")


@dataclass(frozen=True)
class Closeness:
    """How close one clause is to a rule's examples, and to its nearest look-alike."""

    similarity: float  # to the rule's own examples (best one)
    lookalike: float  # to the nearest look-alike (everyday complaints, in-scope questions)
    rival: float  # to the best example of any other rule of the same kind (red flag / scope)
    clause: str | None = None  # the (normalized) clause; None: the whole message


# ---------------------------------------------------------------------------- the decision

# Where a nearby `unless` stops reaching: a sentence's end, or a turn in time (", and now the spot
# is warm"). Not a plain comma or "but": "aches at night, but only if I sleep on that side".
CLAUSE_EDGE = re.compile(r"[.!?;\n]+|,? (?:and |but )?(?:now|then|since then|today|this morning|next day|the next day)\b")


class Signs:
    """A memoised test, called like a function: does this sign appear in the (normalized) text, in
    a mention that counts (not denied, imagined or long past)? `near` asks the same of an `unless`
    sign that only qualifies the sign it stands by (the file's `nearby_unless`)."""

    def __init__(self, text: str, rules: Rules, reading: Reading | None = None):
        self.text, self.rules = text, rules
        self.reading = reading or Reading(text, rules.context)
        self._seen: dict[str, list[tuple[int, int]]] = {}
        self._clauses: list[tuple[int, int]] | None = None

    def spans(self, sign: str) -> list[tuple[int, int]]:
        if sign not in self._seen:
            asked = sign in self.rules.asked_signs
            counts = (None, "historical") if sign in self.rules.lasting_signs else (None,)
            self._seen[sign] = [
                (m.start(), m.end()) for pattern in self.rules.signs[sign] for m in pattern.finditer(self.text)
                if asked or self.reading.cancelled_by(m.start(), m.end()) in counts]
        return self._seen[sign]

    def __call__(self, sign: str) -> bool:
        return bool(self.spans(sign))

    def near(self, sign: str, needs: Sequence[str]) -> bool:
        """Does `sign` share a clause with a counted mention of one of `needs`? Issue 13's fresh
        stories: whole-message `unless` words cancelled signs they had nothing to do with ("the
        area I'd sit on a BIKE saddle feels numb" -> no saddle numbness; a flight story's FOAM
        ROLLER in one clause cancelled the warm, puffy calf in the next; "A BIT of swelling" in one
        sentence, a knee that swelled within the hour in another). A harmless cause or a 'slightly'
        qualifies the sign beside it, the way a denial reaches only the sign next to it."""
        if sign not in self.rules.nearby_unless:
            return self(sign)
        if self._clauses is None:
            edges = [0] + [x for m in CLAUSE_EDGE.finditer(self.text) for x in (m.start(), m.end())] + [len(self.text)]
            self._clauses = list(zip(edges[::2], edges[1::2]))
        mine = {i for s, e in self.spans(sign) for i, (cs, ce) in enumerate(self._clauses) if s < ce and e > cs}
        return any(i in mine for need in needs for s, e in self.spans(need)
                   for i, (cs, ce) in enumerate(self._clauses) if s < ce and e > cs)


def present_signs(text: str, rules: Rules, reading: Reading | None = None) -> Signs:
    return Signs(text, rules, reading)


def _cancels(trigger: Trigger, present: Callable[[str], bool]) -> bool:
    near = getattr(present, "near", None)
    return any((near(u, trigger.needs) if near else present(u)) for u in trigger.unless)


def words_fire(rule: Rule, present: Callable[[str], bool], lines: Sequence[Trigger] | None = None) -> bool:
    """Does one of the rule's `when` lines (or the `lines` given: its `caution` lines) hold?"""
    return any(
        all(present(s) for s in trigger.needs) and not _cancels(trigger, present)
        for trigger in (rule.triggers if lines is None else lines)
    )


def passes(c: Closeness, tiers: Sequence[Tier]) -> bool:
    """Closest to this rule of its kind, and close enough with a clear enough lead for a tier. A
    clause speaks for one rule only, its closest: a swollen calf after a flight is a clot, not a
    compartment."""
    return c.similarity >= c.rival and any(
        c.similarity >= t.similarity and c.similarity - c.lookalike >= t.lead for t in tiers)


def confirmed(rule: Rule, present: Callable[[str], bool], rules: Rules,
              message: Callable[[str], bool] | None = None) -> bool:
    """Does the text show one of the rule's own warning signs? Signs of its `when` lines count,
    except where/when context (`context_signs`) and lines whose `unless` applies (night pain
    from lying on the sore side confirms no bone stress injury); so do its `confirm_with` signs.
    `message`: the whole message's signs, where an `unless` is looked for (it may sit in another
    clause: "a bit dizzy at the end of the hot race but fine after a drink")."""
    exempt = message or present
    return any(present(sign) for sign in rule.confirm_with) or any(
        present(sign)
        for trigger in rule.triggers if not _cancels(trigger, exempt)
        for sign in trigger.needs if sign not in rules.context_signs
    )


def triage(message: str, rules: Rules,
           closeness: Mapping[str, Sequence[Closeness]] | None = None,
           is_word: Callable[[str], bool] | None = None, reading: Reading | None = None) -> Triage:
    """Decide the level (and scope) of one message. Emergency beats urgent; red flags beat scope.

    `closeness` maps rule id -> one Closeness per usable clause (from `Triager`); without it
    only the word rules are used, which is what the model-free unit tests exercise. `reading`:
    ConText's reading of the message already normalized (the Triager's, not made twice)."""
    text = message if reading is not None else normalize(message, rules, is_word)
    closeness = closeness or {}
    present = present_signs(text, rules, reading)
    sem = rules.semantic
    clause_signs: dict[str, Callable[[str], bool]] = {}

    def signs_in(clause: str | None) -> Callable[[str], bool]:
        """A sign in the clause that also counts in the whole message: ConText's scopes cross
        commas ("my calf is bigger than the other one, always has been since I was a kid"), so a
        clause read alone would count a sign the message puts in the past or denies."""
        if clause is None:
            return present
        if clause not in clause_signs:
            alone = present_signs(clause, rules)
            clause_signs[clause] = lambda sign: alone(sign) and present(sign)
        return clause_signs[clause]

    def meaning(rule: Rule, tiers: Sequence[Tier], confirm: bool = True) -> float | None:
        """The best lead of a clause that passes `tiers` and is confirmed (or, with `confirm`
        off, is not: a possible sign the words didn't confirm, for a caution)."""
        leads = [c.similarity - c.lookalike for c in closeness.get(rule.id, ())
                 if passes(c, tiers) and confirm == (rule.meaning_alone or passes(c, sem.unconfirmed)
                                                     or confirmed(rule, signs_in(c.clause), rules, present))]
        return max(leads) if leads else None

    def pick(candidates: Sequence[Rule], tiers: Sequence[Tier], caution: bool = False) -> Rule | None:
        ranked = []
        for order, rule in enumerate(candidates):
            if words_fire(rule, present, rule.caution if caution else None):
                ranked.append((0, 0.0, order, rule))
                continue
            lead = meaning(rule, tiers, confirm=not caution)
            if lead is not None:
                ranked.append((1, -lead, order, rule))
        return min(ranked, key=lambda r: r[:3])[3] if ranked else None

    for level in RED_FLAG_LEVELS:
        rule = pick([r for r in rules.red_flags if r.level == level], sem.red_flags)
        if rule is not None:
            return Triage(level=level, rule=rule.id)
    scope = pick(rules.scope, sem.scope)
    scope_id = scope.id if scope else None
    check = pick(rules.red_flags, sem.caution, caution=True)
    if check is not None:
        return Triage(level=CAUTION, rule=check.id, scope=scope_id)
    return Triage(level="none", scope=scope_id)


# ---------------------------------------------------------------------------- with the model

@dataclass(frozen=True)
class Look:
    """One message as the Triager saw it: the rules' verdict, the net's features, every rule's
    closeness per clause, and the vectors handed on (the message's, then the `also_embed` ones)."""

    by_rules: Triage
    features: np.ndarray
    closeness: Mapping[str, Sequence[Closeness]]
    vectors: np.ndarray


class Triager:
    """Rules plus the embedding model: one embed call per message, shared with retrieval."""

    def __init__(self, rules: Rules, embedder: Embedder, net: TriageNet | None = None):
        self.rules = rules
        self.embedder = embedder
        # The learned net beside the rules (triage_net.py), only on the model it was fitted on.
        self.net = net if net is not None and net.model == embedder.name else None
        texts: list[str] = []
        for rule in rules.all_rules:
            texts += list(rule.examples) + list(rule.not_examples)
        texts += list(rules.everyday) + list(rules.in_scope)
        texts = list(dict.fromkeys(normalize(t, rules) for t in texts))
        column = {t: i for i, t in enumerate(texts)}
        self._examples = embedder.embed(texts)  # one batched call, once

        def columns(items: Sequence[str]) -> np.ndarray:
            return np.array([column[normalize(t, rules)] for t in items], dtype=np.intp)

        # Every not_example of any rule is a look-alike for all of them: none is a red flag,
        # none is out of scope. Everyday complaints also guard the scope rules, and in-scope
        # questions the red flags.
        lookalikes = columns(rules.everyday + rules.in_scope
                             + tuple(t for rule in rules.all_rules for t in rule.not_examples))
        self._columns = {}
        for rule in rules.all_rules:
            family = rules.red_flags if rule.level in RED_FLAG_LEVELS else rules.scope
            rivals = [t for other in family if other.id != rule.id for t in other.examples]
            self._columns[rule.id] = (columns(rule.examples), lookalikes, columns(rivals))
        self._at_once = AllRules(rules, self._columns, lookalikes)
        self._known: dict[str, bool] = {}

    def is_word(self, word: str) -> bool:
        """A word the model's vocabulary holds whole ("painted") is real, not a typo ("fianted"), and
        so is one with an inflection ("ramp|ing", "napp|ed"): round 6 read "ramping up my mileage" as
        "cramping" (a compartment caution), round 17 "took a warm bath and napped" as "snapped"."""
        if word not in self._known:
            stems = [word[:-len(end)] for end in INFLECTIONS if word.endswith(end) and len(word) - len(end) >= 3]
            stems += [stem[:-1] for stem in stems if len(stem) > 3 and stem[-1] == stem[-2] != stem[-3]]
            self._known[word] = self._whole(word) or (
                any(map(self._whole, stems)) and self.embedder.count_tokens(word) == 4)
        return self._known[word]

    def _whole(self, word: str) -> bool:
        return self.embedder.count_tokens(word) <= 3  # [CLS] word [SEP]

    def check(self, message: str) -> tuple[Triage, np.ndarray]:
        """The Triage (message words left to the caller) and the whole message's unit vector."""
        result, vectors = self.check_with(message)
        return result, vectors[0]

    def check_with(self, message: str, also_embed: Sequence[str] = ()) -> tuple[Triage, np.ndarray]:
        """Like `check`, with the texts in `also_embed` (a follow-up's retrieval query) embedded in
        the same single model call. Rows: the message, then one per extra text. Triage itself
        only ever looks at the message."""
        look = self.look(message, also_embed)
        result = look.by_rules
        if self.net is not None:
            result = self.net.decide(result, look.features, self.rules, look.closeness, len(message.split()))
        return result, look.vectors

    def look(self, message: str, also_embed: Sequence[str] = ()) -> Look:
        """The rules' verdict and what the net reads, from the one model call (the fit script,
        bench/triage_net_fit.py, reads stories through this too, so it sees what the product sees)."""
        text = normalize(message, self.rules, self.is_word)
        reading = Reading(text, self.rules.context)
        whole_ok, pieces = semantic_pieces(text, self.rules, reading)
        vectors = self.embedder.embed([message] + pieces + list(also_embed))
        rows = ([0] if whole_ok else []) + list(range(1, len(pieces) + 1))
        clauses = ([None] if whole_ok else []) + list(pieces)
        closeness = self.closeness(vectors[rows], clauses) if rows else {}
        kept = [0] + list(range(len(pieces) + 1, len(vectors)))
        # The net's pieces are the clauses the meaning match reads: a denied, imagined or past
        # one ("no numbness", "if I faint") is left out, as it is there.
        features = story_features(vectors[0], vectors[rows])
        return Look(triage(text, self.rules, closeness, reading=reading), features, closeness, vectors[kept])

    def closeness(self, vectors: np.ndarray,
                  clauses: Sequence[str | None] | None = None) -> dict[str, tuple[Closeness, ...]]:
        """One Closeness per row and rule; `clauses` names each row's text (None: whole message)."""
        sims = vectors @ self._examples.T
        clauses = list(clauses) if clauses is not None else [None] * len(sims)
        best, nearest, rival = self._at_once(sims)
        return {rule_id: tuple(Closeness(float(s), float(n), float(r), clause)
                               for s, n, r, clause in zip(best[:, k], nearest, rival[:, k], clauses))
                for k, rule_id in enumerate(self._at_once.ids)}
