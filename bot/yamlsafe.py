"""YAML loading that is safe for untrusted input and remembers line numbers.

Only `yaml.SafeLoader` is used. On top of it, explicit tags and aliases are refused before any
object is built (so an alias bomb never expands), dates stay strings, and every mapping records
the line of each key so problems can be reported as `path:line: message`.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

MAX_YAML_BYTES = 1_000_000


class YamlError(ValueError):
    """A YAML document that cannot be used; `line` is 1-based (0 when unknown)."""

    def __init__(self, message: str, line: int = 0) -> None:
        super().__init__(message)
        self.line = line


class LineDict(dict[str, Any]):
    """A mapping that knows the line it starts on and the line of each key."""

    line: int = 0

    def __init__(self) -> None:
        super().__init__()
        self.key_lines: dict[str, int] = {}

    def line_of(self, key: str) -> int:
        """The line of `key`, or of the mapping itself when the key is absent."""
        return self.key_lines.get(key, self.line)


class _LineLoader(yaml.SafeLoader):
    pass


# YAML 1.1 reads yes/no/on/off as booleans, which turns an alternate like "no" into False.
# Only true/false are booleans here.
_LineLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_LineLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def _construct_map(loader: _LineLoader, node: yaml.MappingNode) -> LineDict:
    mapping = LineDict()
    mapping.line = node.start_mark.line + 1
    loader.flatten_mapping(node)
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, str):
            raise YamlError(f"mapping keys must be text, not {key!r}", key_node.start_mark.line + 1)
        mapping[key] = loader.construct_object(value_node, deep=True)
        mapping.key_lines[key] = key_node.start_mark.line + 1
    return mapping


def _construct_plain(loader: _LineLoader, node: yaml.ScalarNode) -> str:
    return str(loader.construct_scalar(node))


_LineLoader.add_constructor("tag:yaml.org,2002:map", _construct_map)
_LineLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_plain)
_LineLoader.add_constructor("tag:yaml.org,2002:binary", _construct_plain)


def _refuse_tags_and_aliases(text: str) -> None:
    for event in yaml.parse(text, Loader=yaml.SafeLoader):
        line = event.start_mark.line + 1
        if isinstance(event, yaml.AliasEvent):
            raise YamlError("YAML aliases (*name) are not allowed", line)
        if isinstance(event, yaml.ScalarEvent):
            explicit = event.tag is not None and event.implicit == (False, False)
        elif isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            explicit = event.tag is not None and not event.implicit
        else:
            explicit = False
        if explicit:
            raise YamlError(f"YAML tags ({event.tag}) are not allowed", line)
        if getattr(event, "anchor", None):
            raise YamlError("YAML anchors (&name) are not allowed", line)


def load_yaml(text: str, *, max_bytes: int = MAX_YAML_BYTES) -> Any:
    """Parse one YAML document safely; raise `YamlError` with a line number on any problem."""
    if len(text.encode("utf-8")) > max_bytes:
        raise YamlError(f"the file is larger than {max_bytes // 1000} KB")
    try:
        _refuse_tags_and_aliases(text)
        return yaml.load(text, Loader=_LineLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 0
        raise YamlError(f"invalid YAML: {exc.problem or exc}", line) from None
    except yaml.YAMLError as exc:
        raise YamlError(f"invalid YAML: {exc}") from None


def dump_yaml(data: Any) -> str:
    """Serialise plain data as readable block YAML (unicode kept, key order kept)."""
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)
