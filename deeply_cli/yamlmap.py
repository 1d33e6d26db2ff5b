"""A YAML mapping read with the safe loader only: each key with its file line, every YAML error
as one line with the line it is on."""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from yaml.error import Mark
    from yaml.nodes import Node

_STANDARD_TAG = "tag:yaml.org,2002:"
# What PyYAML's own converters raise for a scalar that does not fit its tag.
_CONSTRUCTION_ERRORS = (ValueError, KeyError, AttributeError, TypeError, OverflowError)


def is_text(value: object) -> bool:
    """A YAML scalar that reads as text: `Q`, `2016`, `1.5`; not a list, mapping, bool or date."""
    return isinstance(value, str | int | float) and not isinstance(value, bool)


def as_text(value: object) -> str:
    """A scalar's text as the file has it: a plain `12:30`, `007`, `1.10` or `.inf` that YAML
    reads as a number (750, 7, 1.1, inf) is what the author wrote, not the number."""
    return getattr(value, "written", None) or str(value)


class _WrittenInt(int):
    written: str


class _WrittenFloat(float):
    written: str


def _loader(text: str) -> Any:
    """The safe loader, its numbers remembering how they were written (see `as_text`)."""
    return _loader_class()(text)


@functools.cache
def _loader_class() -> type:
    import yaml

    class Loader(yaml.SafeLoader):
        pass

    def keeping(kind: type, construct: Any) -> Any:
        def build(loader: Any, node: Any) -> Any:
            number = kind(construct(loader, node))
            number.written = str(node.value).strip()
            return number

        return build

    safe = yaml.constructor.SafeConstructor
    Loader.add_constructor(_STANDARD_TAG + "int", keeping(_WrittenInt, safe.construct_yaml_int))
    Loader.add_constructor(
        _STANDARD_TAG + "float", keeping(_WrittenFloat, safe.construct_yaml_float)
    )
    return Loader


class YamlError(Exception):
    """Bad YAML: a one-line message and the 1-based line in the file."""

    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


def read_mapping(text: str, first_line: int = 1) -> Iterator[tuple[str, Any, int]]:
    """(key, value, line) for each key of the mapping in `text`, which starts on `first_line`
    of its file, in order (so a caller's checks fail in file order); nothing when `text` holds
    nothing. Aliases and duplicate keys are errors."""
    import yaml  # only files with YAML pay for it

    try:
        root = _composed(text, first_line)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = _file_line(text, mark, first_line) if mark else first_line
        raise YamlError(str(exc.problem or "malformed YAML"), line) from None
    except yaml.reader.ReaderError as exc:  # a character YAML refuses, such as ESC
        line = text.count("\n", 0, exc.position) + first_line
        raise YamlError(str(exc).split("\n", 1)[0], line) from None
    except yaml.YAMLError as exc:
        raise YamlError(f"malformed YAML ({str(exc).splitlines()[0]})", first_line) from None
    except RecursionError:  # composing and constructing recurse once per level of `[[[…]]]`
        raise YamlError("nested too deeply", first_line) from None
    if root is None:
        return
    if not isinstance(root, yaml.MappingNode) or root.tag != _STANDARD_TAG + "map":
        line = _file_line(text, root.start_mark, first_line)
        _refuse_tag(root, line)  # `--- !!python/object:…` is named as what it is
        raise YamlError("must be a mapping of keys to values", line)
    loader = _loader(text)
    seen: set[str] = set()
    for key_node, value_node in root.value:
        line = _file_line(text, key_node.start_mark, first_line)
        _refuse_tag(key_node, line)
        if not isinstance(key_node, yaml.ScalarNode):  # `[a, b]: 1`, `? {x: 1}`
            raise YamlError("a key must be text, not a list or a mapping", line)
        key = str(key_node.value)
        if key in seen:
            raise YamlError(f"duplicate key '{key}'", line)
        seen.add(key)
        _check_nodes(key, value_node, loader, text, first_line)
        try:
            value = loader.construct_object(value_node, deep=True)
        except _CONSTRUCTION_ERRORS as exc:  # what `_check_nodes` did not foresee
            raise YamlError(f"'{key}': cannot be read ({exc})", line) from None
        except yaml.MarkedYAMLError as exc:  # such as a key that is a list
            mark = exc.problem_mark or exc.context_mark
            where = _file_line(text, mark, first_line) if mark else line
            raise YamlError(str(exc.problem or "malformed YAML"), where) from None
        except RecursionError:
            raise YamlError("nested too deeply", line) from None
        yield key, value, line


def _refuse_tag(node: Node, line: int) -> None:
    import yaml

    if node.tag not in yaml.SafeLoader.yaml_constructors:
        tag = node.tag.replace(_STANDARD_TAG, "!!", 1)
        raise YamlError(f"unsupported YAML tag '{tag}'", line)


def _check_nodes(key: str, node: Node, loader: Any, text: str, first_line: int) -> None:
    """What the safe constructor would refuse with an internal message: a tag it has no
    constructor for (`!!python/object/apply:…`), a date-shaped value that is no date."""
    import yaml

    stack = [node]
    while stack:  # a stack, not recursion: nesting can be deep
        node = stack.pop()
        line = _file_line(text, node.start_mark, first_line)
        _refuse_tag(node, line)
        if isinstance(node, yaml.ScalarNode):
            try:
                loader.construct_object(node)
            except _CONSTRUCTION_ERRORS:  # `!!int abc`, `!!bool maybe`, `2016-13-45`
                tag = node.tag.replace(_STANDARD_TAG, "", 1)
                what = "a real date" if tag == "timestamp" else f"a valid {tag}"
                raise YamlError(f"'{key}': {node.value} is not {what}", line) from None
        elif isinstance(node, yaml.SequenceNode):
            stack += reversed(node.value)
        elif isinstance(node, yaml.MappingNode):
            stack += [n for pair in reversed(node.value) for n in reversed(pair)]


def _file_line(text: str, mark: Mark, first_line: int) -> int:
    """The file line of a YAML mark. Counted from its offset: YAML also breaks lines at NEL and
    U+2028/U+2029, which the parser keeps as text. The newlines' offsets are found once a
    text: a line asked of each of many keys costs no pass over the text each."""
    global _BREAKS
    if _BREAKS[0] is not text:
        _BREAKS = (text, [m.start() for m in re.finditer("\n", text)])
    return bisect.bisect_left(_BREAKS[1], mark.index) + first_line


_BREAKS: tuple[str | None, list[int]] = (None, [])  # the last text's newline offsets


def _composed(text: str, first_line: int) -> Any:
    """The document's node tree, aliases refused. Parsed by libyaml where PyYAML has it, 30
    times faster (a long deeply.yaml is read by every command); a document it does not take
    is parsed again in Python, whose messages and marks the errors give."""
    import yaml

    fast = getattr(yaml, "CSafeLoader", None)
    if fast is not None:
        try:
            _refuse_aliases(text, first_line, fast)
            return yaml.compose(text, Loader=fast)
        except (yaml.YAMLError, YamlError, RecursionError):
            pass
    _refuse_aliases(text, first_line, yaml.SafeLoader)
    return yaml.compose(text, Loader=yaml.SafeLoader)


def _refuse_aliases(text: str, first_line: int, loader: Any) -> None:
    import yaml

    for event in yaml.parse(text, Loader=loader):
        if isinstance(event, yaml.AliasEvent):
            line = _file_line(text, event.start_mark, first_line)
            raise YamlError("YAML aliases are not allowed", line)
