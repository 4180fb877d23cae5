"""Read one side of a diff: a root document and the files its `$ref`s reach, fully resolved.

A side is a path (``openapi.yaml``) or ``GITREF:path`` (``main:openapi.yaml``, read with
``git show`` at that ref, `$ref`-ed files too). Files are composed with PyYAML (so every mapping
and key keeps its file and line), aliases and merge keys (``<<``) expanded, and every `$ref`
replaced by the object it points to. What is compared is therefore the meaning: reformatting a
file, moving a schema or renaming a `$ref` target changes nothing.
"""

from __future__ import annotations

import posixpath
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from alertmock.contract.pointer import resolve

_MERGE = "tag:yaml.org,2002:merge"
_STR = "tag:yaml.org,2002:str"
# libyaml when PyYAML has it: its nodes carry the same marks, in a fraction of the time.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class SourceError(Exception):
    """A side that cannot be read: a missing file or ref, bad YAML, a `$ref` to nowhere (one line)."""


class Located(dict[str, Any]):
    """A mapping that remembers where it is written: its file, its line and each key's line (1-based)."""

    __slots__ = ("file", "key_lines", "line")

    def __init__(self, file: str, line: int) -> None:
        super().__init__()
        self.file = file
        self.line = line
        self.key_lines: dict[str, int] = {}


class LocatedList(list[Any]):
    """A sequence that remembers its file and line."""

    __slots__ = ("file", "line")

    def __init__(self, file: str, line: int) -> None:
        super().__init__()
        self.file = file
        self.line = line


def where(node: Any, key: str | None = None) -> tuple[str | None, int | None]:
    """The file and line of `node[key]` (of the key itself when it is a scalar), else of `node`."""
    if isinstance(node, Located):
        if key is not None and key in node.key_lines:
            return node.file, node.key_lines[key]
        return node.file, node.line
    if isinstance(node, LocatedList):
        return node.file, node.line
    return None, None


def load_side(spec: str, cwd: Path | None = None) -> Located:
    """Read and resolve `spec` (a path, or ``GITREF:path``); raises `SourceError`."""
    cwd = cwd or Path.cwd()
    reader, root = _reader_for(spec, cwd)
    resolver = _Resolver(reader)
    document = resolver.resolve_all(root)
    if not isinstance(document, Located) or "openapi" not in document:
        raise SourceError(f"{spec}: not an OpenAPI document (no openapi field at its top level)")
    if not isinstance(document.get("paths", {}), dict):
        raise SourceError(f"{spec}: paths is not a mapping")
    return document


def _reader_for(spec: str, cwd: Path) -> tuple[Callable[[str], str], str]:
    """How to read a file of this side (by its name relative to `cwd`), and the root's name."""
    if (cwd / spec).exists() or ":" not in spec:
        return _file_reader(cwd), posixpath.normpath(spec)
    ref, _, path = spec.partition(":")
    prefix = _git(cwd, "rev-parse", "--show-prefix").strip()
    _git(cwd, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}", what=f"{spec}: no git ref {ref!r}")

    def read(name: str) -> str:
        in_repo = posixpath.normpath(posixpath.join(prefix, name))
        return _git(cwd, "show", f"{ref}:{in_repo}", what=f"{spec}: {name} is not in {ref}")

    # As git reads `REF:path`: from the repository's root, unless the path starts with ./ or ../.
    if not path.startswith(("./", "../")):
        path = posixpath.relpath(path, prefix.rstrip("/") or ".")
    return read, posixpath.normpath(path)


def _file_reader(cwd: Path) -> Callable[[str], str]:
    def read(name: str) -> str:
        try:
            return (cwd / name).read_text(encoding="utf-8")
        except OSError as exc:
            raise SourceError(f"{name}: {exc.strerror}") from None

    return read


def _git(cwd: Path, *args: str, what: str | None = None) -> str:
    try:
        done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=False)
    except OSError as exc:
        raise SourceError(f"git: {exc.strerror}") from None
    if done.returncode != 0:
        first = (done.stderr.strip().splitlines() or ["failed"])[0]
        raise SourceError(what or f"git {args[0]}: {first}")
    return done.stdout


class _Resolver:
    """Loads files on demand and replaces every `$ref` with its target, following chains."""

    def __init__(self, read: Callable[[str], str]) -> None:
        self.read = read
        self.trees: dict[str, Any] = {}
        self._done: set[int] = set()

    def resolve_all(self, root: str) -> Any:
        tree = self._tree(root)
        pending = [tree]
        while pending:
            node = pending.pop()
            if id(node) in self._done:
                continue
            self._done.add(id(node))
            items = node.items() if isinstance(node, Located) else enumerate(node)
            for key, value in list(items):
                target = self._target(value) if _is_ref(value) else value
                if target is not value:
                    node[key] = target
                if isinstance(target, Located | LocatedList):
                    pending.append(target)
        return tree

    def _tree(self, name: str) -> Any:
        if name not in self.trees:
            text = self.read(name)
            try:
                node = yaml.compose(text, Loader=_LOADER)
            except yaml.YAMLError as exc:
                raise SourceError(f"{name}: not YAML ({_first_line(exc)})") from None
            self.trees[name] = _Builder(name).build(node) if node is not None else Located(name, 1)
        return self.trees[name]

    def _target(self, ref_node: Located) -> Any:
        seen: set[tuple[str, str]] = set()
        node: Any = ref_node
        while _is_ref(node):
            ref = node["$ref"]
            if not isinstance(ref, str):
                raise SourceError(f"{node.file}:{node.line}: $ref is not a string")
            file_part, _, pointer = ref.partition("#")
            name = (
                posixpath.normpath(posixpath.join(posixpath.dirname(node.file), file_part)) if file_part else node.file
            )
            if (name, pointer) in seen:
                raise SourceError(f"{ref_node.file}:{ref_node.line}: $ref {ref} loops")
            seen.add((name, pointer))
            node = _follow(self._tree(name), pointer, f"{node.file}:{node.line}: $ref {ref}")
        return node


def _is_ref(value: Any) -> bool:
    return isinstance(value, Located) and "$ref" in value


def _follow(tree: Any, pointer: str, what: str) -> Any:
    try:
        return resolve(tree, unquote(pointer))  # a $ref's fragment is URL-encoded too
    except LookupError:
        raise SourceError(f"{what} points to nothing") from None


def _first_line(exc: Exception) -> str:
    return " ".join(str(exc).split())


class _Builder:
    """PyYAML nodes to `Located` data; an alias is the same node, so it becomes the same object."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.constructor = SafeConstructor()
        self.built: dict[int, Any] = {}

    def build(self, node: Node, line: int | None = None) -> Any:
        """`node` as data; `line`, the line of the key it is the value of, is where it is said to be."""
        if id(node) in self.built:
            return self.built[id(node)]
        line = line or node.start_mark.line + 1
        if isinstance(node, ScalarNode):
            return node.value if node.tag == _STR else self.constructor.construct_object(node, deep=True)
        if isinstance(node, SequenceNode):
            items = self.built[id(node)] = LocatedList(self.file, line)
            items.extend(self.build(item) for item in node.value)
            return items
        assert isinstance(node, MappingNode)
        mapping = self.built[id(node)] = Located(self.file, line)
        merged: list[Located] = []
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE:
                sources = value_node.value if isinstance(value_node, SequenceNode) else [value_node]
                merged += [self.build(source) for source in sources]
                continue
            key = self.constructor.construct_object(key_node, deep=True)
            key = str(key) if not isinstance(key, str) else key
            mapping.key_lines[key] = key_node.start_mark.line + 1
            mapping[key] = self.build(value_node, mapping.key_lines[key])
        # Explicit keys win over merged ones, and an earlier merge source over a later one.
        for source in merged:
            for key, value in source.items():
                if key not in mapping:
                    mapping[key] = value
                    mapping.key_lines[key] = source.key_lines.get(key, source.line)
        return mapping
