"""A learned safety net beside the triage rules (issue 13, round 4).

Three rounds of rule tuning caught 75-93 % of each next unseen set's red flags and then stopped
converging: the misses are told in words no rule foresaw (a faint told as a gap, "next thing i
know"; a finger bent sideways; a femoral-neck stress fracture called a groin strain). The net reads
what the Triager already has from its one model call, the message's vector and its pieces'
vectors, with two logistic regressions whose weights are data (triage_net.json, written by
bench/triage_net_fit.py, read here with numpy only):
- `red`: is this an urgent-or-emergency story? `emergency`: is it an emergency?
The rules decide first and are never overruled. When they say none or caution, a `red` score at
or above `raise_at` raises the level (emergency when the `emergency` score reaches
`emergency_at`, else urgent), and a `red` score at or above `caution_at` gives a caution line.
The thresholds were chosen on out-of-fold scores of the training sets only (everyday false alarms
<= ~3 %, caution lines <= ~10 %); the figures on sets left out are in the fit script's output.
The rule a raised level cites is the rule of that level closest by meaning, or none (a generic
line, clinic.yaml `triage.unnamed`) when no rule is close; a caution from the net leads with the
default check line.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Mapping, Sequence

import numpy as np

from assistant.answer.triage_rules import RED_FLAG_LEVELS, Rules
from assistant.errors import ConfigError
from assistant.schema import Triage

NET_FILE = Path(__file__).with_name("triage_net.json")


def story_features(message: np.ndarray, pieces: np.ndarray) -> np.ndarray:
    """The message's vector, then the element-wise max over its pieces' vectors (a warning sign is
    often one sentence of a long story); with no usable piece, the message's vector again."""
    pooled = pieces.max(axis=0) if len(pieces) else message
    return np.concatenate([message, pooled]).astype(np.float64)


@dataclass(frozen=True)
class Head:
    """One logistic regression: P(class | features) = sigmoid(weights . features + bias)."""

    weights: np.ndarray
    bias: float

    def score(self, features: np.ndarray) -> float:
        return float(1.0 / (1.0 + np.exp(-(features @ self.weights + self.bias))))


@dataclass(frozen=True)
class TriageNet:
    model: str  # the embedding model the weights were fitted on: another model's vectors mean nothing here
    red: Head  # urgent or emergency vs everything else
    emergency: Head  # emergency vs everything else
    raise_at: float  # red score at/above which the level is raised
    emergency_at: float  # emergency score at/above which a raised level is emergency
    caution_at: float  # red score at/above which a caution line is given
    cite_at: float  # closeness (cosine to a rule's best example) a rule needs to be cited
    min_words: int  # shorter messages are left to the rules (see `decide`)

    def decide(self, by_rules: Triage, features: np.ndarray, rules: Rules,
               closeness: Mapping[str, Sequence] | None = None, words: int | None = None) -> Triage:
        """The rules' Triage, raised when they saw no red flag and the net does. A message of
        fewer than `min_words` words is left to the rules: the net was fitted and measured on
        stories, and on the 169 short everyday questions of tests/eval/questions.yaml (never fitted
        on) it raised 5 false alarms ("pain shoots from my low back down the back of my leg to my
        foot" as an emergency) and 10 cautions ("tibialis raise how do i do it"); short messages
        name their sign, and the rules catch every one-liner of tests/eval/triage.yaml."""
        if by_rules.level in RED_FLAG_LEVELS or (words is not None and words < self.min_words):
            return by_rules
        red = self.red.score(features)
        if red >= self.raise_at:
            level = "emergency" if self.emergency.score(features) >= self.emergency_at else "urgent"
            rule = by_rules.rule if _level_of(by_rules.rule, rules) == level else \
                self.closest(closeness or {}, rules, level)
            return Triage(level=level, rule=rule, scope=by_rules.scope, by_net=True)
        if by_rules.level == "none" and red >= self.caution_at:
            # The default check line ("If it is getting worse, or something doesn't feel right, see
            # a doctor today."), not the closest rule's: on the left-out sets the closest rule of a
            # story the net was unsure of was often another body's (a wrist after a fall -> fainting).
            return replace(by_rules, level="caution", rule=None, by_net=True)
        return by_rules

    def closest(self, closeness: Mapping[str, Sequence], rules: Rules, level: str | None = None) -> str | None:
        """The red-flag rule (of `level`, if given) whose examples some clause is closest to."""
        best, best_id = self.cite_at, None
        for rule in rules.red_flags:
            if level is not None and rule.level != level:
                continue
            near = max((c.similarity for c in closeness.get(rule.id, ())), default=-1.0)
            if near >= best:
                best, best_id = near, rule.id
        return best_id


def _level_of(rule_id: str | None, rules: Rules) -> str | None:
    return next((r.level for r in rules.red_flags if r.id == rule_id), None)


def load_net(path: Path = NET_FILE) -> TriageNet:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        heads = {name: Head(np.asarray(data["heads"][name]["weights"], dtype=np.float64),
                            float(data["heads"][name]["bias"])) for name in ("red", "emergency")}
        t = data["thresholds"]
        return TriageNet(model=str(data["model"]), red=heads["red"], emergency=heads["emergency"],
                         raise_at=float(t["raise_at"]), emergency_at=float(t["emergency_at"]),
                         caution_at=float(t["caution_at"]), cite_at=float(t["cite_at"]),
                         min_words=int(t["min_words"]))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ConfigError(f"cannot read the triage net {path}: {exc}") from exc
