"""Generated pages' text remembered by what their templates read, so that a build renders
again only the templates whose inputs changed.

A template call (``render.render``) is looked up by the template's name and a fingerprint of
its arguments, in which a record stands for itself by collection and id. While a template
renders, every read of the site model is recorded (a trace, as build systems that verify
their traces do): a record's field (``story.title``), a whole record (compared, printed,
dumped), whether a record exists, a collection's list of ids (iterated, counted), the site's
own fields (``today``, ``photos``...) and the entries it looked up in a dictionary argument
(``related[story.id]``). The memo keeps each text with the keys of its trace, and one table
of the values those keys had. The next build computes the table's values again, once, and
forgets every text that read a key whose value changed; a text still in the memo is reused
(after its dictionary lookups are compared): the template would read the same things and
write the same text. A record left out of the public view (a consent withdrawn, a draft)
changes what its collection lists and what a lookup finds, so every page that showed it or
looked it up is rendered again.

What cannot be followed is not remembered: a record that is not the site model's own
object, an argument of a type this module does not know, a template that fails while traced
(it is rendered again untraced, and its error is the template's own).

Only ``build.py`` opens a session (``session``), around the build's page generation;
elsewhere ``render`` just renders. Nothing here imports MkDocs.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import hashlib
import inspect
import types
import zlib
from collections.abc import Callable, Iterator, Mapping
from datetime import date
from decimal import Decimal
from enum import Enum
from typing import Any

from jinja2 import Template
from markupsafe import Markup
from pydantic import BaseModel

from .memo import Memo
from .model import Site
from .schema import Record

Key = tuple
_SITE_DICTIONARIES = (
    "photos",
    "predecessors",
    "territory_from",
    "stories_by_person",
    "commendations_by_person",
)  # watched entry by entry
_SITE_FIELDS = frozenset(f.name for f in dataclasses.fields(Site)) - {"records", *_SITE_DICTIONARIES}
_PYDANTIC_NAMES = frozenset(dir(BaseModel))
_MISSING = ("missing",)
_WHOLE_RECORD_SLOTS = ("__eq__", "__repr__", "__str__", "__iter__", "__copy__", "__deepcopy__", "__getstate__")
_UNTRACEABLE: Key = ("untraceable",)  # noted when a template reaches a record that is not the site's own


class _Untraceable(Exception):
    """A value this module cannot fingerprint, or a record that is not the site's own."""


@dataclasses.dataclass(frozen=True)
class _Entry:
    """A template's text, with what it read of the site model (whose values the memo's table
    holds) and of its dictionary arguments (with their values: they belong to the call)."""

    site_reads: frozenset[Key]
    argument_reads: tuple[tuple[Key, str], ...]
    text: str

    @functools.cached_property
    def packed(self) -> bytes:
        """The text compressed, once: an entry read from the memo's file keeps the bytes it came from."""
        return zlib.compress(self.text.encode("utf-8", "surrogatepass"), 1)

    def __reduce__(self) -> tuple:
        """Pickled with the text compressed: the memo's file is read and written on every build."""
        return (_unpacked, (self.site_reads, self.argument_reads, self.packed))


def _unpacked(site_reads: frozenset[Key], argument_reads: tuple[tuple[Key, str], ...], packed: bytes) -> _Entry:
    entry = _Entry(site_reads, argument_reads, zlib.decompress(packed).decode("utf-8", "surrogatepass"))
    entry.__dict__["packed"] = packed  # what the cached property would compute again
    return entry


_VALUES: Key = ("values of what the remembered templates read",)  # the memo's table: key -> value
_CHANGED = "changed"  # the value of a key that can no longer be computed
_ARGUMENT_READS = ("entry", "all")  # reads of a template's dictionary arguments, not of the site


# --- Recording reads -----------------------------------------------------------------------
_traces: list[dict[Key, None]] = []  # the traces being recorded (insertion-ordered keys)
# (collection, id) -> (the record, its digests by field name; "" for the whole record). The
# loader's memo hands out the same record object while its file is unchanged, and never
# changes it (loader.py): under serve, a save then digests again only the records it changed.
_record_digests: dict[tuple[str, str], tuple[Any, dict[str, str]]] = {}


def _note(key: Key) -> None:
    for trace in _traces:
        trace[key] = None


class _Watched(dict):
    """A dictionary of the site model whose reads are noted while a template renders: a
    lookup notes its key (for a collection of records: whether the id exists; the record's
    fields are noted as they are read), a walk notes the whole dictionary (for a collection:
    its list of ids)."""

    def __init__(self, data: dict, name: str, of_records: bool) -> None:
        super().__init__(data)
        self.name = name
        self.lookup, self.walk = ("has", "ids") if of_records else ("entry of site", "site")

    def _looked_up(self, key: Any) -> None:
        if _traces:
            _note((self.lookup, self.name, key))

    def _walked(self) -> None:
        if _traces:
            _note((self.walk, self.name))

    def __getitem__(self, key: Any) -> Any:
        self._looked_up(key)
        return dict.__getitem__(self, key)

    def get(self, key: Any, default: Any = None) -> Any:
        self._looked_up(key)
        return dict.get(self, key, default)

    def __contains__(self, key: object) -> bool:
        self._looked_up(key)
        return dict.__contains__(self, key)

    def __iter__(self) -> Iterator[Any]:
        self._walked()
        return dict.__iter__(self)

    def __len__(self) -> int:
        self._walked()
        return dict.__len__(self)

    def keys(self) -> Any:
        self._walked()
        return dict.keys(self)

    def values(self) -> Any:
        self._walked()
        return dict.values(self)

    def items(self) -> Any:
        self._walked()
        return dict.items(self)


class _TracedSite(Site):
    """The site model while a template renders: its own fields are noted when read."""

    def __getattribute__(self, name: str) -> Any:
        if _traces and name in _SITE_FIELDS:
            _note(("site", name))
        return object.__getattribute__(self, name)


class _Lookups(Mapping):
    """A dictionary argument of a template (``related``, ``neighbours``): each entry looked up
    is noted with its key, a walk over it notes the whole dictionary. A view, never a copy:
    the same large dictionary goes to every story page."""

    def __init__(self, argument: str, data: Mapping) -> None:
        self._argument, self._data = argument, data

    def __getitem__(self, key: Any) -> Any:
        _note(("entry", self._argument, key))
        return self._data[key]

    def __contains__(self, key: object) -> bool:
        _note(("entry", self._argument, key))
        return key in self._data

    def __iter__(self) -> Iterator[Any]:
        _note(("all", self._argument))
        return iter(self._data)

    def __len__(self) -> int:
        _note(("all", self._argument))
        return len(self._data)


@functools.cache
def _read_kind(model: type[BaseModel], name: str) -> str:
    """How a read of ``name`` on a record of ``model`` is noted: as a value ("field"), as the
    whole record ("whole"), or not at all ("skip": the id, private names, and our own methods,
    whose reads of the record's fields are noted one by one)."""
    if name in model.model_fields:
        return "field"
    if name == "id" or name.startswith("_"):
        return "skip"
    if name in _PYDANTIC_NAMES:
        return "whole"  # model_dump, model_copy...: the record as a whole
    found = inspect.getattr_static(model, name, None)
    if isinstance(found, (property, functools.cached_property)):
        return "field"
    if isinstance(found, (types.FunctionType, staticmethod, classmethod)):
        return "skip"
    return "whole"


class _Session:
    """One build's page generation: the memo, the site being rendered, and the values of
    what templates read (computed once per build).

    The memo holds a table of the value of every key its templates read. Opening a session
    computes them again and forgets every remembered text that read a key whose value
    changed: what is left is valid, whether or not this build asks for it."""

    def __init__(self, memo: Memo, site: Site) -> None:
        self.memo, self.site = memo, site
        self.values: dict[Key, str] = {}
        self.created: list[Key] = []  # the memo's keys of the texts made in this session
        # id(record) -> (the record, its field keys' start, its whole key) for every record of the site model
        self.identities = {
            id(r): (r, ("field", c, rid), ("whole", c, rid)) for c, items in site.records.items() for rid, r in dict.items(items)
        }
        self.wholes: dict[int, tuple[Any, str]] = {}  # id(dictionary argument) -> (it, digest)
        self.rendered = self.reused = self.untraced = 0
        self._forget_changed()

    def _forget_changed(self) -> None:
        """Every remembered text that read a changed value forgotten."""
        table = self.memo.entries.get(_VALUES) or {}
        changed = set()
        records, values = self.site.records, self.values
        for key, before in table.items():
            if key[0] == "field":  # most keys: unchanged if the record is the object it was
                held = _record_digests.get(key[1:3])
                if held is not None and held[0] is dict.get(records[key[1]], key[2]) and key[3] in held[1]:
                    values[key] = held[1][key[3]]
                    if values[key] != before:
                        changed.add(key)
                    continue
            values[key] = now = self._safe_value(key)
            if now != before:
                changed.add(key)
        stale = [k for k, e in self.memo.entries.items() if isinstance(e, _Entry) and not changed.isdisjoint(e.site_reads)]
        for key in stale:
            self.memo.forget(key)

    def close(self) -> None:
        """The table of values, for every text the memo still holds. A text that read a value
        which cannot be computed is forgotten; the texts made now share the table's keys (the
        memo holds each key once, however many texts read it: every unit page reads every
        story's units)."""
        entries = self.memo.entries
        read = set().union(*(e.site_reads for e in entries.values() if isinstance(e, _Entry)))
        broken = {key for key in read if self.site_value(key) == _CHANGED}
        for key in [k for k, e in entries.items() if isinstance(e, _Entry) and not broken.isdisjoint(e.site_reads)]:
            self.memo.forget(key)
        shared = {key: key for key in self.values}
        for key in self.created:
            if isinstance(entry := entries.get(key), _Entry):
                self.memo.put(key, dataclasses.replace(entry, site_reads=frozenset(map(shared.__getitem__, entry.site_reads))))
        self.memo.put(_VALUES, {key: self.values[key] for key in read - broken})

    # What a template may reach ------------------------------------------------------------
    def owned(self, record: Record) -> tuple[str, str] | None:
        """(collection, id) of a record of the site model; None for any other object."""
        found = self.identities.get(id(record))
        return found[2][1:] if found is not None and found[0] is record else None

    def own(self, record: Record) -> tuple[str, str]:
        found = self.owned(record)
        if found is None:
            raise _Untraceable(f"a {type(record).__qualname__} that is not the site's record")
        return found

    def call_key(self, template: Template, context: dict[str, Any]) -> Key:
        """A template call by the template's name and its arguments; a dictionary argument
        only by its name: what the template looks up in it is part of its trace."""
        arguments = tuple(
            (name, "lookups" if type(value) is dict else self.canon(value)) for name, value in sorted(context.items())
        )
        return (template.name, repr(arguments))

    def canon(self, value: Any) -> Any:
        """A value as plain, comparable data: records by collection and id, the site by name."""
        if value is None or type(value) in (str, int, bool, float):
            return value
        if value is self.site:
            return ("site",)  # what a template reads of it is in its trace
        if isinstance(value, Markup):
            return ("markup", str(value))
        if isinstance(value, (str, int, float, date, Decimal)):
            return (type(value).__name__, repr(value))
        if isinstance(value, Record):
            return ("record", *self.own(value))
        if isinstance(value, BaseModel):
            return (type(value).__qualname__, tuple(self.canon(getattr(value, name)) for name in type(value).model_fields))
        if isinstance(value, (list, tuple)):
            return (type(value).__name__, tuple(self.canon(item) for item in value))
        if isinstance(value, dict):
            return ("dict", tuple((self.canon(k), self.canon(v)) for k, v in value.items()))
        if isinstance(value, (set, frozenset)):
            return ("set", tuple(sorted(repr(self.canon(item)) for item in value)))
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            fields = dataclasses.fields(value)
            return (type(value).__qualname__, tuple(self.canon(getattr(value, f.name)) for f in fields))
        if isinstance(value, Enum):
            return ("enum", repr(value))
        if isinstance(value, types.FunctionType):
            cells = tuple(self.canon(cell.cell_contents) for cell in value.__closure__ or ())
            return ("function", value.__module__, value.__qualname__, cells, self.canon(value.__defaults__))
        raise _Untraceable(type(value).__qualname__)

    def digest(self, value: Any) -> str:
        """The canonical form's text; a long one (a story's body) by its SHA-256."""
        text = repr(self.canon(value))
        if len(text) <= 64:
            return text
        return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()

    # The value of a read key in this build --------------------------------------------------
    def argument_value(self, key: Key, context: dict[str, Any]) -> str:
        if key[0] == "entry":
            return self.digest(context[key[1]].get(key[2], _MISSING))
        whole = context[key[1]]  # "all"
        if id(whole) not in self.wholes:
            self.wholes[id(whole)] = (whole, self.digest(whole))
        return self.wholes[id(whole)][1]

    def site_value(self, key: Key) -> str:
        if key not in self.values:
            self.values[key] = self._safe_value(key)
        return self.values[key]

    def _safe_value(self, key: Key) -> str:
        try:
            return self._site_value(key)
        except (_Untraceable, KeyError, TypeError, AttributeError):
            return _CHANGED

    def _site_value(self, key: Key) -> str:
        kind, records = key[0], self.site.records
        if kind == "site":
            return self.digest(object.__getattribute__(self.site, key[1]))
        if kind == "entry of site":
            return self.digest(dict.get(object.__getattribute__(self.site, key[1]), key[2], _MISSING))
        if kind == "ids":
            return self.digest(list(dict.keys(records[key[1]])))
        record = dict.get(records[key[1]], key[2])
        if kind == "has" or record is None:
            return repr(record is not None)
        held = _record_digests.get((key[1], key[2]))
        if held is None or held[0] is not record:
            held = _record_digests[(key[1], key[2])] = (record, {})
        name = key[3] if kind == "field" else ""
        if name not in held[1]:
            value = getattr(record, name) if name else tuple(getattr(record, n) for n in type(record).model_fields)
            held[1][name] = self.digest(value)
        return held[1][name]

    # Rendering ----------------------------------------------------------------------------
    def render(self, template: Template, context: dict[str, Any]) -> str:
        try:
            key = self.call_key(template, context)
        except _Untraceable:
            self.untraced += 1
            return template.render(**context)
        entry = self.memo.get(key)
        if isinstance(entry, _Entry) and self._same_arguments(entry, context):
            self.reused += 1
            return entry.text
        self.rendered += 1
        text, reads = self._traced(template, context)
        if reads is not None and _UNTRACEABLE not in reads:
            try:
                self.memo.put(key, self._entry(reads, context, text))
                self.created.append(key)
            except (_Untraceable, KeyError, TypeError, AttributeError):
                self.untraced += 1
        return text

    def _same_arguments(self, entry: _Entry, context: dict[str, Any]) -> bool:
        """Whether what the remembered text looked up in its dictionary arguments is as it was
        (what it read of the site is unchanged, or the session would have forgotten it)."""
        try:
            return all(self.argument_value(key, context) == value for key, value in entry.argument_reads)
        except (_Untraceable, KeyError, TypeError, AttributeError):
            return False  # the arguments changed shape: render again

    def _entry(self, reads: tuple[Key, ...], context: dict[str, Any], text: str) -> _Entry:
        """The values of the site's keys are taken at the end (``close``), once for all texts."""
        site_reads = frozenset(key for key in reads if key[0] not in _ARGUMENT_READS)
        arguments = tuple((key, self.argument_value(key, context)) for key in reads if key[0] in _ARGUMENT_READS)
        return _Entry(site_reads, arguments, text)

    def _traced(self, template: Template, context: dict[str, Any]) -> tuple[str, tuple[Key, ...] | None]:
        """The template's text, and the keys of what it read (None when it read something
        that cannot be followed: then it is rendered again untraced)."""
        arguments = {name: _Lookups(name, value) if type(value) is dict else value for name, value in context.items()}
        trace: dict[Key, None] = {}
        _traces.append(trace)
        try:
            with _records_traced(self):
                text = template.render(**arguments)
            return text, tuple(trace)
        except Exception:  # an untraceable read, or the template's own error: decided untraced
            self.untraced += 1
            return template.render(**context), None
        finally:
            _traces.remove(trace)


_session: _Session | None = None


@contextlib.contextmanager
def _records_traced(session: _Session) -> Iterator[None]:
    """Reads of the records' attributes noted, for as long as one template renders."""

    kinds: dict[tuple[type, str], str] = {}
    identities = session.identities
    traces, read_attribute = _traces, object.__getattribute__

    def getattribute(record: Record, name: str) -> Any:
        value = read_attribute(record, name)
        if traces:  # the hottest function of a build without the memo's texts: kept lean
            kind = kinds.get((type(record), name)) or kinds.setdefault((type(record), name), _read_kind(type(record), name))
            if kind != "skip":
                found = identities.get(id(record))
                if found is None or found[0] is not record:
                    key: Key = _UNTRACEABLE
                elif kind == "field":
                    key = (*found[1], name)
                else:
                    key = found[2]
                for trace in traces:
                    trace[key] = None
        return value

    def as_a_whole(slot: str) -> Callable[..., Any]:
        original = getattr(BaseModel, slot)

        def whole(record: Record, *args: Any) -> Any:
            for item in (record, *args[:1]):
                if _traces and isinstance(item, Record):
                    found = session.owned(item)
                    _note(_UNTRACEABLE if found is None else ("whole", *found))
            return original(record, *args)

        return whole

    patched = {"__getattribute__": getattribute, **{slot: as_a_whole(slot) for slot in _WHOLE_RECORD_SLOTS}}
    saved = {name: Record.__dict__[name] for name in patched if name in Record.__dict__}
    for name, function in patched.items():
        setattr(Record, name, function)
    try:
        yield
    finally:
        for name in patched:
            if name in saved:
                setattr(Record, name, saved[name])
            else:
                delattr(Record, name)


def render(template: Template, context: dict[str, Any]) -> str:
    """The template rendered with ``context``, or the text it gave before for the same reads
    when a session is open."""
    if _session is None:
        return template.render(**context)
    return _session.render(template, context)


@contextlib.contextmanager
def session(memo: Memo, site: Site) -> Iterator[_Session]:
    """Templates rendered meanwhile are remembered in ``memo``; ``site`` is the model they
    render (its collections are watched meanwhile, then given back as they were)."""
    global _session
    assert _session is None, "one page generation at a time"
    records, dictionaries = dict(site.records), {name: getattr(site, name) for name in _SITE_DICTIONARIES}
    site.records.update({name: _Watched(items, name, of_records=True) for name, items in records.items()})
    for name, entries in dictionaries.items():
        setattr(site, name, _Watched(entries, name, of_records=False))
    site.__class__ = _TracedSite
    _session = opened = _Session(memo, site)
    try:
        yield opened
    finally:
        opened.close()  # even after a failure: the table must cover every text the memo holds
        _session = None
        site.__class__ = Site
        site.records.update(records)
        for name, entries in dictionaries.items():
            setattr(site, name, entries)
