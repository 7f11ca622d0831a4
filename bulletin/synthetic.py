"""Synthetic data sets of any size, for benchmarks and scale tests.

`python -m bulletin.synthetic N OUT_DIR` writes N stories and proportional numbers of every
other record type under OUT_DIR/data/, deterministic for a seed, valid for `check`.
"""

from __future__ import annotations

import argparse
import random
from datetime import date, timedelta
from pathlib import Path

import yaml

from .vietnamese import slugify

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Võ", "Phan", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Trương"]
MIDDLE = ["Văn", "Thị", "Minh", "Ngọc", "Đức", "Thanh", "Hữu", "Quang", "Thu", "Xuân", "Công", "Kim"]
GIVEN = ["An", "Bình", "Cường", "Dũng", "Đào", "Giang", "Hà", "Hải", "Hạnh", "Hòa", "Hùng", "Khoa", "Lan", "Linh",
         "Long", "Mai", "Nam", "Nga", "Ngọc", "Phúc", "Phương", "Quân", "Sơn", "Tâm", "Thảo", "Thu", "Trang", "Tuấn", "Vy", "Yến"]
DEEDS = ["trả lại của rơi", "cứu người đuối nước", "hiến đất làm đường", "giúp hộ nghèo", "sửa nhà tình nghĩa",
         "dọn rác bờ biển", "hiến máu tình nguyện", "dạy học miễn phí", "vận động khuyến học", "chăm sóc người già neo đơn"]
TAGS = ["trả của rơi", "cứu người", "hiến đất", "giảm nghèo", "đền ơn đáp nghĩa", "môi trường", "nhân đạo", "giáo dục",
        "dân vận khéo", "nông thôn mới", "biển đảo", "thanh niên", "phụ nữ", "cựu chiến binh"]
SENTENCES = [
    "Việc làm giản dị nhưng ý nghĩa đã được bà con trong khu dân cư ghi nhận và lan tỏa.",
    "Chi bộ đã biểu dương kịp thời và đề nghị cấp trên khen thưởng.",
    "Phong trào thi đua cao điểm đã tạo động lực để mỗi người dân góp sức xây dựng quê hương Đức Phổ.",
    "Nhiều gia đình khác đã học tập và làm theo, góp phần giữ vững an ninh trật tự ở địa phương.",
    "Ủy ban Mặt trận Tổ quốc đã đưa câu chuyện vào buổi sinh hoạt chuyên đề của khu dân cư.",
    "Đây là minh chứng sinh động cho tinh thần tương thân tương ái của người dân vùng biển.",
    "Người dân mong mô hình này được duy trì thường xuyên và nhân rộng ra các thôn, tổ dân phố.",
    "Đoàn viên, hội viên cùng tham gia với tinh thần tự nguyện, không ngại khó khăn.",
]
OLD_UNITS = ["Phổ Thạnh", "Phổ Châu", "Phổ Văn", "Phổ Quang", "Phổ An", "Phổ Thuận", "Phổ Nhơn", "Phổ Phong", "Phổ Khánh",
             "Phổ Cường", "Nguyễn Nghiêm", "Phổ Hòa", "Phổ Minh", "Phổ Vinh", "Phổ Ninh"]
NEW_UNITS = {"Đức Phổ": [10, 11, 12, 13, 14], "Trà Câu": [2, 3, 4, 5], "Sa Huỳnh": [0, 1], "Nguyễn Nghiêm": [6, 7], "Khánh Cường": [8, 9]}
CHANGE_DAY = date(2025, 7, 1)
START, END = date(2024, 8, 1), date(2026, 8, 31)


class _Writer:
    def __init__(self, root: Path):
        self.data = root / "data"
        self.counts: dict[str, int] = {}

    def write(self, collection: str, record_id: str, record: dict, body: str | None = None) -> None:
        folder = self.data / collection
        folder.mkdir(parents=True, exist_ok=True)
        text = yaml.safe_dump(record, allow_unicode=True, sort_keys=False, width=100)
        if body is None:
            (folder / f"{record_id}.yml").write_text(text, encoding="utf-8")
        else:
            (folder / f"{record_id}.md").write_text(f"---\n{text}---\n\n{body}\n", encoding="utf-8")
        self.counts[collection] = self.counts.get(collection, 0) + 1


def _units(out: _Writer) -> tuple[list[str], list[str]]:
    old_ids = [f"u-{slugify(name)}" for name in OLD_UNITS]
    new_ids = [f"n-{slugify(name)}" for name in NEW_UNITS]
    successor = {old: new for new, olds in zip(new_ids, NEW_UNITS.values()) for old in (old_ids[i] for i in olds)}
    for old, name in zip(old_ids, OLD_UNITS):
        kind = "xã" if name.startswith("Phổ") and name in ("Phổ Châu", "Phổ An", "Phổ Thuận", "Phổ Nhơn", "Phổ Phong", "Phổ Khánh", "Phổ Cường") else "phường"
        out.write("units", old, {"sample": True, "name": f"{kind.capitalize()} {name}", "kind": kind, "valid_to": CHANGE_DAY, "successors": [successor[old]]})
    for new, name in zip(new_ids, NEW_UNITS):
        kind = "xã" if name in ("Nguyễn Nghiêm", "Khánh Cường") else "phường"
        out.write("units", new, {"sample": True, "name": f"{kind.capitalize()} {name}", "kind": kind, "valid_from": CHANGE_DAY})
    return old_ids, new_ids


def _unit_on(day: date, rng: random.Random, old: list[str], new: list[str]) -> str:
    return rng.choice(old if day < CHANGE_DAY else new)


def _day(rng: random.Random) -> date:
    return START + timedelta(days=rng.randrange((END - START).days))


def _body(rng: random.Random, name: str, deed: str) -> str:
    paragraphs = []
    for _ in range(rng.randint(4, 7)):
        opening = f"{name} đã {deed} khi được bà con nhờ giúp đỡ." if not paragraphs else ""
        paragraphs.append(" ".join(filter(None, [opening, *rng.sample(SENTENCES, 4)])))
    return "\n\n".join(paragraphs)


def generate(root: Path, n: int, seed: int = 1) -> dict[str, int]:
    """Write ``n`` stories and proportional other records under ``root/data``."""
    rng = random.Random(seed)
    out = _Writer(root)
    old, new = _units(out)
    out.write("criteria", "bon-tot", {
        "sample": True, "title": "Tiêu chí bốn tốt (mẫu)",
        "document": {"number": "78-KH/TU", "issuer": "Ban Thường vụ Thị ủy (mẫu)", "date": date(2022, 11, 15)},
        "applies_to": ["đảng viên bốn tốt", "chi bộ bốn tốt", "đảng bộ cơ sở bốn tốt"],
        "criteria": [{"id": f"tieu-chi-{i}", "text": text} for i, text in enumerate(
            ["Hoàn thành tốt nhiệm vụ chính trị", "Chất lượng sinh hoạt tốt", "Đoàn kết, kỷ luật tốt", "Xây dựng đội ngũ tốt"], 1)],
    })
    people = []
    for i in range(max(5, n // 5)):
        day = _day(rng)
        family, middle, given = rng.choice(FAMILY), rng.choice(MIDDLE), rng.choice(GIVEN)
        pid = f"p{i:05d}-{slugify(f'{family} {middle} {given}')}"
        people.append((pid, f"{family} {middle} {given}"))
        out.write("people", pid, {
            "sample": True, "family_name": family, "middle_name": middle, "given_name": given,
            "unit": _unit_on(day, rng, old, new), "role": rng.choice(["Hội viên phụ nữ", "Cựu chiến binh", "Đoàn viên", "Ngư dân", "Giáo viên"]),
            "honours": [{"year": day.year, "title": rng.choice(["người tốt việc tốt", "đảng viên bốn tốt"])}],
            "consent": {"covers": ["tên", "câu chuyện"] + (["đảng viên"] if i % 2 else []), "given_on": date(2024, 7, 1),
                        "given_by": f"{family} {middle} {given}", "evidence": "Giấy đồng ý (mẫu)"},
        })
    for i in range(n):
        day = _day(rng)
        pid, name = rng.choice(people)
        deed = rng.choice(DEEDS)
        out.write("stories", f"s{i:05d}-{slugify(deed)}", {
            "sample": True, "title": f"{name} {deed}", "date": day, "author": "Ban Tuyên giáo (mẫu)",
            "summary": f"Câu chuyện về {name} {deed} ở {rng.choice(OLD_UNITS)}.", "people": [pid],
            "units": [_unit_on(day, rng, old, new)], "tags": rng.sample(TAGS, 2),
        }, _body(rng, name, deed))
    for i in range(max(3, n // 10)):
        day = _day(rng)
        out.write("models", f"m{i:05d}", {
            "sample": True, "title": f"Mô hình {rng.choice(DEEDS)} số {i}", "kind": rng.choice(["mô hình mới", "cách làm hay", "nhân tố mới"]),
            "field": rng.choice(["Giảm nghèo", "Môi trường", "Dân vận", "Giáo dục", "Kinh tế biển"]), "unit": _unit_on(day, rng, old, new),
            "started": day, "summary": rng.choice(SENTENCES), "results": [{"text": "Số hộ hưởng lợi", "value": rng.randint(5, 200), "measure": "hộ"}],
        })
    for i in range(max(3, n // 10)):
        day = _day(rng)
        pid, _ = rng.choice(people)
        out.write("commendations", f"c{i:05d}", {
            "sample": True, "form": rng.choice(["Bằng khen", "Giấy khen", "Danh hiệu thi đua"]), "title": rng.choice(["Chiến sĩ thi đua cơ sở", "Lao động tiên tiến", "Người tốt, việc tốt"]),
            "issuer": "Ủy ban nhân dân (mẫu)", "decision_number": f"{i}/QĐ-UBND", "decision_date": day,
            "recipients": [{"person": pid}, {"unit": _unit_on(day, rng, old, new)}], "reason": rng.choice(SENTENCES),
        })
    for i in range(max(2, n // 50)):
        unit = rng.choice(old)
        out.write("honours", f"h{i:05d}", {"sample": True, "unit": unit, "year": 2024, "title": "chi bộ bốn tốt", "criteria_set": "bon-tot", "criteria_met": ["tieu-chi-1", "tieu-chi-2"]})
    projects = [f"pr{i}" for i in range(5)]
    for pid in projects:
        out.write("projects", pid, {
            "sample": True, "title": f"Công trình trọng điểm {pid}", "summary": rng.choice(SENTENCES), "location": "Đức Phổ", "units": [rng.choice(new)],
            "status": "đang thi công", "progress": [{"date": date(2025, 1, 1), "percent": 30}, {"date": date(2026, 1, 1), "percent": 70}],
        })
    for unit in new:
        out.write("indicators", f"i-{unit}", {
            "sample": True, "title": "Tỷ lệ hộ nghèo đa chiều", "unit": unit, "baseline": {"year": 2025, "value": round(rng.uniform(3, 9), 1)},
            "targets": [{"year": 2026, "value": round(rng.uniform(2, 6), 1)}], "actuals": [{"year": 2026, "value": round(rng.uniform(2, 6), 1)}],
            "source": "Số liệu tổng hợp (mẫu)",
        })
    out.write("campaigns", "dot-thi-dua-mau", {
        "sample": True, "plan": {"issuer": "Ban Thường vụ (mẫu)"}, "short_title": "Đợt thi đua mẫu", "title": "Đợt thi đua mẫu",
        "signer": "Bí thư (mẫu)", "theme": "Chủ đề mẫu", "slogans": ["Khẩu hiệu mẫu"],
        "phases": [{"name": "Giai đoạn 1", "end": "2025-08", "goals": ["Mục tiêu"]}, {"name": "Giai đoạn 2", "start": "2025-09", "end": "2026-07", "goals": ["Mục tiêu"]}],
        "reviews": [{"kind": "tổng kết", "month": "2026-08", "source": "mẫu"}], "key_projects": projects, "poverty_indicator": f"i-{new[0]}",
    })
    return out.counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bulletin.synthetic", description=__doc__)
    parser.add_argument("n", type=int, help="số câu chuyện")
    parser.add_argument("out", type=Path, help="thư mục dự án (ghi vào OUT/data)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    counts = generate(args.out, args.n, args.seed)
    print(", ".join(f"{count} {name}" for name, count in counts.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
