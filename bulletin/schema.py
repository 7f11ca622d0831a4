"""Record schemas: the single source of truth for validation, error messages, the editor
form config and the data-format reference.

Every record type is one pydantic model with ``extra="forbid"`` so that a typo in a key is an
error, never a silently ignored field. Field ``title``s are the Vietnamese labels editors see;
``description``s are the help text of the data-format reference.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any, Literal, Self

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    GetJsonSchemaHandler,
    PrivateAttr,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema, PydanticCustomError

ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
FIRST_YEAR, LAST_YEAR = 1930, 2100


# --- Reusable field types ------------------------------------------------------------------
@dataclass(frozen=True)
class RefTo:
    """Marks a string field as the id of a record in another collection."""

    collection: str

    def __get_pydantic_json_schema__(self, core_schema: CoreSchema, handler: GetJsonSchemaHandler) -> JsonSchemaValue:
        schema = handler(core_schema)
        schema["x-ref"] = self.collection
        return schema


_VN_DATE = re.compile(r"^\s*(\d{1,2})/(\d{1,2})/(\d{4})\s*$")
_ISO_DATE = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$")
_MONTH = re.compile(r"^\s*(?:(\d{4})-(\d{1,2})|(\d{1,2})/(\d{4}))\s*$")


def _parse_date(value: Any) -> Any:
    """Accept 2024-06-28 (YAML dates) and the 28/6/2024 editors write by habit. A bare
    number is no date (pydantic would read it as Unix seconds)."""
    if isinstance(value, (bool, int, float)):
        raise PydanticCustomError("date_type", "cần một ngày dạng 2024-06-28 hoặc 28/6/2024")
    if isinstance(value, str) and (match := _VN_DATE.match(value) or _ISO_DATE.match(value)):
        first, second, third = (int(g) for g in match.groups())
        year, month, day = (third, second, first) if match.re is _VN_DATE else (first, second, third)
        try:
            return date(year, month, day)
        except ValueError:
            raise PydanticCustomError("date_invalid", "ngày không có thật") from None
    return value


def _parse_month(value: Any) -> str:
    """A month written 2025-09 or 9/2025, stored as "2025-09"."""
    if isinstance(value, date):
        return f"{value.year:04d}-{value.month:02d}"
    match = _MONTH.match(str(value)) if isinstance(value, (str, int)) else None
    if match:
        year, month = (match[1], match[2]) if match[1] else (match[4], match[3])
        if 1 <= int(month) <= 12:
            return f"{int(year):04d}-{int(month):02d}"
    raise PydanticCustomError("month", "cần một tháng dạng 9/2025 hoặc 2025-09")


def _check_year(value: Any) -> Any:
    if isinstance(value, bool) or not isinstance(value, int):
        if isinstance(value, str) and value.strip().isdigit():
            value = int(value)
        else:
            raise PydanticCustomError("year", "cần một năm từ 1930 đến 2100")
    if not FIRST_YEAR <= value <= LAST_YEAR:
        raise PydanticCustomError("year", "cần một năm từ 1930 đến 2100")
    return value


def _content_path(value: Any) -> Any:
    """A file in content/: the web form stores its site address ("/images/x.jpg"), editors
    write the path ("images/x.jpg"); both name the same file."""
    return value.lstrip("/") if isinstance(value, str) else value


Date = Annotated[date, BeforeValidator(_parse_date)]
ContentPath = Annotated[str, BeforeValidator(_content_path), Field(min_length=1)]
Month = Annotated[str, BeforeValidator(_parse_month), Field(json_schema_extra={"format": "month"})]
Year = Annotated[int, BeforeValidator(_check_year)]
Text = Annotated[str, Field(min_length=1)]
Percent = Annotated[float, Field(ge=0, le=100)]
UnitRef = Annotated[str, RefTo("units")]
PersonRef = Annotated[str, RefTo("people")]
ProjectRef = Annotated[str, RefTo("projects")]
CriteriaRef = Annotated[str, RefTo("criteria")]
CampaignRef = Annotated[str, RefTo("campaigns")]
IndicatorRef = Annotated[str, RefTo("indicators")]


class Part(BaseModel):
    """A nested part of a record: unknown keys are errors, surrounding spaces are trimmed."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Record(Part):
    """A top-level record, one per file; its id is the file name without extension."""

    sample: bool = Field(
        False,
        title="Dữ liệu mẫu",
        description="Đánh dấu hồ sơ hư cấu dùng để minh họa; trang hiện ghi chú «dữ liệu mẫu».",
    )
    draft: bool = Field(
        False,
        title="Bản nháp",
        description="Bản nháp không bao giờ lên trang công khai; chỉ hiện ở bản xem trước.",
    )
    publish_on: Date | None = Field(
        None,
        title="Hẹn ngày lên trang",
        description="Để trống là đăng ngay. Có ngày thì hồ sơ chỉ lên trang từ lần tạo trang đầu tiên vào hoặc sau ngày này.",
    )
    _id: str = PrivateAttr(default="")
    _source: str = PrivateAttr(default="")

    # Read from the private dictionary directly: through pydantic's __getattr__ a read costs
    # 25 times as much (2.2 µs), and a build reads ids some 70,000 times (related stories, links).
    @property
    def id(self) -> str:
        return str(self.__pydantic_private__["_id"])  # type: ignore[index]

    @property
    def source_path(self) -> str:
        return str(self.__pydantic_private__["_source"])  # type: ignore[index]

    def is_published(self, today: date) -> bool:
        return not self.draft and (self.publish_on is None or self.publish_on <= today)

    def bind(self, record_id: str, source: str) -> None:
        self._id, self._source = record_id, source


class Document(Part):
    """A legal or party document: number, issuer, date."""

    number: str | None = Field(None, title="Số hiệu", description="Ví dụ: 287-KH/TU.")
    issuer: Text = Field(title="Cơ quan ban hành")
    date: Date | None = Field(None, title="Ngày ban hành")
    title: str | None = Field(None, title="Trích yếu")


class Image(Part):
    file: ContentPath = Field(title="Tệp ảnh", description="Đường dẫn trong content/, ví dụ images/cau.jpg.")
    alt: Text = Field(title="Mô tả ảnh", description="Bắt buộc: mô tả cho người không xem được ảnh.")
    caption: str | None = Field(None, title="Chú thích")


# --- Campaign ------------------------------------------------------------------------------
class Phase(Part):
    name: Text = Field(title="Tên giai đoạn")
    start: Month | None = Field(None, title="Từ tháng", description="Bỏ trống nếu «từ nay».")
    end: Month = Field(title="Đến hết tháng")
    goals: list[Text] = Field(title="Nội dung thi đua")

    @model_validator(mode="after")
    def _start_before_end(self) -> Self:
        if self.start and self.start > self.end:
            raise PydanticCustomError("range", "tháng bắt đầu ở sau tháng kết thúc")
        return self


class Review(Part):
    kind: Literal["sơ kết", "tổng kết"] = Field(title="Loại")
    month: Month = Field(title="Tháng")
    source: Text = Field(
        title="Căn cứ",
        description="Mục của kế hoạch ghi mốc này (kế hoạch có chỗ ghi khác nhau: giữ cả hai).",
    )


class Anniversary(Part):
    title: Text = Field(title="Ngày kỷ niệm")
    year: Year = Field(title="Năm kỷ niệm")
    date: Date | None = Field(None, title="Ngày kỷ niệm", description="Bỏ trống nếu chưa rõ ngày.")


class ContentSection(Part):
    number: Text = Field(title="Số mục", description="Ví dụ 4.1.")
    title: Text = Field(title="Tiêu đề")
    items: list[Text] = Field(default_factory=list, title="Các ý")


class Commitment(Part):
    signer: Text = Field(title="Người / tập thể ký")
    unit: UnitRef | None = Field(None, title="Đơn vị")
    text: str | None = Field(None, title="Nội dung cam kết")


class AgencyTask(Part):
    agency: Text = Field(title="Cơ quan")
    unit: UnitRef | None = Field(None, title="Đơn vị (nếu có hồ sơ)")
    tasks: list[Text] = Field(title="Nhiệm vụ")


class Ceremony(Part):
    month: Month = Field(title="Thời gian dự kiến")
    programme: list[Text] = Field(title="Chương trình buổi lễ")


class Campaign(Record):
    """Một đợt thi đua (kế hoạch phát động). Đợt sau là một hồ sơ mới."""

    plan: Document = Field(title="Văn bản kế hoạch")
    short_title: Text = Field(title="Tên ngắn")
    title: Text = Field(title="Tên đầy đủ")
    signer: Text = Field(title="Người ký", description="Chức vụ và họ tên, ví dụ «Bí thư Đỗ Tâm Hiến».")
    based_on: list[Document] = Field(default_factory=list, title="Căn cứ")
    purposes: list[Text] = Field(default_factory=list, title="Mục đích")
    requirements: list[Text] = Field(default_factory=list, title="Yêu cầu")
    theme: Text = Field(title="Chủ đề thi đua")
    slogans: list[Text] = Field(min_length=1, title="Khẩu hiệu")
    phases: list[Phase] = Field(min_length=1, title="Giai đoạn")
    reviews: list[Review] = Field(default_factory=list, title="Sơ kết, tổng kết")
    anniversaries: list[Anniversary] = Field(default_factory=list, title="Các ngày kỷ niệm")
    contents: list[ContentSection] = Field(default_factory=list, title="Nội dung thi đua")
    key_projects: list[ProjectRef] = Field(default_factory=list, title="Công trình trọng điểm")
    poverty_indicator: IndicatorRef | None = Field(
        None, title="Chỉ tiêu giảm nghèo", description="Mã hồ sơ chỉ tiêu của cả địa bàn."
    )
    ceremony: Ceremony | None = Field(None, title="Lễ phát động")
    commitments: list[Commitment] = Field(default_factory=list, title="Cam kết thi đua")
    rewards: list[Text] = Field(default_factory=list, title="Sơ kết, tổng kết và khen thưởng")
    agency_tasks: list[AgencyTask] = Field(default_factory=list, title="Tổ chức thực hiện")
    body: str = Field("", title="Ghi chú thêm")


# --- Units ---------------------------------------------------------------------------------
UnitKind = Literal["thị xã", "phường", "xã", "tỉnh", "đảng bộ", "đảng bộ cơ sở", "chi bộ", "cơ quan", "tổ chức"]


class Unit(Record):
    """Tổ chức đảng hoặc đơn vị hành chính, với thời gian tồn tại."""

    name: Text = Field(title="Tên", description="Tên đầy đủ, ví dụ «Phường Phổ Thạnh».")
    kind: UnitKind = Field(title="Loại đơn vị")
    parent: UnitRef | None = Field(None, title="Trực thuộc")
    valid_from: Date | None = Field(None, title="Hiệu lực từ ngày")
    valid_to: Date | None = Field(
        None, title="Hết hiệu lực từ ngày", description="Ngày đơn vị thôi tồn tại (sáp nhập, chia địa bàn, giải thể)."
    )
    # Two relations, because they differ in what happens to the unit's records: a ward merged
    # into a new ward lives on in it (its records are the new ward's too), while a district
    # whose territory was shared out lives on in none of the new units (its records are no
    # single one's). NQ 1677/NQ-UBTVQH15 did both on 1/7/2025.
    successors: list[UnitRef] = Field(
        default_factory=list,
        title="Sáp nhập vào",
        description=(
            "Đơn vị mới mà cả đơn vị này được sáp nhập vào (chỉ một). Hồ sơ ghi theo đơn vị này hiện cả ở trang "
            "đơn vị mới. Đơn vị tiền thân được suy ra, không ghi lại."
        ),
    )
    territory_to: list[UnitRef] = Field(
        default_factory=list,
        title="Địa bàn chia cho",
        description=(
            "Khi đơn vị thôi tồn tại và địa bàn được chia cho nhiều đơn vị (như Thị xã Đức Phổ từ ngày 1/7/2025): "
            "các đơn vị nhận một phần địa bàn. Hồ sơ của đơn vị này không tính là hồ sơ của từng đơn vị đó."
        ),
    )
    change_basis: Document | None = Field(None, title="Văn bản sắp xếp")
    note: str | None = Field(None, title="Ghi chú")

    @field_validator("successors")
    @classmethod
    def _merged_into_one(cls, successors: list[str]) -> list[str]:
        if len(successors) > 1:
            raise PydanticCustomError(
                "merged_into_one",
                "một đơn vị chỉ sáp nhập vào một đơn vị; nếu địa bàn được chia cho nhiều đơn vị, ghi các đơn vị đó ở territory_to",
            )
        return successors

    @field_validator("territory_to")
    @classmethod
    def _merged_or_shared_out(cls, territory_to: list[str], info: ValidationInfo) -> list[str]:
        if territory_to and info.data.get("successors"):
            raise PydanticCustomError(
                "merged_or_shared_out",
                "ghi successors (cả đơn vị sáp nhập vào một đơn vị) hoặc territory_to (địa bàn chia cho nhiều đơn vị), "
                "không ghi cả hai",
            )
        return territory_to

    @field_validator("successors", "territory_to")
    @classmethod
    def _ended_on_a_day(cls, units: list[str], info: ValidationInfo) -> list[str]:
        if units and "valid_to" in info.data and info.data["valid_to"] is None:
            raise PydanticCustomError("ended", "đơn vị đã sáp nhập hoặc chia địa bàn cần ghi valid_to (ngày thôi tồn tại)")
        return units

    @model_validator(mode="after")
    def _dates_in_order(self) -> Self:
        if self.valid_from and self.valid_to and self.valid_to <= self.valid_from:
            raise PydanticCustomError("range", "ngày hết hiệu lực phải sau ngày bắt đầu")
        return self

    @property
    def reorganised(self) -> bool:
        """Merged into another unit or its territory shared out."""
        return bool(self.successors or self.territory_to)

    def valid_on(self, day: date) -> bool:
        return (self.valid_from is None or day >= self.valid_from) and (self.valid_to is None or day < self.valid_to)


# --- Criteria sets -------------------------------------------------------------------------
HonourKind = Literal["đảng viên bốn tốt", "chi bộ bốn tốt", "đảng bộ cơ sở bốn tốt"]


class Criterion(Part):
    id: Annotated[str, Field(pattern=ID_PATTERN)] = Field(title="Mã tiêu chí")
    text: Text = Field(title="Nội dung tiêu chí")


class CriteriaSet(Record):
    """Bộ tiêu chí «bốn tốt» theo một văn bản hướng dẫn (mỗi tỉnh diễn đạt khác nhau)."""

    title: Text = Field(title="Tên bộ tiêu chí")
    document: Document = Field(title="Văn bản hướng dẫn")
    applies_to: list[HonourKind] = Field(min_length=1, title="Áp dụng cho")
    criteria: list[Criterion] = Field(min_length=1, title="Tiêu chí")

    @field_validator("criteria")
    @classmethod
    def _unique_ids(cls, criteria: list[Criterion]) -> list[Criterion]:
        ids = [c.id for c in criteria]
        if len(ids) != len(set(ids)):
            raise PydanticCustomError("duplicate", "mã tiêu chí bị trùng")
        return criteria


# --- People --------------------------------------------------------------------------------
ConsentScope = Literal["tên", "ảnh", "đảng viên", "câu chuyện"]


class Consent(Part):
    covers: list[ConsentScope] = Field(
        title="Đồng ý công bố",
        description="Chỉ những gì ghi ở đây được đăng. Không ghi là không đồng ý.",
    )
    given_on: Date = Field(title="Ngày đồng ý")
    given_by: Text = Field(title="Người đồng ý", description="Chính người đó, hoặc người giám hộ.")
    guardian: bool = Field(False, title="Do người giám hộ đồng ý (người chưa thành niên)")
    evidence: Text = Field(title="Nơi lưu giấy đồng ý", description="Không đăng lên trang.")
    withdrawn_on: Date | None = Field(None, title="Ngày rút lại đồng ý")

    @model_validator(mode="after")
    def _withdrawn_after_given(self) -> Self:
        if self.withdrawn_on and self.withdrawn_on < self.given_on:
            raise PydanticCustomError("range", "ngày rút lại ở trước ngày đồng ý")
        return self


PersonHonourTitle = Literal["đảng viên bốn tốt", "người tốt việc tốt", "gương điển hình tiên tiến"]


class PersonHonour(Part):
    year: Year = Field(title="Năm")
    title: PersonHonourTitle = Field(title="Danh hiệu")
    criteria_set: CriteriaRef | None = Field(None, title="Bộ tiêu chí")
    note: str | None = Field(None, title="Ghi chú")


class Person(Record):
    """Một cá nhân điển hình. Chỉ đăng những gì người đó đã đồng ý."""

    family_name: Text = Field(title="Họ")
    middle_name: str = Field("", title="Tên đệm")
    given_name: Text = Field(title="Tên")
    unit: UnitRef = Field(title="Đơn vị", description="Đơn vị tại thời điểm được ghi nhận.")
    role: str | None = Field(None, title="Chức vụ, công việc")
    honours: list[PersonHonour] = Field(default_factory=list, title="Danh hiệu theo năm")
    photo: Image | None = Field(None, title="Ảnh")
    consent: Consent | None = Field(None, title="Đồng ý công bố")
    body: str = Field("", title="Giới thiệu")

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.family_name, self.middle_name, self.given_name) if p)


# --- Collective honours --------------------------------------------------------------------
class CollectiveHonour(Record):
    """Danh hiệu «chi bộ bốn tốt», «đảng bộ cơ sở bốn tốt» của một năm."""

    unit: UnitRef = Field(title="Tổ chức đảng")
    year: Year = Field(title="Năm")
    title: Literal["chi bộ bốn tốt", "đảng bộ cơ sở bốn tốt"] = Field(title="Danh hiệu")
    criteria_set: CriteriaRef = Field(title="Bộ tiêu chí")
    criteria_met: list[Text] = Field(min_length=1, title="Tiêu chí đạt", description="Mã tiêu chí.")
    decision: Document | None = Field(None, title="Quyết định công nhận")


# --- Stories -------------------------------------------------------------------------------
class Story(Record):
    """Câu chuyện người tốt việc tốt hoặc tin hoạt động (Markdown có phần đầu YAML)."""

    title: Text = Field(title="Tiêu đề")
    date: Date = Field(title="Ngày đăng")
    author: Text = Field(title="Tác giả")
    summary: Text = Field(title="Tóm tắt", max_length=400)
    image: Image | None = Field(None, title="Ảnh")
    people: list[PersonRef] = Field(default_factory=list, title="Người trong câu chuyện")
    units: list[UnitRef] = Field(default_factory=list, title="Đơn vị")
    tags: list[Text] = Field(default_factory=list, title="Thẻ")
    body: Text = Field(title="Nội dung")


# --- Models and good practices -------------------------------------------------------------
class Result(Part):
    text: Text = Field(title="Kết quả")
    value: float | None = Field(None, title="Số liệu")
    measure: str | None = Field(None, title="Đơn vị tính")


class Model(Record):
    """Mô hình mới, cách làm hay, nhân tố mới."""

    title: Text = Field(title="Tên mô hình")
    kind: Literal["mô hình mới", "cách làm hay", "nhân tố mới"] = Field(title="Loại")
    field: Text = Field(title="Lĩnh vực")
    unit: UnitRef = Field(title="Đơn vị thực hiện")
    started: Date = Field(title="Ngày bắt đầu")
    summary: Text = Field(title="Tóm tắt", max_length=400)
    results: list[Result] = Field(default_factory=list, title="Kết quả")
    replicated_in: list[UnitRef] = Field(default_factory=list, title="Đơn vị nhân rộng")
    body: str = Field("", title="Nội dung")


# --- Projects ------------------------------------------------------------------------------
class Milestone(Part):
    date: Date = Field(title="Ngày")
    title: Text = Field(title="Mốc")
    done: bool = Field(False, title="Đã đạt")


class ProgressUpdate(Part):
    date: Date = Field(title="Ngày")
    percent: Percent = Field(title="Tiến độ (%)")
    note: str | None = Field(None, title="Ghi chú")


class Project(Record):
    """Công trình, dự án trọng điểm (mục III.6 của kế hoạch)."""

    title: Text = Field(title="Tên công trình")
    summary: Text = Field(title="Tóm tắt", max_length=400)
    location: Text = Field(title="Địa điểm")
    units: list[UnitRef] = Field(default_factory=list, title="Đơn vị trên địa bàn")
    investor: str | None = Field(None, title="Chủ đầu tư")
    budget_billion_vnd: float | None = Field(None, ge=0, title="Tổng mức đầu tư (tỷ đồng)")
    planned_start: Date | None = Field(None, title="Khởi công dự kiến")
    planned_finish: Date | None = Field(None, title="Hoàn thành dự kiến")
    status: Literal["chuẩn bị", "đang thi công", "hoàn thành", "tạm dừng"] = Field(title="Tình trạng")
    milestones: list[Milestone] = Field(default_factory=list, title="Các mốc")
    progress: list[ProgressUpdate] = Field(default_factory=list, title="Cập nhật tiến độ")
    image: Image | None = Field(None, title="Ảnh")
    body: str = Field("", title="Nội dung")

    @model_validator(mode="after")
    def _plan_in_order(self) -> Self:
        if self.planned_start and self.planned_finish and self.planned_finish < self.planned_start:
            raise PydanticCustomError("range", "ngày hoàn thành dự kiến ở trước ngày khởi công")
        return self

    @field_validator("progress")
    @classmethod
    def _progress_by_date(cls, updates: list[ProgressUpdate]) -> list[ProgressUpdate]:
        if any(a.date > b.date for a, b in itertools.pairwise(updates)):
            raise PydanticCustomError("order", "các lần cập nhật tiến độ phải xếp theo ngày tăng dần")
        return updates

    @property
    def percent(self) -> float:
        return self.progress[-1].percent if self.progress else 0.0


# --- Indicators ----------------------------------------------------------------------------
class YearValue(Part):
    year: Year = Field(title="Năm")
    value: float = Field(ge=0, title="Giá trị")


class Indicator(Record):
    """Chỉ tiêu theo năm của một đơn vị (tỷ lệ hộ nghèo đa chiều)."""

    title: Text = Field(title="Tên chỉ tiêu")
    unit: UnitRef = Field(title="Đơn vị")
    measure: Text = Field("%", title="Đơn vị tính")
    baseline: YearValue = Field(title="Số liệu gốc")
    targets: list[YearValue] = Field(default_factory=list, title="Mục tiêu theo năm")
    actuals: list[YearValue] = Field(default_factory=list, title="Thực hiện theo năm")
    source: Text = Field(title="Nguồn số liệu")

    @field_validator("targets", "actuals")
    @classmethod
    def _one_value_per_year(cls, values: list[YearValue]) -> list[YearValue]:
        years = [v.year for v in values]
        if len(years) != len(set(years)):
            raise PydanticCustomError("duplicate", "mỗi năm chỉ ghi một giá trị")
        return sorted(values, key=lambda v: v.year)


# --- Commendations -------------------------------------------------------------------------
class Recipient(Part):
    person: PersonRef | None = Field(None, title="Cá nhân")
    unit: UnitRef | None = Field(None, title="Tập thể / đơn vị")
    household: str | None = Field(
        None,
        title="Hộ gia đình",
        description="Ví dụ «Hộ ông Nguyễn Văn A», kèm unit là nơi hộ ở. Tên hộ chỉ được đăng khi có "
        "consent (đồng ý của hộ, có «tên»); nếu không, trang ghi «Một hộ gia đình ở <đơn vị>».",
    )
    consent: Consent | None = Field(
        None,
        title="Đồng ý công bố tên hộ",
        description="Chỉ ghi cho hộ gia đình. Đồng ý của một cá nhân ghi trong hồ sơ người đó.",
    )
    _unnamed: bool = PrivateAttr(default=False)

    @model_validator(mode="after")
    def _exactly_one_recipient(self) -> Self:
        if self.household is not None:
            valid = self.person is None and self.unit is not None and self.household.strip() != ""
        else:
            valid = (self.person is None) != (self.unit is None)
        if not valid:
            raise PydanticCustomError("recipient", "ghi đúng một người nhận: person, hoặc unit, hoặc household kèm unit")
        if self.consent is not None and self.household is None:
            raise PydanticCustomError(
                "recipient_consent", "consent ở đây chỉ dành cho hộ gia đình; đồng ý của cá nhân ghi trong hồ sơ người đó"
            )
        return self

    @property
    def unnamed_household(self) -> bool:
        """A household published without its name (no consent covering «tên»)."""
        return self._unnamed

    def without_household_name(self) -> Recipient:
        """The public form of a household that did not consent: «Một hộ gia đình» and its unit."""
        copy = self.model_copy(update={"household": UNNAMED_HOUSEHOLD, "consent": None})
        copy._unnamed = True
        return copy


UNNAMED_HOUSEHOLD = "Một hộ gia đình"


class Commendation(Record):
    """Quyết định khen thưởng: hình thức, danh hiệu, cơ quan, số và ngày quyết định."""

    form: Literal["Bằng khen", "Giấy khen", "Danh hiệu thi đua"] = Field(title="Hình thức")
    title: Text = Field(title="Danh hiệu / nội dung khen", description="Ví dụ «Chiến sĩ thi đua cơ sở».")
    issuer: Text = Field(title="Cơ quan khen")
    decision_number: Text = Field(title="Số quyết định")
    decision_date: Date = Field(title="Ngày quyết định")
    recipients: list[Recipient] = Field(min_length=1, title="Người, tập thể được khen")
    reason: Text = Field(title="Thành tích")
    campaign: CampaignRef | None = Field(None, title="Đợt thi đua")


# --- Collections ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Collection:
    """A folder of records under data/, with the page URL prefix of its records."""

    name: str
    model: type[Record]
    label: str
    url: str

    @property
    def has_body(self) -> bool:
        return "body" in self.model.model_fields


COLLECTIONS: dict[str, Collection] = {
    c.name: c
    for c in (
        Collection("campaigns", Campaign, "Đợt thi đua", "dot-thi-dua"),
        Collection("units", Unit, "Đơn vị", "don-vi"),
        Collection("criteria", CriteriaSet, "Bộ tiêu chí bốn tốt", "tieu-chi"),
        Collection("people", Person, "Cá nhân điển hình", "ca-nhan"),
        Collection("honours", CollectiveHonour, "Tập thể bốn tốt", "tap-the"),
        Collection("stories", Story, "Câu chuyện", "cau-chuyen"),
        Collection("models", Model, "Mô hình, cách làm hay", "mo-hinh"),
        Collection("projects", Project, "Công trình trọng điểm", "cong-trinh"),
        Collection("indicators", Indicator, "Chỉ tiêu giảm nghèo", "chi-tieu"),
        Collection("commendations", Commendation, "Khen thưởng", "khen-thuong"),
    )
}

# The record kinds as `python -m bulletin new KIND` names them.
KINDS = {
    "campaign": "campaigns",
    "unit": "units",
    "criteria": "criteria",
    "person": "people",
    "honour": "honours",
    "story": "stories",
    "model": "models",
    "project": "projects",
    "indicator": "indicators",
    "commendation": "commendations",
}
