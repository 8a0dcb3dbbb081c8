"""Hostile-input YAML reading: plain data only, with the line of every field.

Files come from users. We refuse anchors, aliases, tags and duplicate keys,
which PyYAML would otherwise accept silently, and we remember where each value
sits so that every later error can name its line.
"""

from __future__ import annotations

from dataclasses import dataclass

import yaml

from .messages import Message, msg

MAX_BYTES = 1024 * 1024
MAX_DEPTH = 50

try:  # libyaml is much faster for batch scoring; fall back to pure Python.
    _Loader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on the wheel
    _Loader = yaml.SafeLoader

_RESOLVER = yaml.resolver.Resolver()
_CONSTRUCTOR = yaml.constructor.SafeConstructor()
_SCALAR_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
}

Path_ = tuple[str | int, ...]


class YamlProblem(Exception):
    """The text cannot be read as plain YAML data; `line` is 1-based."""

    def __init__(self, line: int, code: str, **params):
        self.line = line
        self.message: Message = msg(code, **params)
        super().__init__(str(self.message))


@dataclass
class Document:
    data: object
    lines: dict[Path_, int]  # field path -> 1-based line

    def line_of(self, path: Path_) -> int:
        """The line of the deepest known part of `path` (1 if none)."""
        for end in range(len(path), -1, -1):
            line = self.lines.get(tuple(path[:end]))
            if line is not None:
                return line
        return 1


def decode(raw: bytes) -> str:
    """Strict UTF-8 (a BOM is allowed); the error names the line of the bad byte."""
    if len(raw) > MAX_BYTES:
        raise YamlProblem(1, "file.too_large", kib=MAX_BYTES // 1024)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        raise YamlProblem(line, "yaml.not_utf8") from None


def parse(raw: bytes) -> Document:
    """Read one YAML (or JSON) document whose top level is a mapping."""
    text = decode(raw)
    lines: dict[Path_, int] = {}
    try:
        events = yaml.parse(text, Loader=_Loader)
        builder = _Builder(events, lines)
        data = builder.document()
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = mark.line + 1 if mark else 1
        raise YamlProblem(line, "yaml.syntax", detail=str(err.problem or err)) from None
    except yaml.YAMLError as err:
        raise YamlProblem(1, "yaml.error", detail=str(err)) from None
    except RecursionError:
        raise YamlProblem(1, "yaml.too_deep") from None
    except (ValueError, TypeError, AttributeError) as err:  # last guard: no input may give a traceback
        raise YamlProblem(1, "yaml.unreadable", kind=type(err).__name__) from None
    if data is None:
        raise YamlProblem(1, "yaml.empty")
    if not isinstance(data, dict):
        raise YamlProblem(1, "yaml.not_mapping")
    return Document(data, lines)


class _Builder:
    """Builds Python data from the parser's events, refusing what we do not allow."""

    def __init__(self, events, lines: dict[Path_, int]):
        self.events = iter(events)
        self.lines = lines

    def next(self):
        return next(self.events)

    def document(self):
        self.next()  # StreamStart
        event = self.next()
        if isinstance(event, yaml.StreamEndEvent):
            return None
        data = self.node(self.next(), (), 0)
        event = self.next()  # DocumentEnd
        after = self.next()
        if not isinstance(after, yaml.StreamEndEvent):
            raise YamlProblem(after.start_mark.line + 1, "yaml.one_document")
        return data

    def node(self, event, path: Path_, depth: int):
        line = event.start_mark.line + 1
        if depth > MAX_DEPTH:
            raise YamlProblem(line, "yaml.too_deep")
        if isinstance(event, yaml.AliasEvent):
            raise YamlProblem(line, "yaml.alias")
        if getattr(event, "anchor", None):
            raise YamlProblem(line, "yaml.anchor", anchor=event.anchor)
        if getattr(event, "tag", None):
            raise YamlProblem(line, "yaml.tag", tag=event.tag)
        self.lines.setdefault(path, line)
        if isinstance(event, yaml.ScalarEvent):
            return self.scalar(event, line)
        if isinstance(event, yaml.SequenceStartEvent):
            items = []
            while not isinstance(event := self.next(), yaml.SequenceEndEvent):
                items.append(self.node(event, (*path, len(items)), depth + 1))
            return items
        if isinstance(event, yaml.MappingStartEvent):
            return self.mapping(path, depth)
        raise YamlProblem(line, "yaml.unexpected")

    def mapping(self, path: Path_, depth: int) -> dict:
        result: dict[str, object] = {}
        while not isinstance(event := self.next(), yaml.MappingEndEvent):
            line = event.start_mark.line + 1
            if not isinstance(event, yaml.ScalarEvent) or event.anchor or event.tag:
                raise YamlProblem(line, "yaml.key_not_text")
            # Keys stay as written: an id such as 1.10 must not become the float 1.1.
            key = event.value
            if key == "<<" and event.implicit[0]:
                raise YamlProblem(line, "yaml.merge_key")
            if key in result:
                first = self.lines.get((*path, key), line)
                raise YamlProblem(line, "yaml.duplicate_key", key=key, first=first)
            self.lines[(*path, key)] = line
            result[key] = self.node(self.next(), (*path, key), depth + 1)
        return result

    @staticmethod
    def scalar(event, line: int):
        value = event.value
        if event.style:  # quoted or block text is always a string ("" or None: plain)
            return value
        if value.isdigit() and (value[0] != "0" or value == "0") and len(value) < 20:
            return int(value)  # the common case (answer values), without the resolver's regexes
        tag = _RESOLVER.resolve(yaml.ScalarNode, event.value, event.implicit)
        if tag not in _SCALAR_TAGS:
            return event.value  # timestamps and the like stay text
        node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark)
        try:
            return _CONSTRUCTOR.yaml_constructors[tag](_CONSTRUCTOR, node)
        except ValueError:
            raise YamlProblem(line, "yaml.bad_value", value=repr(event.value[:40])) from None
