"""The site model: cross-record checks over all loaded records, then the public view.

Checks that need more than one record live here (references, a unit that did not exist on a
record's date, criteria ids of a criteria set). Consent is applied here too, once, so that
every page, listing and feed built from ``Site`` publishes only what consent covers.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TypedDict, TypeVar, cast

from pydantic import BaseModel

from .content import content_errors
from .errors import Loc, LocatedError, format_loc, suggest
from .fields import ref_fields
from .images import Photo, scan_images
from .loader import LoadedRecord, load_records
from .memo import ByObject, Memo
from .schema import (
    COLLECTIONS,
    Campaign,
    CollectiveHonour,
    Commendation,
    Consent,
    CriteriaSet,
    Image,
    Indicator,
    Model,
    Person,
    Project,
    Record,
    Story,
    Unit,
)
from .vietnamese import collation_key, format_date, person_sort_key

MEMBERSHIP_HONOURS = {"đảng viên bốn tốt"}  # publishing these reveals party membership
PARTY_UNITS = {"chi bộ", "đảng bộ", "đảng bộ cơ sở"}
# A role, an issuer or a title naming a party body, and a party document's number
# ("15-QĐ/TU", where a state one is "12/QĐ-UBND"): tying a person to them reveals membership.
PARTY_WORDS = re.compile(r"(?i)(?<!\w)(?:đảng|chi bộ|cấp (?:ủy|uỷ)|(?:thị|tỉnh|huyện|thành|quận) (?:ủy|uỷ))(?!\w)")
PARTY_NUMBER = re.compile(r"(?i)-[A-ZĐ]+/(?:TW|TƯ|TU|HU|QU|ĐU|ĐUK|BCS|ĐĐ)\b")


# --- Walking references --------------------------------------------------------------------
def iter_refs(part: BaseModel, loc: Loc = ()) -> Iterator[tuple[Loc, str, str]]:
    """(loc, collection, id) for every reference in a record, nested parts included."""
    for name, target in ref_fields(type(part)).items():
        value = getattr(part, name)
        values = value if isinstance(value, list) else [value]
        for index, item in enumerate(values):
            item_loc = loc + ((name, index) if isinstance(value, list) else (name,))
            if isinstance(item, BaseModel):
                yield from iter_refs(item, item_loc)
            elif target and isinstance(item, str):
                yield item_loc, target, item


def iter_images(part: BaseModel, loc: Loc = ()) -> Iterator[tuple[Loc, Image]]:
    """(loc, image) for every photo a record shows."""
    for name in type(part).model_fields:
        value = getattr(part, name)
        for index, item in enumerate(value if isinstance(value, list) else [value]):
            item_loc = loc + ((name, index) if isinstance(value, list) else (name,))
            if isinstance(item, Image):
                yield item_loc, item
            elif isinstance(item, BaseModel):
                yield from iter_images(item, item_loc)


# Walked once per record object (memo.ByObject): a save walks again only the records it changed.
refs_of: ByObject[BaseModel, tuple[tuple[Loc, str, str], ...]] = ByObject(lambda record: tuple(iter_refs(record)))
images_of: ByObject[BaseModel, tuple[tuple[Loc, Image], ...]] = ByObject(lambda record: tuple(iter_images(record)))


# --- The model -----------------------------------------------------------------------------
R = TypeVar("R", bound=Record)


def of_model(records: dict[str, Record], model: type[R]) -> dict[str, R]:
    """One collection's records typed as its model (``model`` only names the type): the loader
    validated every record of a collection with that collection's model."""
    return cast("dict[str, R]", records)


class UnitRecords(TypedDict):
    """Everything tied to a unit, by collection (``Site.records_of_unit``)."""

    people: list[Person]
    honours: list[CollectiveHonour]
    stories: list[Story]
    models: list[Model]
    projects: list[Project]
    indicators: list[Indicator]
    commendations: list[Commendation]


@dataclass
class Site:
    """All published records, with the indexes the pages need."""

    today: date
    records: dict[str, dict[str, Record]]
    withheld: list[str] = field(default_factory=list)
    predecessors: dict[str, list[str]] = field(default_factory=dict)  # units merged into a unit
    territory_from: dict[str, list[str]] = field(default_factory=dict)  # units that shared out their territory to it
    photos: dict[str, Photo] = field(default_factory=dict)
    # person id -> their stories, their commendations, newest first: a person's page looks up
    # its own list instead of reading every story (page_memo.py notes the one entry it read).
    stories_by_person: dict[str, list[Story]] = field(default_factory=dict)
    commendations_by_person: dict[str, list[Commendation]] = field(default_factory=dict)

    # The collections by name, typed (COLLECTIONS in schema.py pairs each with its model).
    @property
    def campaigns(self) -> dict[str, Campaign]:
        return of_model(self.records["campaigns"], Campaign)

    @property
    def units(self) -> dict[str, Unit]:
        return of_model(self.records["units"], Unit)

    @property
    def criteria(self) -> dict[str, CriteriaSet]:
        return of_model(self.records["criteria"], CriteriaSet)

    @property
    def people(self) -> dict[str, Person]:
        return of_model(self.records["people"], Person)

    @property
    def honours(self) -> dict[str, CollectiveHonour]:
        return of_model(self.records["honours"], CollectiveHonour)

    @property
    def stories(self) -> dict[str, Story]:
        return of_model(self.records["stories"], Story)

    @property
    def models(self) -> dict[str, Model]:
        return of_model(self.records["models"], Model)

    @property
    def projects(self) -> dict[str, Project]:
        return of_model(self.records["projects"], Project)

    @property
    def indicators(self) -> dict[str, Indicator]:
        return of_model(self.records["indicators"], Indicator)

    @property
    def commendations(self) -> dict[str, Commendation]:
        return of_model(self.records["commendations"], Commendation)

    # Units ------------------------------------------------------------------------------
    def lineage(self, unit_id: str) -> list[str]:
        """The unit and every unit merged into it, transitively: the units whose records are
        this unit's too. A unit that only gave it part of its territory is not one of them."""
        seen: list[str] = []
        todo = [unit_id]
        while todo:
            current = todo.pop()
            if current not in seen:
                seen.append(current)
                todo += self.predecessors.get(current, [])
        return seen

    def current_units(self, unit_id: str) -> list[Unit]:
        """Where a unit is today: itself, the unit it was merged into, or the units its
        territory went to (for "nay là ...")."""
        unit = self.units[unit_id]
        if not unit.reorganised:
            return [unit]
        return [u for s in unit.successors + unit.territory_to for u in self.current_units(s)]

    def merged_into(self, unit_id: str) -> Unit:
        """The unit that holds a unit's records today: the last unit of its merges."""
        unit = self.units[unit_id]
        return self.merged_into(unit.successors[0]) if unit.successors else unit

    def children(self, unit_id: str) -> list[Unit]:
        return sort_by_name([u for u in self.units.values() if u.parent == unit_id])

    def records_of_unit(self, unit_id: str) -> UnitRecords:
        """Everything tied to a unit or to a unit it was formed from."""
        lineage = set(self.lineage(unit_id))
        return UnitRecords(
            people=sort_people([p for p in self.people.values() if p.unit in lineage]),
            honours=sorted((h for h in self.honours.values() if h.unit in lineage), key=lambda h: -h.year),
            stories=self.stories_of_unit(unit_id),
            models=[m for m in self.models.values() if m.unit in lineage or lineage & set(m.replicated_in)],
            projects=[p for p in self.projects.values() if lineage & set(p.units)],
            indicators=[i for i in self.indicators.values() if i.unit in lineage],
            commendations=newest_first([c for c in self.commendations.values() if lineage & {r.unit for r in c.recipients}]),
        )

    def stories_of_unit(self, unit_id: str) -> list[Story]:
        """The stories of a unit or of a unit it was formed from, newest first."""
        lineage = set(self.lineage(unit_id))
        return newest_first([s for s in self.stories.values() if lineage & set(s.units)])

    # People -----------------------------------------------------------------------------
    def stories_of_person(self, person_id: str) -> list[Story]:
        return self.stories_by_person.get(person_id, [])

    def commendations_of_person(self, person_id: str) -> list[Commendation]:
        return self.commendations_by_person.get(person_id, [])


def sort_people(people: list[Person]) -> list[Person]:
    return sorted(people, key=lambda p: person_sort_key(p.family_name, p.middle_name, p.given_name))


def sort_by_name(units: list[Unit]) -> list[Unit]:
    return sorted(units, key=lambda u: collation_key(u.name))


Dated = TypeVar("Dated", Story, Commendation)


def newest_first(records: list[Dated]) -> list[Dated]:
    def when(record: Story | Commendation) -> date:
        return record.date if isinstance(record, Story) else record.decision_date

    return sorted(records, key=lambda r: (when(r), r.id), reverse=True)


# --- Cross-record checks -------------------------------------------------------------------
class _Checker:
    def __init__(self, loaded: list[LoadedRecord], known: set[tuple[str, str]], photos: dict[str, Photo], broken: dict[str, str]):
        self.loaded = loaded
        self.photos, self.broken = photos, broken
        self.by_key = {(r.collection, r.record.id): r for r in loaded}
        # Records that exist but failed to load: a reference to them is not a second error.
        self.known = known | set(self.by_key)
        self.errors: list[LocatedError] = []

    def error(self, item: LoadedRecord, loc: Loc, message: str) -> None:
        line = item.positions.line_of(loc)
        self.errors.append(LocatedError(item.path, line, format_loc(loc), message))

    def unit(self, unit_id: str) -> Unit | None:
        return self._get("units", unit_id, Unit)

    def criteria_set(self, set_id: str) -> CriteriaSet | None:
        return self._get("criteria", set_id, CriteriaSet)

    def _get(self, collection: str, record_id: str, model: type[R]) -> R | None:
        found = self.by_key.get((collection, record_id))
        return found.record if found and isinstance(found.record, model) else None

    def run(self) -> list[LocatedError]:
        for item in self.loaded:
            self._check_refs(item)
            self._check_images(item)
        for item in self.loaded:
            check = getattr(self, f"_check_{item.collection}", None)
            if check:
                check(item, item.record)
        return self.errors

    def _check_refs(self, item: LoadedRecord) -> None:
        for loc, collection, ref in refs_of(item.record):
            if (collection, ref) not in self.known:
                label = COLLECTIONS[collection].label.lower()
                known = [rid for (c, rid) in self.known if c == collection]
                self.error(item, loc, f"không có hồ sơ {label} mã «{ref}» (data/{collection}/{ref}.yml)" + suggest(ref, known))

    def _check_images(self, item: LoadedRecord) -> None:
        for loc, image in images_of(item.record):
            if image.file in self.broken:
                self.error(item, (*loc, "file"), f"content/{image.file}: {self.broken[image.file]}")
            elif image.file not in self.photos:
                hint = suggest(image.file, self.photos)
                self.error(
                    item,
                    (*loc, "file"),
                    f"không có tệp ảnh content/{image.file} (ảnh .jpg, .png hoặc .webp trong content/)" + hint,
                )

    def _unit_on(self, item: LoadedRecord, loc: Loc, unit_id: str | None, day: date, what: str) -> None:
        unit = self.unit(unit_id) if unit_id else None
        if unit is None or unit.valid_on(day):
            return
        if unit.valid_to and day >= unit.valid_to:
            hint = self._after_hint(unit)
            self.error(
                item,
                loc,
                f"đơn vị «{unit.name}» chỉ tồn tại đến trước ngày {format_date(unit.valid_to)}, nhưng {what} là {format_date(day)}{hint}",
            )
        elif unit.valid_from:  # not yet in existence on that day
            self.error(
                item,
                loc,
                f"đơn vị «{unit.name}» chỉ có từ ngày {format_date(unit.valid_from)}, nhưng {what} là {format_date(day)}",
            )

    def _after_hint(self, unit: Unit) -> str:
        """Which unit to name instead of one that no longer existed on a record's date."""

        def named(ids: list[str]) -> str:
            return ", ".join(f"«{found.name}» ({s})" for s in ids if (found := self.unit(s)))

        if after := named(unit.successors):
            return f"; dùng đơn vị kế tiếp {after}"
        if shared := named(unit.territory_to):
            return f"; địa bàn nay chia cho {shared}: dùng đơn vị nơi việc diễn ra"
        return ""

    def _check_units(self, item: LoadedRecord, unit: Unit) -> None:
        if unit.id not in unit.successors + unit.territory_to and self._comes_back_to(unit):
            name = "successors" if unit.successors else "territory_to"
            self.error(item, (name,), "các đơn vị kế tiếp quay vòng lại đơn vị này")
        for name in ("successors", "territory_to"):
            for index, successor_id in enumerate(getattr(unit, name)):
                successor = self.unit(successor_id)
                if successor_id == unit.id:
                    self.error(item, (name, index), "đơn vị không thể kế tiếp chính nó")
                elif successor and unit.valid_to and successor.valid_from and successor.valid_from > unit.valid_to:
                    self.error(item, (name, index), f"đơn vị kế tiếp «{successor.name}» bắt đầu sau ngày đơn vị này thôi tồn tại")

    def _comes_back_to(self, unit: Unit) -> bool:
        seen: set[str] = set()
        todo = unit.successors + unit.territory_to
        while todo:
            current = self.unit(todo.pop())
            if current is None or current.id in seen:
                continue
            if current.id == unit.id:
                return True
            seen.add(current.id)
            todo += current.successors + current.territory_to
        return False

    def _check_stories(self, item: LoadedRecord, story: Story) -> None:
        for index, unit_id in enumerate(story.units):
            self._unit_on(item, ("units", index), unit_id, story.date, "ngày của câu chuyện")

    def _check_models(self, item: LoadedRecord, model: Model) -> None:
        self._unit_on(item, ("unit",), model.unit, model.started, "ngày bắt đầu mô hình")

    def _check_commendations(self, item: LoadedRecord, commendation: Commendation) -> None:
        for index, recipient in enumerate(commendation.recipients):
            self._unit_on(item, ("recipients", index, "unit"), recipient.unit, commendation.decision_date, "ngày quyết định")

    def _check_honours(self, item: LoadedRecord, honour: CollectiveHonour) -> None:
        unit = self.unit(honour.unit)
        if unit and not any(unit.valid_on(date(honour.year, m, 1)) for m in range(1, 13)):
            self.error(item, ("year",), f"đơn vị «{unit.name}» không tồn tại trong năm {honour.year}")
        criteria = self.criteria_set(honour.criteria_set)
        if criteria is None:
            return
        if honour.title not in criteria.applies_to:
            self.error(item, ("criteria_set",), f"bộ tiêu chí «{criteria.title}» không áp dụng cho danh hiệu «{honour.title}»")
        known = [c.id for c in criteria.criteria]
        for index, criterion in enumerate(honour.criteria_met):
            if criterion not in known:
                self.error(
                    item,
                    ("criteria_met", index),
                    f"bộ tiêu chí «{criteria.title}» không có tiêu chí mã «{criterion}»; các mã có: {', '.join(known)}",
                )

    def _check_people(self, item: LoadedRecord, person: Person) -> None:
        unit = self.unit(person.unit)
        consent = person.consent
        if unit and unit.kind in PARTY_UNITS and consent and "đảng viên" not in consent.covers:
            # Publishing a party cell as someone's unit reveals their membership.
            self.error(
                item,
                ("unit",),
                f"«{unit.name}» là tổ chức đảng: đăng đơn vị này sẽ lộ việc là đảng viên, "
                "nhưng consent.covers không có «đảng viên»; ghi đơn vị hành chính hoặc bổ sung đồng ý",
            )
        for index, honour in enumerate(person.honours):
            criteria = self.criteria_set(honour.criteria_set) if honour.criteria_set else None
            if criteria and honour.title not in criteria.applies_to:
                self.error(
                    item,
                    ("honours", index, "criteria_set"),
                    f"bộ tiêu chí «{criteria.title}» không áp dụng cho danh hiệu «{honour.title}»",
                )


# --- Consent and the public view -----------------------------------------------------------
def covers(consent: Consent | None, scope: str, today: date) -> bool:
    """Whether a consent in force on ``today`` covers ``scope`` («tên», «ảnh», «đảng viên»...)."""
    if consent is None or scope not in consent.covers or consent.given_on > today:
        return False
    return not (consent.withdrawn_on and consent.withdrawn_on <= today)


def reveals_membership(commendation: Commendation) -> bool:
    """A commendation by a party body, or for a party member's merit, says its recipient is one."""
    text = f"{commendation.issuer} {commendation.title}"
    return bool(PARTY_WORDS.search(text) or PARTY_NUMBER.search(commendation.decision_number))


def _public_person(person: Person, today: date) -> Person | None:
    consent = person.consent
    if consent is None or not covers(consent, "tên", today):
        return None
    update: dict[str, object] = {}
    if "ảnh" not in consent.covers:
        update["photo"] = None
    if "đảng viên" not in consent.covers:
        update["honours"] = [h for h in person.honours if h.title not in MEMBERSHIP_HONOURS]
        if person.role and PARTY_WORDS.search(person.role):
            update["role"] = None  # «Bí thư Chi bộ thôn A» says she is a member
    return person.model_copy(update=update) if update else person


def _public_commendation(commendation: Commendation, people: dict[str, Person], today: date) -> Commendation | None:
    """Households named only with their own consent (else «Một hộ gia đình» of their unit),
    consent records never published, and a party commendation of a person shown only with
    the person's «đảng viên» consent; None when no recipient is left."""
    party = reveals_membership(commendation)
    recipients = []
    for recipient in commendation.recipients:
        if recipient.household is not None:
            named = covers(recipient.consent, "tên", today)
            recipients.append(recipient.model_copy(update={"consent": None}) if named else recipient.without_household_name())
        elif recipient.person and party:
            person = people.get(recipient.person)
            # A published person's consent is in force (_public_person). None: withheld later, with its reason.
            if person is None or covers(person.consent, "đảng viên", today):
                recipients.append(recipient)
        else:
            recipients.append(recipient)
    if not recipients:
        return None
    return commendation.model_copy(update={"recipients": recipients})


def _story_consented(story: Story, people: dict[str, Person], today: date) -> bool:
    """Everyone in the story is published (so their consent is in force) and consented to it."""
    return all(pid in people and covers(people[pid].consent, "câu chuyện", today) for pid in story.people)


def _without_refs_to(record: Record, missing: set[tuple[str, str]]) -> Record | None:
    """The record without its references to unpublished records: list items holding one are
    dropped, optional fields emptied; a required reference withholds the whole record."""
    fields = type(record).model_fields
    drop: dict[str, set[int]] = defaultdict(set)
    clear: set[str] = set()
    for loc, collection, ref in refs_of(record):
        if (collection, ref) not in missing:
            continue
        name = str(loc[0])  # a field of the record, then an index if the field is a list
        if isinstance(getattr(record, name), list):
            drop[name].add(int(loc[1]))
        elif fields[name].is_required():
            return None
        else:
            clear.add(name)
    if not drop and not clear:
        return record
    update: dict[str, object] = {name: None for name in clear}
    for name, indexes in drop.items():
        update[name] = [item for i, item in enumerate(getattr(record, name)) if i not in indexes]
        if not update[name] and fields[name].is_required():
            return None
    return record.model_copy(update=update)


def _public_view(
    records: dict[str, dict[str, Record]], today: date, preview: bool
) -> tuple[dict[str, dict[str, Record]], list[str]]:
    """Only what may be published on ``today``: no drafts or future records (unless this is a
    preview build), only consented people, and nothing that points at what was left out."""
    withheld: list[str] = []
    public: dict[str, dict[str, Record]] = {}
    for collection, items in records.items():
        public[collection] = {}
        for rid, record in items.items():
            if preview or record.is_published(today):
                public[collection][rid] = record
            else:
                withheld.append(f"{record.source_path}: chưa đăng (bản nháp hoặc hẹn ngày đăng)")
    people = of_model(public["people"], Person)
    for pid, person in list(people.items()):
        public_person = _public_person(person, today)
        if public_person is None:
            del people[pid]
            withheld.append(f"{person.source_path}: không đăng vì chưa có hoặc đã rút lại đồng ý công bố tên")
        else:
            people[pid] = public_person
    commendations = of_model(public["commendations"], Commendation)
    for cid, commendation in list(commendations.items()):
        public_commendation = _public_commendation(commendation, people, today)
        if public_commendation is None:
            del commendations[cid]
            withheld.append(f"{commendation.source_path}: không đăng vì khen thưởng của tổ chức đảng sẽ lộ việc là đảng viên")
        else:
            commendations[cid] = public_commendation
    stories = of_model(public["stories"], Story)
    for sid, story in list(stories.items()):
        if not _story_consented(story, people, today):
            del stories[sid]
            withheld.append(f"{story.source_path}: không đăng vì người trong câu chuyện chưa đồng ý công bố câu chuyện")
    changed = True
    while changed:  # leaving a record out can leave out the records that need it
        changed = False
        missing = {(c, rid) for c, items in records.items() for rid in items if rid not in public[c]}
        for items in public.values():
            for rid, record in list(items.items()):
                kept = _without_refs_to(record, missing)
                if kept is None:
                    del items[rid]
                    withheld.append(f"{record.source_path}: không đăng vì trỏ tới hồ sơ không được đăng")
                    changed = True
                elif kept is not record:
                    items[rid] = kept
    return public, withheld


def _publishable_photos(
    photos: dict[str, Photo], records: dict[str, dict[str, Record]], public: dict[str, dict[str, Record]]
) -> dict[str, Photo]:
    """Photos of published records, and photos no record claims (hand-written pages). A photo
    of a withheld person or draft story is not written at all, not even at a guessable URL."""

    def shown(collections: dict[str, dict[str, Record]]) -> set[str]:
        return {image.file for items in collections.values() for record in items.values() for _, image in images_of(record)}

    claimed, published = shown(records), shown(public)
    return {path: photo for path, photo in photos.items() if path in published or path not in claimed}


def build_site(
    loaded: list[LoadedRecord],
    today: date,
    known: Iterable[tuple[str, str]] = frozenset(),
    preview: bool = False,
    photos: dict[str, Photo] | None = None,
    broken: dict[str, str] | None = None,
) -> tuple[Site | None, list[LocatedError]]:
    errors = _Checker(loaded, set(known), photos or {}, broken or {}).run()
    if errors:
        return None, errors
    records: dict[str, dict[str, Record]] = {name: {} for name in COLLECTIONS}
    for item in loaded:
        records[item.collection][item.record.id] = item.record
    public, withheld = _public_view(records, today, preview)
    predecessors: dict[str, list[str]] = defaultdict(list)
    territory_from: dict[str, list[str]] = defaultdict(list)
    for unit in of_model(records["units"], Unit).values():
        for successor in unit.successors:
            predecessors[successor].append(unit.id)
        for heir in unit.territory_to:
            territory_from[heir].append(unit.id)
    photos = _publishable_photos(photos or {}, records, public)
    site = Site(
        today,
        public,
        withheld,
        predecessors=dict(predecessors),
        territory_from=dict(territory_from),
        photos=photos,
        stories_by_person=_by_person(of_model(public["stories"], Story).values(), lambda s: s.people),
        commendations_by_person=_by_person(
            of_model(public["commendations"], Commendation).values(), lambda c: [r.person for r in c.recipients]
        ),
    )
    return site, []


def _by_person(records: Iterable[Dated], people_of: Callable[[Dated], Iterable[str | None]]) -> dict[str, list[Dated]]:
    """Person id -> the records naming them, newest first."""
    found: dict[str, list[Dated]] = defaultdict(list)
    for record in records:
        for person in dict.fromkeys(people_of(record)):  # named twice, listed once
            if person:
                found[person].append(record)
    return {person: newest_first(named) for person, named in found.items()}


def load_site(root: Path, today: date, preview: bool = False, memo: Memo | None = None) -> tuple[Site | None, list[LocatedError]]:
    """Load, validate and check everything under ``root/data``; errors are all reported.
    ``memo``: record files parsed before (loader.load_records)."""
    refs_of.next_round()
    images_of.next_round()
    loaded, errors = load_records(root, memo)
    present = {(f.parent.name, f.stem) for f in (root / "data").glob("*/*.*")}
    photos, broken = scan_images(root / "content")
    site, check_errors = build_site(loaded, today, present, preview, photos, broken)
    errors = sorted(set(errors + check_errors + content_errors(root, root / "content", broken)))
    return (None if errors else site), errors
