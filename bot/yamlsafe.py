"""YAML loading that is safe for untrusted input and remembers line numbers.

Only PyYAML's safe loader is used (libyaml's `CSafeLoader` when installed). On top of it, explicit tags and aliases are refused before any
object is built (so an alias bomb never expands), dates stay strings, and every mapping records
the line of each key so problems can be reported as `path:line: message`.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

MAX_YAML_BYTES = 1_000_000
# Half of a UTF-16 pair on its own (JSON's "\ud800", YAML's "\ud800" escape): a Python string
# can hold it, but no UTF-8 file can, so text holding one could be accepted and never read back.
UNPAIRED_SURROGATE = re.compile("[\ud800-\udfff]")
SURROGATE_PROBLEM = "holds an unpaired UTF-16 surrogate (\\ud800-\\udfff), which is not text"


class YamlError(ValueError):
    """A YAML document that cannot be used; `line` is 1-based (0 when unknown)."""

    def __init__(self, message: str, line: int = 0) -> None:
        super().__init__(message)
        self.line = line


class LineDict(dict[str, Any]):
    """A mapping that knows the line it starts on and the line of each key."""

    __slots__ = ("key_lines", "line")

    def __init__(self, line: int = 0) -> None:
        super().__init__()
        self.line = line
        self.key_lines: dict[str, int] = {}

    def line_of(self, key: str) -> int:
        """The line of `key`, or of the mapping itself when the key is absent."""
        return self.key_lines.get(key, self.line)


_STR = "tag:yaml.org,2002:str"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
# Scalars other than text that a FAQ file may hold; any other tag is refused.
_OTHER_SCALARS = frozenset(f"tag:yaml.org,2002:{name}" for name in ("int", "float", "bool", "null"))

# libyaml's C parser when available (much faster on large files), with the safe resolver.
_BaseSafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_BaseSafeLoader):  # type: ignore[misc, valid-type]
    def resolve(self, kind: type[yaml.Node], value: str | None, implicit: tuple[bool, bool]) -> str:
        """PyYAML's resolver with a fast path for the common case: a plain scalar that no
        implicit type can start with ("Who signed...") or a quoted one is text."""
        if kind is yaml.ScalarNode and (
            not implicit[0] or (value and value[0] not in self.yaml_implicit_resolvers)
        ):
            return _STR
        return str(super().resolve(kind, value, implicit))


# YAML 1.1 reads yes/no/on/off as booleans, which turns an alternate like "no" into False.
# Only true/false are booleans here.
_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


class _Builder:
    """Turns composed nodes into plain data, refusing tags and aliases on the way.

    Walking the nodes directly (instead of PyYAML's general constructor) is several times
    faster; an alias shows up as a node reached twice, and is refused before anything expands.
    (A class, not a closure calling itself: that would be a reference cycle holding the loader
    and its nodes until a garbage collection.)
    """

    def __init__(self, loader: _Loader) -> None:
        self.loader = loader
        self.seen: set[int] = set()

    def build(self, node: yaml.Node) -> Any:
        """The plain data of `node` and everything under it."""
        line = node.start_mark.line + 1
        if id(node) in self.seen:
            raise YamlError("YAML aliases (*name) are not allowed", line)
        self.seen.add(id(node))
        tag = node.tag
        if tag in (_STR, _TIMESTAMP):
            _refuse_escaped_surrogate(node)
            return node.value
        if tag == _MAP:
            mapping = LineDict(line)
            for key_node, value_node in node.value:
                if key_node.tag != _STR:
                    raise YamlError(
                        f"mapping keys must be text, not {key_node.value!r}",
                        key_node.start_mark.line + 1,
                    )
                _refuse_escaped_surrogate(key_node)
                key = key_node.value
                mapping[key] = self.build(value_node)
                mapping.key_lines[key] = key_node.start_mark.line + 1
            return mapping
        if tag == _SEQ:
            return [self.build(item) for item in node.value]
        if tag in _OTHER_SCALARS:
            return self.loader.construct_object(node)
        raise YamlError(f"YAML tags ({tag}) are not allowed", line)


def _refuse_escaped_surrogate(node: yaml.Node) -> None:
    """Only a double-quoted scalar's escapes can make a surrogate (the text was checked)."""
    style = node.style if isinstance(node, yaml.ScalarNode) else None
    if style == '"' and UNPAIRED_SURROGATE.search(node.value):
        raise YamlError(f"the text {SURROGATE_PROBLEM}", node.start_mark.line + 1)


def load_yaml(text: str, *, max_bytes: int = MAX_YAML_BYTES) -> Any:
    """Parse one YAML document safely; raise `YamlError` with a line number on any problem."""
    if found := UNPAIRED_SURROGATE.search(text):
        raise YamlError(f"the text {SURROGATE_PROBLEM}", text.count("\n", 0, found.start()) + 1)
    if len(text.encode("utf-8")) > max_bytes:
        raise YamlError(f"the file is larger than {max_bytes // 1000} KB")
    loader = _Loader(text)
    try:
        root = loader.get_single_node()
        return None if root is None else _Builder(loader).build(root)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 0
        raise YamlError(f"invalid YAML: {exc.problem or exc}", line) from None
    except yaml.YAMLError as exc:
        raise YamlError(f"invalid YAML: {exc}") from None
    except RecursionError:
        raise YamlError("the YAML is nested too deeply") from None
    finally:
        loader.dispose()


# libyaml's emitter writes the same text as PyYAML's, about eight times faster.
_SafeDumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def dump_yaml(data: Any) -> str:
    """Serialise plain data as readable block YAML (unicode kept, key order kept)."""
    return str(yaml.dump(data, Dumper=_SafeDumper, allow_unicode=True, sort_keys=False, width=100))
