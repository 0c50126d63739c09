"""The YAML loader carbonlint composes front matter with: PyYAML's safe loader (the C one where
available), with the implicit tag of a plain scalar remembered by its text.

libyaml composes in C, but for every scalar it calls back into PyYAML's Python resolver, which
tries the regular expressions of the value's first character each time: about a fifth of the
cost of composing a front matter (bench/README.md). The tag of a plain scalar depends on its
text alone (the safe loader has no path resolvers), and the same texts come back in every card
(keys such as ``type``, ``value``, ``name``; ``true``; ``en``), so the answer is remembered. The
tags are exactly PyYAML's: the first time a text is seen, PyYAML's own ``resolve`` gives it.
"""

from __future__ import annotations

from typing import Any

import yaml
from yaml.nodes import ScalarNode

try:  # The C loader is several times faster; fall back to pure Python when libyaml is missing.
    _Base: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Base = yaml.SafeLoader

_STR = yaml.resolver.BaseResolver.DEFAULT_SCALAR_TAG
# Texts remembered at most, a bound on memory over any number of cards: the texts that come back
# are keys and a few values, while distinct numbers are most of what fills it (it is emptied
# when full). 4,096 gains as much as 65,536 on the benchmark corpus, and holds about 0.4 MB
# where 65,536 held 7 (peak RSS of a 10,000-card run, bench/README.md).
_MEMO_SIZE = 4_096
_tags: dict[str, str] = {}


class Loader(_Base):  # type: ignore[misc, valid-type]
    """PyYAML's safe loader, with plain scalars' implicit tags remembered."""

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        if kind is not ScalarNode:
            return super().resolve(kind, value, implicit)
        if not implicit[0]:
            return _STR  # quoted: a string (as Resolver.resolve, which has no path resolvers)
        try:
            return _tags[value]
        except KeyError:
            tag = super().resolve(kind, value, implicit)
        if len(_tags) >= _MEMO_SIZE:
            _tags.clear()
        _tags[value] = tag
        return tag

    # Path resolvers are not used by the safe loader: tracking the path is work for nothing.
    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        return None

    def ascend_resolver(self) -> None:
        return None


assert not Loader.yaml_path_resolvers, "the remembered tags assume no path resolvers"



def remembered_tag(value: str) -> str | None:
    """The implicit tag a plain scalar written as ``value`` was given, if it is remembered."""
    return _tags.get(value)
