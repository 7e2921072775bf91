"""Limits that stop a hostile or broken YAML file before parsing it costs much.

PyYAML composes nested collections by recursion, so `[[[[...]]]]` a few hundred levels deep
ends in a RecursionError; and aliases share nodes, so a "billion laughs" file of a few lines
stands for hundreds of millions of values once anything walks it. Both are refused while the
file is composed, at the line where the limit is passed, before a single object is built.
"""

from __future__ import annotations

import yaml
from yaml.events import AliasEvent
from yaml.nodes import MappingNode, Node, SequenceNode

MAX_DEPTH = 50
"""Nesting levels, aliases followed; workflows.yaml needs about 8."""
MAX_ALIASED = 100_000
"""Values that aliases may add to a file in all; the shipped files add a few hundred."""
MAX_INT_DIGITS = 18


class Refused(yaml.MarkedYAMLError):
    """Valid YAML that is not read: too deep, or aliases standing for too much."""


def _children(node: Node) -> list[Node]:
    if isinstance(node, MappingNode):
        return [item for pair in node.value for item in pair]
    if isinstance(node, SequenceNode):
        return list(node.value)
    return []


class Measure:
    """The size and depth of composed nodes with every alias expanded, memoized per node."""

    def __init__(self) -> None:
        self._sizes: dict[int, tuple[int, int]] = {}  # id(node) -> (values, levels)

    def of(self, root: Node) -> tuple[int, int]:
        """(values, levels) of `root`; ValueError if a node contains itself."""
        on_path: set[int] = set()
        stack: list[tuple[Node, bool]] = [(root, False)]
        while stack:
            node, children_done = stack.pop()
            key = id(node)
            if children_done:
                on_path.discard(key)
                parts = [self._sizes[id(child)] for child in _children(node)]
                values = 1 + sum(size for size, _ in parts)
                self._sizes[key] = (values, 1 + max((depth for _, depth in parts), default=0))
            elif key not in self._sizes:
                if key in on_path:
                    raise ValueError("an alias refers to the collection it is inside")
                on_path.add(key)
                stack.append((node, True))
                stack.extend((child, False) for child in _children(node))
        return self._sizes[id(root)]


class LimitedComposer:
    """Mixed into the loader: counts nesting and what aliases add as the file is composed."""

    _depth = 0
    _aliased = 0
    _measure: Measure | None = None
    _open: tuple[str, ...] = ()  # anchors of the collections being composed

    def compose_node(self, parent: Node | None, index: object) -> Node:
        event = self.peek_event()
        if self._depth >= MAX_DEPTH:
            raise Refused(
                None,
                None,
                f"the file is nested more than {MAX_DEPTH} levels deep; "
                "a workflows file needs far fewer",
                event.start_mark,
            )
        if isinstance(event, AliasEvent) and event.anchor in self._open:
            message = "an alias refers to the collection it is inside; write it out"
            raise Refused(None, None, message, event.start_mark)
        self._depth += 1
        opened = self._open
        if event.anchor is not None and not isinstance(event, AliasEvent):
            self._open = (*opened, event.anchor)
        try:
            node = super().compose_node(parent, index)
        finally:
            self._depth -= 1
            self._open = opened
        if isinstance(event, AliasEvent):
            self._count_alias(node, event)
        return node

    def _count_alias(self, node: Node, event: AliasEvent) -> None:
        """What the alias at `event` adds, refused past MAX_ALIASED or MAX_DEPTH."""
        self._measure = self._measure or Measure()
        try:
            values, levels = self._measure.of(node)
        except ValueError as error:
            raise Refused(None, None, f"{error}; write it out", event.start_mark) from None
        self._aliased += values
        if self._aliased > MAX_ALIASED:
            raise Refused(
                None,
                None,
                f"aliases stand for more than {MAX_ALIASED} values (an alias bomb?); "
                "write the repeated parts out or share rules through `rules:`",
                event.start_mark,
            )
        if self._depth + levels > MAX_DEPTH:
            raise Refused(
                None,
                None,
                f"with its aliases followed the file is nested more than {MAX_DEPTH} levels "
                "deep; a workflows file needs far fewer",
                event.start_mark,
            )
