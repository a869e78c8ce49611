"""YAML the clinic's staff edit (clinic.yaml, triage.yaml, filler.yaml), read strictly.

PyYAML keeps the last of two equal keys and says nothing: a sign named twice in triage.yaml
replaced the first one silently (stop 22: a new `injection` sign for cortisone shots took the
place of the prompt-injection sign, and the attack rule then fired on "cortisone shot"). A key
repeated in one mapping is a mistake in these files, so it is refused with its line.
"""
from __future__ import annotations

import yaml


class _UniqueKeys(yaml.SafeLoader):
    def construct_mapping(self, node, deep=False):
        seen = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    "while reading a mapping", node.start_mark,
                    f"`{key}` is given twice (first on line {seen[key] + 1}); keep one", key_node.start_mark)
            seen[key] = key_node.start_mark.line
        return super().construct_mapping(node, deep=deep)


def load_staff_yaml(text: str):
    """`text` parsed like yaml.safe_load, refusing a key repeated in one mapping (yaml.YAMLError)."""
    return yaml.load(text, Loader=_UniqueKeys)  # noqa: S506 - a SafeLoader subclass
