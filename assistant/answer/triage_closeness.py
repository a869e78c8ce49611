"""How close each clause of a message is to every triage rule's examples, in a few array
operations (the Triager's one model call gives the vectors; triage.py decides with the numbers)."""
from __future__ import annotations

import numpy as np

from assistant.answer.triage_rules import RED_FLAG_LEVELS, Rules


class AllRules:
    """Every rule's closeness in a few array operations instead of three per rule (~0.2 ms of a
    ~7 ms answer, bench/answer_floor.py): each rule's best example by one reduction over all
    examples side by side, the look-alikes once, and a rule's rival (the best example of any
    other rule of its family) as the best or second best of its family's rules. Maxima of the
    same numbers, so the same values as column by column."""

    def __init__(self, rules: Rules, columns: dict, lookalikes: np.ndarray):
        self.ids = [rule.id for rule in rules.all_rules]
        own = [columns[rule_id][0] for rule_id in self.ids]
        self._has = [k for k, c in enumerate(own) if len(c)]
        self._cols = np.concatenate([own[k] for k in self._has]) if self._has else np.zeros(0, np.intp)
        self._starts = np.cumsum([0] + [len(own[k]) for k in self._has[:-1]]).astype(np.intp)
        self._lookalikes = lookalikes
        index = {rule_id: k for k, rule_id in enumerate(self.ids)}
        self._families = [[index[r.id] for r in family] for family in (rules.red_flags, rules.scope)]
        # the families Triager.__init__ takes rivals from: a red flag's by its level, else the scope rules
        assert all(r.level in RED_FLAG_LEVELS for r in rules.red_flags) and sorted(sum(self._families, [])) == \
            list(range(len(self.ids))) and not any(r.level in RED_FLAG_LEVELS for r in rules.scope)

    def __call__(self, sims: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        rows = len(sims)
        best = np.full((rows, len(self.ids)), -1.0)  # a rule with no examples: -1, as before
        if self._has:
            best[:, self._has] = np.maximum.reduceat(sims[:, self._cols], self._starts, axis=1)
        nearest = sims[:, self._lookalikes].max(axis=1) if len(self._lookalikes) else np.full(rows, -1.0)
        rival = np.full_like(best, -1.0)
        for family in self._families:
            if len(family) < 2:
                continue
            members = best[:, family]
            ordered = np.sort(members, axis=1)
            first, second = ordered[:, -1:], ordered[:, -2:-1]
            rival[:, family] = np.where(members == first, second, first)
        return best, nearest, rival
