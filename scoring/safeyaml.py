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
_BOM = b"\xef\xbb\xbf"

try:  # libyaml's C parser: its events cost a fraction of a pure-Python parse.
    from yaml._yaml import CParser as _CParser
except ImportError:  # pragma: no cover - depends on the wheel
    _CParser = None

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
_Scalar = yaml.ScalarEvent


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
    if raw.startswith(_BOM):
        raw = raw[len(_BOM):]
    try:
        return raw.decode("utf-8")  # the plain codec: "utf-8-sig" decodes in Python, far slower
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        raise YamlProblem(line, "yaml.not_utf8") from None


def _events(text: str):
    """The parser's next-event function."""
    if _CParser is not None:
        return _CParser(text).get_event
    events = yaml.parse(text, Loader=yaml.SafeLoader)
    return lambda: next(events)


def parse(raw: bytes, track_lines: bool = True) -> Document:
    """Read one YAML (or JSON) document whose top level is a mapping.

    Without `track_lines` (batch scoring, where a file with a problem is read again)
    the document's lines stay empty; what is refused, and why, is the same.
    """
    text = decode(raw)
    lines: dict[Path_, int] = {}
    try:
        data = _Builder(_events(text), lines if track_lines else None).document()
    except _NeedLines:
        return parse(raw, track_lines=True)
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


class _NeedLines(Exception):
    """A problem whose message needs the lines that were not kept."""


class _Builder:
    """Builds Python data from the parser's events, refusing what we do not allow."""

    def __init__(self, next_event, lines: dict[Path_, int] | None):
        self.next = next_event
        self.lines = lines

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
        kind = type(event)
        if kind is _Scalar and depth <= MAX_DEPTH and not event.anchor and not event.tag:  # the common case
            if self.lines is not None:
                self.lines.setdefault(path, event.start_mark.line + 1)
            return self.scalar(event)
        line = event.start_mark.line + 1
        if depth > MAX_DEPTH:
            raise YamlProblem(line, "yaml.too_deep")
        if kind is yaml.AliasEvent:
            raise YamlProblem(line, "yaml.alias")
        if getattr(event, "anchor", None):
            raise YamlProblem(line, "yaml.anchor", anchor=event.anchor)
        if getattr(event, "tag", None):
            raise YamlProblem(line, "yaml.tag", tag=event.tag)
        if self.lines is not None:
            self.lines.setdefault(path, line)
        if kind is yaml.SequenceStartEvent:
            items = []
            while type(event := self.next()) is not yaml.SequenceEndEvent:
                items.append(self.node(event, (*path, len(items)) if self.lines is not None else (), depth + 1))
            return items
        if kind is yaml.MappingStartEvent:
            return self.mapping(path, depth)
        raise YamlProblem(line, "yaml.unexpected")

    def mapping(self, path: Path_, depth: int) -> dict:
        result: dict[str, object] = {}
        lines = self.lines
        while type(event := self.next()) is not yaml.MappingEndEvent:
            if type(event) is not _Scalar or event.anchor or event.tag:
                raise YamlProblem(event.start_mark.line + 1, "yaml.key_not_text")
            # Keys stay as written: an id such as 1.10 must not become the float 1.1.
            key = event.value
            if key == "<<" and event.implicit[0]:
                raise YamlProblem(event.start_mark.line + 1, "yaml.merge_key")
            if key in result:
                if lines is None:
                    raise _NeedLines  # the message names the first key's line
                line = event.start_mark.line + 1
                first = lines.get((*path, key), line)
                raise YamlProblem(line, "yaml.duplicate_key", key=key, first=first)
            value = self.next()
            if lines is not None:
                lines[(*path, key)] = event.start_mark.line + 1
            if type(value) is _Scalar and not value.anchor and not value.tag and depth < MAX_DEPTH:
                # A plain value, the common case, without a call per node.
                if lines is not None:
                    lines.setdefault((*path, key), value.start_mark.line + 1)
                result[key] = value.value if value.style else _plain(value)
            else:
                result[key] = self.node(value, (*path, key) if lines is not None else (), depth + 1)
        return result

    @staticmethod
    def scalar(event):
        # Quoted or block text is always a string ("" or None: plain).
        return event.value if event.style else _plain(event)


_PLAIN: dict[str, object] = {}  # plain scalar text -> its value (immutable), e.g. "na", "SD", "true"
_PLAIN_MAX = 4096


def _plain(event):
    value = event.value
    if value.isdigit() and (value[0] != "0" or value == "0") and len(value) < 20:
        return int(value)  # the common case (answer values), without the resolver's regexes
    known = _PLAIN.get(value, _PLAIN)
    if known is not _PLAIN:
        return known
    tag = _RESOLVER.resolve(yaml.ScalarNode, value, event.implicit)
    if tag not in _SCALAR_TAGS:
        result = value  # timestamps and the like stay text
    else:
        node = yaml.ScalarNode(tag, value, event.start_mark, event.end_mark)
        try:
            result = _CONSTRUCTOR.yaml_constructors[tag](_CONSTRUCTOR, node)
        except ValueError:
            raise YamlProblem(event.start_mark.line + 1, "yaml.bad_value", value=repr(value[:40])) from None
    if len(value) <= 40 and len(_PLAIN) < _PLAIN_MAX:
        _PLAIN[value] = result
    return result
