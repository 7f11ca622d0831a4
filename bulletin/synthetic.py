"""Synthetic data sets of any size, for benchmarks and scale tests.

`python -m bulletin.synthetic N OUT_DIR [--seed S]` writes N stories and proportional numbers of
every other record type under OUT_DIR/data/: people N/5, models N/10, commendations N/10,
collective honours N/50 (capped by the party cells that exist), 39 units across the
1 July 2025 reorganisation, 5 or more projects, a poverty indicator for the town and for each
ward or commune (before and after), two criteria sets and one campaign.

The data are fictional (every record carries ``sample: true``), deterministic for a seed and
valid for `python -m bulletin check`: every reference resolves, a story, model or commendation
only names units that existed on its date, and everyone named has consented to "tên" and
"câu chuyện" before the first story about them. The text is Vietnamese built from phrase lists,
so page sizes, diacritics and search folding are realistic. Files are written with PyYAML.
"""

from __future__ import annotations

import argparse
import bisect
import random
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import yaml

from .vietnamese import slugify


class _Dumper(yaml.CSafeDumper):
    """libyaml's emitter (the loader needs libyaml too); never anchors (&id001) for values that
    happen to repeat."""

    def ignore_aliases(self, data: object) -> bool:
        return True


CHANGE_DAY = date(2025, 7, 1)  # NQ 1677/NQ-UBTVQH15: no district level from this day
START, END = date(2024, 8, 1), date(2026, 8, 31)
CAMPAIGN = "dot-thi-dua-mau"
CHANGE_BASIS = {
    "number": "1677/NQ-UBTVQH15",
    "issuer": "Ủy ban Thường vụ Quốc hội",
    "date": date(2025, 6, 16),
    "title": "Sắp xếp các đơn vị hành chính cấp xã của tỉnh Quảng Ngãi năm 2025",
}

# --- Names ----------------------------------------------------------------------------------
FAMILY = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Huỳnh",
    "Võ",
    "Phan",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
    "Dương",
    "Lý",
    "Trương",
    "Đinh",
    "Lương",
    "Đoàn",
    "Tạ",
    "Châu",
]
MIDDLE_MEN = ["Văn", "Minh", "Đức", "Thanh", "Hữu", "Quang", "Công", "Xuân", "Tấn", "Ngọc", "Quốc", "Đình"]
MIDDLE_WOMEN = ["Thị", "Thị", "Thị", "Ngọc", "Thanh", "Thu", "Kim", "Mỹ", "Bích", "Hồng"]
GIVEN_MEN = [
    "An",
    "Bình",
    "Cường",
    "Dũng",
    "Đạt",
    "Hải",
    "Hùng",
    "Huy",
    "Khoa",
    "Long",
    "Lộc",
    "Nam",
    "Phúc",
    "Quân",
    "Sơn",
    "Tâm",
    "Thắng",
    "Toàn",
    "Trung",
    "Tuấn",
    "Việt",
    "Vinh",
    "Lực",
    "Hiếu",
]
GIVEN_WOMEN = [
    "Anh",
    "Châu",
    "Diệu",
    "Đào",
    "Giang",
    "Hà",
    "Hạnh",
    "Hoa",
    "Hòa",
    "Hương",
    "Lan",
    "Linh",
    "Mai",
    "Nga",
    "Ngọc",
    "Nhung",
    "Oanh",
    "Phương",
    "Thảo",
    "Thủy",
    "Trang",
    "Uyên",
    "Vy",
    "Yến",
]

# --- Places ---------------------------------------------------------------------------------
# Old wards (P.) and communes (X.) of thị xã Đức Phổ and the unit each became on 1/7/2025.
OLD_UNITS = [  # (name, kind, new unit)
    ("Nguyễn Nghiêm", "phường", "Đức Phổ"),
    ("Phổ Hòa", "phường", "Đức Phổ"),
    ("Phổ Minh", "phường", "Đức Phổ"),
    ("Phổ Vinh", "phường", "Đức Phổ"),
    ("Phổ Ninh", "phường", "Đức Phổ"),
    ("Phổ Văn", "phường", "Trà Câu"),
    ("Phổ Quang", "phường", "Trà Câu"),
    ("Phổ An", "xã", "Trà Câu"),
    ("Phổ Thuận", "xã", "Trà Câu"),
    ("Phổ Thạnh", "phường", "Sa Huỳnh"),
    ("Phổ Châu", "xã", "Sa Huỳnh"),
    ("Phổ Nhơn", "xã", "Nguyễn Nghiêm"),
    ("Phổ Phong", "xã", "Nguyễn Nghiêm"),
    ("Phổ Khánh", "xã", "Khánh Cường"),
    ("Phổ Cường", "xã", "Khánh Cường"),
]
NEW_UNITS = [("Đức Phổ", "phường"), ("Trà Câu", "phường"), ("Sa Huỳnh", "phường"), ("Nguyễn Nghiêm", "xã"), ("Khánh Cường", "xã")]
VILLAGES = [
    "Thạch Bi",
    "An Thọ",
    "Tân Điền",
    "Vĩnh An",
    "Hải Tân",
    "Mỹ Trang",
    "Long Thạnh",
    "Trung Hòa",
    "Đông Quang",
    "Châu Me",
    "Thạch Trụ",
    "Lâm Bình",
    "Hiệp An",
    "Vạn Lý",
    "Phước Thịnh",
    "La Hà",
    "Văn Bân",
    "Hòa Thạnh",
]
CELLS = [
    ("thôn An Thọ", 11),
    ("thôn Tân Điền", 7),
    ("thôn Vĩnh An", 13),
    ("tổ dân phố Thạch Bi", 9),
    ("khu dân cư Long Thạnh", 0),
    ("thôn Hải Tân", 14),
]  # (name, index of its old unit)
MARKETS = ["Trà Câu", "Sa Huỳnh", "Thạch Trụ", "Mỹ Trang", "Phổ Châu", "Đức Phổ"]
RIVERS = ["sông Trà Câu", "sông Thoa", "sông Ró", "bàu Nhơn Thọ", "cửa biển Mỹ Á", "đầm An Khê"]

# --- Phrases --------------------------------------------------------------------------------
ROLES = [  # (role, woman?, party member?, lives by)
    ("Ngư dân", False, False, "bám biển mưu sinh"),
    ("Thuyền trưởng tàu cá", False, True, "bám biển mưu sinh"),
    ("Nông dân", None, False, "làm ruộng và chăn nuôi"),
    ("Tiểu thương chợ {market}", True, False, "buôn bán nhỏ ở chợ"),
    ("Giáo viên Trường Tiểu học {village}", None, True, "đứng lớp và chăm lo cho học trò"),
    ("Cựu chiến binh", False, True, "làm vườn và tham gia công tác hội"),
    ("Bí thư chi bộ thôn {village}", None, True, "lo việc chung của thôn"),
    ("Trưởng thôn {village}", None, True, "lo việc chung của thôn"),
    ("Đoàn viên thanh niên", None, False, "làm công nhân ở khu công nghiệp"),
    ("Chi hội trưởng phụ nữ thôn {village}", True, True, "buôn bán và làm công tác hội"),
    ("Y sĩ trạm y tế", None, True, "khám bệnh cho bà con"),
    ("Công an viên", False, True, "giữ gìn an ninh trật tự ở thôn"),
    ("Chủ hợp tác xã nông nghiệp", None, False, "làm kinh tế hợp tác"),
    ("Học sinh lớp 9", None, False, "vừa học vừa phụ giúp gia đình"),
]
DEEDS = [  # (what was done, tags, sentences about it)
    (
        "trả lại chiếc ví có {money} cho người đánh rơi",
        ["trả của rơi"],
        [
            "Trong ví còn có giấy tờ tùy thân và thẻ ngân hàng của một người buôn bán ở chợ {market}.",
            "{Hon} mang chiếc ví đến Công an {unit} nhờ xác minh, tìm người đánh rơi.",
            "Chỉ sau nửa ngày, người đánh rơi đã nhận lại đầy đủ tài sản và ngỏ ý hậu tạ nhưng {hon} một mực từ chối.",
        ],
    ),
    (
        "cứu hai em nhỏ bị đuối nước ở {river}",
        ["cứu người", "an toàn sông nước"],
        [
            "Nghe tiếng kêu cứu, {hon} không kịp cởi áo, lao ngay xuống dòng nước đang chảy xiết.",
            "Sau nhiều phút vật lộn, {hon} đưa được cả hai em vào bờ và cùng bà con sơ cứu kịp thời.",
            "Hai em nhỏ được đưa đến Trạm Y tế {unit} theo dõi, sức khỏe nay đã ổn định.",
        ],
    ),
    (
        "hiến {area} m² đất để mở rộng đường thôn",
        ["hiến đất", "nông thôn mới"],
        [
            "Con đường bê tông qua thôn {village} trước đây chỉ rộng hơn hai mét, xe cứu thương không vào được.",
            "{Hon} tự nguyện dỡ hàng rào, chặt bỏ hàng cây đang cho thu hoạch để nhường đất làm đường.",
            "Thấy {hon} làm trước, nhiều hộ lân cận cũng đồng thuận hiến đất, không đòi bồi thường.",
        ],
    ),
    (
        "giúp {count} hộ nghèo sửa lại nhà trước mùa mưa bão",
        ["giảm nghèo", "nhà ở"],
        [
            "Những căn nhà tạm lợp tôn cũ, vách ván mục là nỗi lo của nhiều gia đình mỗi khi mùa mưa bão đến.",
            "{Hon} vận động người thân, bạn bè góp tiền, góp công và tự mình đứng ra trông coi thợ.",
            "Sau hơn một tháng, {count} căn nhà đã được gia cố mái, xây lại tường, kịp đón mùa mưa.",
        ],
    ),
    (
        "tình nguyện hiến máu lần thứ {times}",
        ["hiến máu", "nhân đạo"],
        [
            "Lần đầu hiến máu từ thời còn là sinh viên, đến nay {hon} đã {times} lần góp những giọt máu quý.",
            "Mỗi đợt Hội Chữ thập đỏ tổ chức ngày hội hiến máu, {hon} đều có mặt từ sớm và rủ thêm bạn bè.",
            "Nhóm máu hiếm của {hon} đã nhiều lần kịp thời giúp bệnh nhân cấp cứu ở bệnh viện khu vực.",
        ],
    ),
    (
        "mở lớp học tiếng Anh miễn phí cho trẻ em vùng biển",
        ["giáo dục", "khuyến học"],
        [
            "Lớp học đặt ngay trong nhà văn hóa thôn {village}, mở vào các buổi tối thứ Ba, thứ Năm và thứ Bảy.",
            "Sách vở, bảng viết do {hon} tự bỏ tiền mua, một số được các nhà hảo tâm gửi tặng.",
            "Sau hai năm, nhiều em đã tự tin giao tiếp và đạt kết quả cao trong các kỳ thi của trường.",
        ],
    ),
    (
        "duy trì việc dọn rác bờ biển mỗi sáng Chủ nhật",
        ["môi trường", "biển đảo"],
        [
            "Bãi biển {village} từng ngập rác thải nhựa sau mỗi trận gió mùa.",
            "Mỗi sáng Chủ nhật, {hon} cùng nhóm bạn mang bao tải, găng tay ra nhặt rác từ đầu bãi đến cuối bãi.",
            "Rác thu gom được phân loại, phần tái chế bán lấy tiền mua quà cho học sinh nghèo.",
        ],
    ),
    (
        "cứu {count} ngư dân gặp nạn trên biển",
        ["cứu người", "biển đảo"],
        [
            "Đang đánh bắt cách bờ hơn {miles} hải lý, {hon} nhận được tín hiệu cầu cứu qua máy bộ đàm.",
            "Dù sóng to gió lớn, {hon} vẫn quyết định cho tàu quay lại, tiếp cận chiếc thuyền bị chìm.",
            "Cả {count} ngư dân được cứu lên tàu an toàn và đưa về cảng Sa Huỳnh.",
        ],
    ),
    (
        "vận động bà con góp công làm đường bê tông",
        ["dân vận khéo", "nông thôn mới"],
        [
            "Trong các buổi họp thôn, {hon} kiên trì giải thích lợi ích của con đường cho từng hộ.",
            "Nhà nào khó khăn thì góp ngày công, nhà nào khá hơn thì góp thêm xi măng, cát, đá.",
            "Sau ba tháng, tuyến đường dài gần {area} mét đã hoàn thành, bà con đi lại thuận tiện.",
        ],
    ),
    (
        "chăm sóc Mẹ Việt Nam anh hùng suốt nhiều năm",
        ["đền ơn đáp nghĩa"],
        [
            "Mẹ năm nay đã ngoài chín mươi tuổi, sống một mình trong căn nhà nhỏ ở thôn {village}.",
            "Ngày nào {hon} cũng ghé qua nấu cơm, dọn dẹp nhà cửa và trò chuyện với mẹ.",
            "Những dịp lễ, Tết, {hon} lại vận động đoàn viên đến thăm, tặng quà cho mẹ.",
        ],
    ),
    (
        "lắp {count} bóng đèn chiếu sáng đường quê",
        ["thắp sáng đường quê", "an ninh trật tự"],
        [
            "Đoạn đường từ thôn {village} ra quốc lộ trước kia tối om, nhiều vụ tai nạn đã xảy ra.",
            "{Hon} bỏ tiền mua dây điện, bóng đèn, cùng thanh niên trong thôn dựng cột, kéo dây.",
            "Nay cả tuyến đường đã sáng đèn, người dân yên tâm đi lại vào ban đêm.",
        ],
    ),
    (
        "giúp bà con chuyển đổi sang trồng giống lúa chịu hạn",
        ["nông nghiệp", "kinh tế"],
        [
            "Những năm gần đây, nhiều cánh đồng ở thôn {village} thường xuyên thiếu nước vào vụ hè thu.",
            "{Hon} tìm hiểu, trồng thử giống lúa mới trên ruộng nhà, rồi hướng dẫn lại cho bà con.",
            "Năng suất vụ đầu tiên tăng gần một phần năm, nhiều hộ đã đăng ký chuyển đổi.",
        ],
    ),
    (
        "trao {count} suất học bổng cho học sinh nghèo vượt khó",
        ["khuyến học", "giáo dục"],
        [
            "Từ tiền tiết kiệm của gia đình, {hon} lập một quỹ nhỏ mang tên «Tiếp bước đến trường».",
            "Mỗi năm học mới, quỹ trao {count} suất học bổng cho các em có hoàn cảnh khó khăn.",
            "Nhiều em nhận học bổng năm trước nay đã vào đại học và quay lại góp sức cho quỹ.",
        ],
    ),
    (
        "hướng dẫn người cao tuổi làm thủ tục trên Cổng dịch vụ công",
        ["chuyển đổi số"],
        [
            "Nhiều người cao tuổi ở thôn {village} lúng túng khi phải làm thủ tục trên điện thoại.",
            "{Hon} kiên nhẫn cầm tay chỉ việc, từ cài ứng dụng đến nộp hồ sơ và tra cứu kết quả.",
            "Đến nay đã có hơn {count} người được hướng dẫn, tiết kiệm nhiều thời gian đi lại.",
        ],
    ),
    (
        "phát hiện và dập tắt đám cháy rừng",
        ["phòng cháy", "bảo vệ rừng"],
        [
            "Buổi trưa nắng nóng, {hon} phát hiện khói bốc lên từ khu rừng keo phía sau thôn {village}.",
            "{Hon} lập tức báo cho lực lượng dân quân và cùng bà con dùng cành cây dập lửa.",
            "Nhờ phát hiện sớm, đám cháy được khống chế, không lan sang diện tích rừng trồng xung quanh.",
        ],
    ),
]
EVENTS = [  # news pieces about a unit: (what was done, tags, sentences about it)
    (
        "ra quân làm sạch môi trường hưởng ứng ngày Chủ nhật xanh",
        ["môi trường", "thanh niên"],
        [
            "Hàng trăm đoàn viên, hội viên và người dân đã tham gia thu gom rác, phát quang bụi rậm.",
            "Các tuyến đường chính, bãi biển và khu vực chợ {market} được làm sạch sau một buổi sáng.",
        ],
    ),
    (
        "bàn giao {count} nhà đại đoàn kết cho hộ nghèo",
        ["giảm nghèo", "nhà ở"],
        [
            "Mỗi căn nhà được hỗ trợ từ Quỹ «Vì người nghèo» và ngày công của bà con lối xóm.",
            "Các hộ nhận nhà đều là hộ nghèo đa chiều, thiếu hụt về nhà ở theo kết quả rà soát năm trước.",
        ],
    ),
    (
        "tổ chức ngày hội hiến máu tình nguyện",
        ["hiến máu", "nhân đạo"],
        [
            "Ngày hội thu hút đông đảo cán bộ, công chức, đoàn viên và người dân tham gia.",
            "Số đơn vị máu tiếp nhận được chuyển về bệnh viện khu vực phục vụ cấp cứu, điều trị.",
        ],
    ),
    (
        "ra mắt mô hình «Camera an ninh tự quản»",
        ["an ninh trật tự", "chuyển đổi số"],
        [
            "Hệ thống gồm {count} camera đặt tại các ngã ba, ngã tư và khu vực đông dân cư.",
            "Kinh phí lắp đặt do người dân tự nguyện đóng góp, lực lượng công an hỗ trợ kỹ thuật.",
        ],
    ),
    (
        "tuyên dương điển hình «người tốt, việc tốt»",
        ["người tốt việc tốt", "khen thưởng"],
        [
            "{count} tập thể, cá nhân được biểu dương vì có thành tích tiêu biểu trong phong trào thi đua.",
            "Nhiều tấm gương là người lao động bình dị, học sinh, ngư dân, cựu chiến binh.",
        ],
    ),
    (
        "sơ kết phong trào thi đua «Dân vận khéo»",
        ["dân vận khéo"],
        [
            "Hội nghị đánh giá kết quả thực hiện phong trào và biểu dương các mô hình tiêu biểu.",
            "Nhiều cách làm hay được đề nghị nhân rộng ra các thôn, tổ dân phố trong thời gian tới.",
        ],
    ),
]
CONTEXT = [
    "{Name} năm nay {age} tuổi, nhiều năm gắn bó với thôn {village}.",
    "Gia đình {hon} không khá giả, quanh năm {livelihood}.",
    "Ở thôn {village}, ai cũng biết {hon} {given} là người chịu khó, sống có nghĩa có tình.",
    "Câu chuyện bắt đầu từ một buổi {timeofday} cuối tháng {month}, khi {hon} đang trên đường {errand}.",
    "Ít ai nghĩ người {role_lower} ấy lại làm được nhiều việc tốt đến vậy.",
    "Với {hon} {given}, giúp người khác là việc tự nhiên như hơi thở, không cần ai nhắc nhở.",
]
DETAILS = [
    "Việc làm giản dị nhưng ý nghĩa đã được bà con trong khu dân cư ghi nhận và lan tỏa.",
    "Chi bộ thôn {village} đã biểu dương kịp thời và đề nghị cấp trên khen thưởng.",
    "Nhiều gia đình khác đã học tập và làm theo, góp phần giữ vững an ninh trật tự ở địa phương.",
    "Ủy ban Mặt trận Tổ quốc đã đưa câu chuyện vào buổi sinh hoạt chuyên đề của khu dân cư.",
    "Đây là minh chứng sinh động cho tinh thần tương thân tương ái của người dân vùng biển.",
    "Đoàn viên, hội viên cùng tham gia với tinh thần tự nguyện, không ngại khó khăn, vất vả.",
    "Số tiền, ngày công đóng góp tuy không lớn nhưng xuất phát từ tấm lòng của mỗi người.",
    "Cán bộ thôn thường xuyên nắm bắt tâm tư, nguyện vọng của bà con để kịp thời hỗ trợ.",
    "Những việc làm ấy không ồn ào nhưng bền bỉ, lặng lẽ qua năm tháng.",
    "Bà con lối xóm vẫn kể cho nhau nghe câu chuyện ấy trong những buổi họp thôn.",
    "Trong những ngày mưa bão, tinh thần ấy càng được thể hiện rõ nét hơn bao giờ hết.",
    "Chính quyền địa phương đánh giá cao tinh thần trách nhiệm và sự nhiệt tình của {hon}.",
]
QUOTES = [
    "Tôi chỉ làm những việc mà ai ở vào hoàn cảnh ấy cũng sẽ làm",
    "Thấy bà con còn khó khăn thì mình giúp được chút nào hay chút ấy",
    "Làm việc tốt không cần ai biết, chỉ cần lòng mình thấy thanh thản",
    "Quê mình còn nghèo, mỗi người góp một tay thì việc gì cũng xong",
    "Mình sống ở đây thì phải lo cho nơi mình ở, không đợi ai nhắc",
    "Mình khỏe thì mình làm, giúp được ai thì giúp, có gì đâu mà khen",
    "Bà con tin mình thì mình phải làm cho đến nơi đến chốn",
]
HEADINGS = [
    "Lan tỏa trong cộng đồng",
    "Việc nhỏ, ý nghĩa lớn",
    "Tấm gương bình dị",
    "Được bà con tin yêu",
    "Nhân rộng điển hình",
    "Từ một việc làm đẹp",
]
REACTIONS = [
    "Ông {other_man}, một người dân trong thôn, cho biết: «Nhờ có {hon} mà bà con chúng tôi yên tâm hơn nhiều».",
    "Bí thư chi bộ thôn {village} nhận xét {hon} luôn gương mẫu, nói đi đôi với làm.",
    "Chị {other_woman}, hàng xóm của {hon}, kể rằng từ ngày có việc làm ấy, xóm nhỏ trở nên gắn bó hơn.",
    "Hội Liên hiệp Phụ nữ và Đoàn Thanh niên đã chọn câu chuyện này để tuyên truyền trong sinh hoạt chi hội.",
    "Câu chuyện được chia sẻ rộng rãi trên trang thông tin điện tử và nhóm Zalo của khu dân cư.",
    "Nhiều bạn trẻ đã tìm đến {hon} để hỏi cách tham gia những việc làm tương tự.",
]
LIST_ITEMS = [
    "Thăm hỏi, tặng quà cho {count} hộ có hoàn cảnh khó khăn",
    "Tham gia {times} buổi ra quân làm sạch môi trường",
    "Vận động {count} hộ ký cam kết không xả rác ra biển",
    "Đóng góp hơn {area} ngày công làm đường giao thông nông thôn",
    "Hướng dẫn bà con cài đặt ứng dụng định danh điện tử",
    "Hỗ trợ {count} học sinh nghèo sách vở, đồ dùng học tập",
    "Tham gia tuần tra, giữ gìn an ninh trật tự vào ban đêm",
]
SPREADS = [
    "Phong trào thi đua cao điểm đã tạo động lực để mỗi người dân góp sức xây dựng quê hương Đức Phổ.",
    "Người dân mong những việc làm như vậy được duy trì thường xuyên và nhân rộng ra các thôn, tổ dân phố.",
    "Từ một việc làm nhỏ, tinh thần «người tốt, việc tốt» đã lan tỏa đến nhiều gia đình trong {unit}.",
    "Những tấm gương như thế góp phần làm nên sức sống của phong trào thi đua ở cơ sở.",
    "Đây cũng là nội dung được chọn để tuyên truyền trong các buổi sinh hoạt chi bộ định kỳ.",
]
CLOSINGS = [
    "Ghi nhận những đóng góp ấy, {unit} đã đề nghị biểu dương, khen thưởng trong đợt sơ kết phong trào.",
    "Câu chuyện của {hon} {given} là một trong những điển hình được giới thiệu trong đợt thi đua cao điểm.",
    "Thời gian tới, địa phương sẽ tiếp tục phát hiện, bồi dưỡng và nhân rộng những điển hình như vậy.",
    "Những việc làm ấy góp phần thực hiện thắng lợi các mục tiêu của đợt thi đua cao điểm trên địa bàn.",
]
TIMES_OF_DAY = ["sáng sớm", "buổi trưa", "chiều muộn", "tối"]
ERRANDS = ["đi chợ", "ra đồng", "đưa con đi học", "ra bến thuyền", "đi làm về", "đến nhà văn hóa thôn"]
MONEY = ["5 triệu đồng", "8 triệu đồng", "12 triệu đồng", "30 triệu đồng", "hơn 45 triệu đồng", "một chỉ vàng"]
AUTHORS = [
    "Ban Tuyên giáo (bài mẫu)",
    "Trung tâm Văn hóa - Thông tin (bài mẫu)",
    "Cộng tác viên cơ sở (bài mẫu)",
    "Đài Truyền thanh phường (bài mẫu)",
]
MODEL_NAMES = [  # (name, field, what it did, measure)
    ("Tổ tự quản bảo vệ môi trường biển", "Môi trường", "thu gom rác thải ven biển", "tấn rác"),
    ("Chợ không túi ni lông", "Môi trường", "giảm túi ni lông ở chợ", "tiểu thương"),
    ("Cho mượn bò giống giúp hộ nghèo", "Giảm nghèo", "giúp hộ nghèo có sinh kế", "hộ"),
    ("Dân vận khéo trong hiến đất làm đường", "Dân vận", "vận động hiến đất", "m² đất"),
    ("Lớp học tình thương", "Giáo dục", "phụ đạo miễn phí cho học sinh", "học sinh"),
    ("Hợp tác xã rau an toàn", "Kinh tế", "liên kết sản xuất rau an toàn", "hộ thành viên"),
    ("Tổ đoàn kết ngư dân trên biển", "Kinh tế biển", "hỗ trợ nhau khi đánh bắt xa bờ", "tàu cá"),
    ("Ký số trên điện thoại cho người dân", "Chuyển đổi số", "hướng dẫn dịch vụ công trực tuyến", "hồ sơ"),
    ("Đường điện chiếu sáng tự quản", "An ninh trật tự", "thắp sáng đường quê", "km đường"),
    ("Mỗi chi bộ một công trình dân vận", "Xây dựng Đảng", "gắn sinh hoạt chi bộ với việc cụ thể", "công trình"),
    ("Nhóm Zalo an ninh khu dân cư", "An ninh trật tự", "kết nối người dân với công an", "thành viên"),
    ("Quỹ khuyến học dòng họ", "Giáo dục", "khuyến học, khuyến tài", "suất học bổng"),
]
MODEL_SENTENCES = [
    "Mô hình ra đời từ chính nhu cầu của người dân và được chi bộ đưa vào nghị quyết sinh hoạt.",
    "Mỗi tháng, ban điều hành họp một lần để phân công việc và công khai thu chi.",
    "Kinh phí chủ yếu do người dân tự nguyện đóng góp, chính quyền hỗ trợ một phần.",
    "Cách làm đơn giản, ít tốn kém nên dễ duy trì và dễ nhân rộng.",
    "Sau một thời gian thực hiện, bộ mặt khu dân cư đã có nhiều thay đổi rõ rệt.",
    "Các đoàn thể chính trị - xã hội cùng tham gia, mỗi tổ chức phụ trách một phần việc.",
    "Mô hình được đánh giá cao trong hội nghị sơ kết phong trào thi đua cao điểm.",
    "Khó khăn lớn nhất lúc đầu là thay đổi thói quen của một bộ phận người dân.",
]
PROJECTS = [  # (title, location, investor)
    ("Công trình cầu qua sông Trà Câu (mẫu)", "khu vực trung tâm", "Ban Quản lý dự án đầu tư xây dựng khu vực (mẫu)"),
    ("Cột cờ trên đỉnh núi (mẫu)", "đỉnh núi phía tây", "Ủy ban nhân dân thị xã (mẫu)"),
    ("Chỉnh trang tuyến đường trung tâm (mẫu)", "tuyến đường trung tâm", "Ban Quản lý dự án đầu tư xây dựng khu vực (mẫu)"),
    ("Hệ thống thoát nước khu đô thị (mẫu)", "từ cầu Bàu đến sông Ró", "Ban Quản lý dự án đầu tư xây dựng khu vực (mẫu)"),
    ("Xây dựng xã nông thôn mới nâng cao (mẫu)", "xã được chọn", "Ủy ban nhân dân xã (mẫu)"),
    ("Kè chống sạt lở bờ biển (mẫu)", "bờ biển phía nam", "Ban Quản lý dự án nông nghiệp (mẫu)"),
    ("Trường tiểu học đạt chuẩn quốc gia (mẫu)", "khu dân cư mới", "Ủy ban nhân dân phường (mẫu)"),
    ("Nhà văn hóa thôn (mẫu)", "thôn đông dân cư", "Ủy ban nhân dân xã (mẫu)"),
]


# --- Writing --------------------------------------------------------------------------------
class _Writer:
    def __init__(self, root: Path):
        self.data = root / "data"
        self.counts: dict[str, int] = {}

    def write(self, collection: str, record_id: str, record: dict, body: str | None = None) -> None:
        folder = self.data / collection
        folder.mkdir(parents=True, exist_ok=True)
        text = yaml.dump({"sample": True, **record}, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)
        if body is None:
            (folder / f"{record_id}.yml").write_text(text, encoding="utf-8")
        else:
            (folder / f"{record_id}.md").write_text(f"---\n{text}---\n\n{body}\n", encoding="utf-8")
        self.counts[collection] = self.counts.get(collection, 0) + 1


def _record_id(text: str, number: int, limit: int = 60) -> str:
    slug = slugify(text)[:limit].rstrip("-")
    return f"{slug}-{number}" if slug else str(number)


def _day(rng: random.Random, start: date = START, end: date = END) -> date:
    return start + timedelta(days=rng.randrange((end - start).days + 1))


def lower_first(text: str) -> str:
    """«Phường Sa Huỳnh» in running text: «phường Sa Huỳnh» (proper names keep their capitals)."""
    return text[:1].lower() + text[1:]


def _vn_date(day: date) -> str:
    return f"{day.day}/{day.month}/{day.year}"


# --- Units ----------------------------------------------------------------------------------
@dataclass
class _Units:
    old: list[tuple[str, str]]  # (id, name) of the wards/communes before 1/7/2025
    new: list[tuple[str, str]]  # after
    successor: dict[int, int]  # old index -> new index
    cells: list[tuple[str, str, date | None, date | None, str]]  # party cells (id, name, from, to, parent)
    party: list[tuple[str, str, date | None, date | None]]  # party committees of wards

    def area(self, old_index: int, day: date) -> tuple[str, str]:
        """The ward/commune covering an old area on a given day."""
        return self.old[old_index] if day < CHANGE_DAY else self.new[self.successor[old_index]]

    def of_day(self, rng: random.Random, day: date) -> tuple[str, str]:
        return rng.choice(self.old if day < CHANGE_DAY else self.new)

    def party_in_year(self, year: int) -> list[tuple[str, str, str]]:
        """(id, name, title) of the party organisations existing some time in ``year``."""
        first, last = date(year, 1, 1), date(year + 1, 1, 1)
        return [
            (uid, name, "chi bộ bốn tốt" if name.startswith("Chi bộ") else "đảng bộ cơ sở bốn tốt")
            for uid, name, since, until, *_ in self.cells + self.party
            if (since is None or since < last) and (until is None or until > first)
        ]


def _write_units(out: _Writer) -> _Units:
    out.write("units", "tinh-quang-ngai", {"name": "Tỉnh Quảng Ngãi", "kind": "tỉnh"})
    # Old and new ids never collide: the one shared name is a phường before and a xã after.
    new = [(slugify(f"{kind} {name}"), f"{kind.capitalize()} {name}") for name, kind in NEW_UNITS]
    old = [(slugify(f"{kind} {name}"), f"{kind.capitalize()} {name}") for name, kind, _ in OLD_UNITS]
    successor = {i: [n for n, _ in NEW_UNITS].index(target) for i, (_, _, target) in enumerate(OLD_UNITS)}
    out.write(
        "units",
        "thi-xa-duc-pho",
        {
            "name": "Thị xã Đức Phổ",
            "kind": "thị xã",
            "parent": "tinh-quang-ngai",
            "valid_to": CHANGE_DAY,
            "territory_to": [uid for uid, _ in new],
            "change_basis": CHANGE_BASIS,
            "note": "Từ ngày 1/7/2025 không còn cấp huyện; địa bàn thị xã chia cho 3 phường và 2 xã mới.",
        },
    )
    out.write(
        "units",
        "dang-bo-thi-xa-duc-pho",
        {
            "name": "Đảng bộ thị xã Đức Phổ",
            "kind": "đảng bộ",
            "parent": "tinh-quang-ngai",
            "valid_to": CHANGE_DAY,
        },
    )
    for index, (uid, name) in enumerate(old):
        out.write(
            "units",
            uid,
            {
                "name": name,
                "kind": OLD_UNITS[index][1],
                "parent": "thi-xa-duc-pho",
                "valid_to": CHANGE_DAY,
                "successors": [new[successor[index]][0]],
                "change_basis": CHANGE_BASIS,
            },
        )
    for (uid, name), (_, kind) in zip(new, NEW_UNITS, strict=True):
        sources = ", ".join(old[i][1] for i, target in successor.items() if target == new.index((uid, name)))
        out.write(
            "units",
            uid,
            {
                "name": name,
                "kind": kind,
                "parent": "tinh-quang-ngai",
                "valid_from": CHANGE_DAY,
                "change_basis": CHANGE_BASIS,
                "note": f"Thành lập trên cơ sở {sources}.",
            },
        )
    cells, party = [], []
    for name, old_index in CELLS:
        before = slugify(f"chi bộ {name}")
        after = f"{before}-{slugify(NEW_UNITS[successor[old_index]][0])}"  # same name, new parent
        out.write(
            "units",
            before,
            {
                "name": f"Chi bộ {name}",
                "kind": "chi bộ",
                "parent": old[old_index][0],
                "valid_to": CHANGE_DAY,
                "successors": [after],
            },
        )
        out.write(
            "units",
            after,
            {"name": f"Chi bộ {name}", "kind": "chi bộ", "parent": new[successor[old_index]][0], "valid_from": CHANGE_DAY},
        )
        cells += [
            (before, f"Chi bộ {name}", None, CHANGE_DAY, old[old_index][0]),
            (after, f"Chi bộ {name}", CHANGE_DAY, None, new[successor[old_index]][0]),
        ]
    for old_index in (9, 0):  # Phổ Thạnh -> Sa Huỳnh, Nguyễn Nghiêm -> Đức Phổ
        (old_id, old_name), (new_id, new_name) = old[old_index], new[successor[old_index]]
        before, after = f"dang-bo-{old_id}", f"dang-bo-{new_id}"
        out.write(
            "units",
            before,
            {
                "name": f"Đảng bộ {lower_first(old_name)}",
                "kind": "đảng bộ cơ sở",
                "parent": "dang-bo-thi-xa-duc-pho",
                "valid_to": CHANGE_DAY,
                "successors": [after],
            },
        )
        out.write("units", after, {"name": f"Đảng bộ {lower_first(new_name)}", "kind": "đảng bộ cơ sở", "valid_from": CHANGE_DAY})
        party += [
            (before, f"Đảng bộ {lower_first(old_name)}", None, CHANGE_DAY),
            (after, f"Đảng bộ {lower_first(new_name)}", CHANGE_DAY, None),
        ]
    return _Units(old, new, successor, cells, party)


# --- People ---------------------------------------------------------------------------------
@dataclass
class _Person:
    id: str
    full: str
    given: str
    hon: str  # anh, chị, ông, bà, em
    woman: bool
    role: str
    livelihood: str
    age: int
    area: int  # index of the old ward/commune they live in
    village: str
    since: date  # consent given: no story about them before this day
    member: bool


def _person(rng: random.Random, number: int) -> _Person:
    role, woman, member, livelihood = rng.choice(ROLES)
    woman = rng.random() < 0.5 if woman is None else woman
    middle = rng.choice(MIDDLE_WOMEN if woman else MIDDLE_MEN)
    given = rng.choice(GIVEN_WOMEN if woman else GIVEN_MEN)
    family = rng.choice(FAMILY)
    age = 14 if role.startswith("Học sinh") else rng.randint(24, 78)
    hon = "em" if age < 18 else ("chị" if woman else "anh") if age < 50 else ("bà" if woman else "ông")
    village = rng.choice(VILLAGES)
    role = role.format(market=rng.choice(MARKETS), village=village)
    full = f"{family} {middle} {given}"
    since = _day(rng, date(2024, 6, 1), date(2026, 6, 30))
    area = rng.randrange(len(OLD_UNITS))
    return _Person(
        _record_id(full, number), full, given, hon, woman, role, livelihood, age, area, village, since, member and age >= 18
    )


def _write_person(out: _Writer, rng: random.Random, units: _Units, p: _Person) -> None:
    covers = ["tên", "câu chuyện"]
    if rng.random() < 0.3:
        covers.append("ảnh")
    if p.member and rng.random() < 0.7:
        covers.append("đảng viên")
    honours = []
    for year in range(p.since.year, 2027):
        if "đảng viên" in covers and rng.random() < 0.5:
            honours.append({"year": year, "title": "đảng viên bốn tốt", "criteria_set": "dang-vien-bon-tot"})
        elif rng.random() < 0.4:
            honours.append({"year": year, "title": rng.choice(["người tốt việc tốt", "gương điển hình tiên tiến"])})
    family, middle, given = p.full.split(" ")
    guardian = p.age < 18
    consent = {"covers": covers, "given_on": p.since, "given_by": f"Cha mẹ của em {p.full}" if guardian else p.full}
    if guardian:
        consent["guardian"] = True
    consent["evidence"] = f"Phiếu đồng ý số {rng.randint(1, 999)}/{p.since.year}, lưu tại Ban Tuyên giáo (mẫu)"
    unit = units.area(p.area, p.since)
    body = (
        f"{p.full} là {lower_first(p.role)} ở thôn {p.village}, {lower_first(unit[1])}, quanh năm {p.livelihood}. "
        f"{rng.choice(DETAILS).format(hon=p.hon, village=p.village)} "
        f"Hồ sơ hư cấu dùng để minh họa trang cá nhân điển hình."
    )
    out.write(
        "people",
        p.id,
        {
            "family_name": family,
            "middle_name": middle,
            "given_name": given,
            "unit": unit[0],
            "role": p.role,
            "honours": honours,
            "consent": consent,
        },
        body,
    )


# --- Stories --------------------------------------------------------------------------------
def _fill(rng: random.Random, **known: str) -> dict[str, str]:
    values = {
        "money": rng.choice(MONEY),
        "river": rng.choice(RIVERS),
        "area": str(rng.choice([20, 35, 50, 80, 120, 150, 300])),
        "count": str(rng.randint(3, 25)),
        "miles": str(rng.randint(8, 40)),
        "times": str(rng.randint(5, 42)),
        "market": rng.choice(MARKETS),
        "village": rng.choice(VILLAGES),
        "timeofday": rng.choice(TIMES_OF_DAY),
        "errand": rng.choice(ERRANDS),
        "month": str(rng.randint(1, 12)),
        "other_man": f"{rng.choice(FAMILY)} {rng.choice(MIDDLE_MEN)} {rng.choice(GIVEN_MEN)}",
        "other_woman": f"{rng.choice(FAMILY)} {rng.choice(MIDDLE_WOMEN)} {rng.choice(GIVEN_WOMEN)}",
        "hon": "bà con",
        "given": "",
        "livelihood": "làm ăn",
        "age": "40",
        "role_lower": "dân thường",
    }
    values.update(known)
    values["Hon"] = values["hon"][:1].upper() + values["hon"][1:]
    values["Name"] = values.get("name", values["Hon"])
    return values


def _list(rng: random.Random, values: dict[str, str]) -> str:
    """Three bullet items, each with its own figures."""
    items = []
    for item in rng.sample(LIST_ITEMS, 3):
        figures = {"count": str(rng.randint(3, 40)), "times": str(rng.randint(2, 12)), "area": str(rng.randint(10, 90))}
        items.append(f"- {item.format(**{**values, **figures})};")
    return "\n".join(items)


def _paragraph(rng: random.Random, phrases: list[str], k: int, values: dict[str, str]) -> str:
    return " ".join(s.format(**values) for s in rng.sample(phrases, k))


def _story_body(rng: random.Random, opener: str, specific: list[str], values: dict[str, str], about_person: bool) -> str:
    if about_person:
        context, details, reactions = rng.sample(CONTEXT, 2), rng.sample(DETAILS, 3), rng.sample(REACTIONS, 3)
    else:  # news: no person to describe or quote; details drawn once so none repeats
        pool = rng.sample(DETAILS, 8)
        context, details, reactions = pool[:2], pool[2:5], pool[5:]
    parts = [
        " ".join([opener, *(s.format(**values) for s in context)]),
        " ".join(s.format(**values) for s in specific),
        " ".join(s.format(**values) for s in details),
    ]
    if about_person:
        parts.append(f"«{rng.choice(QUOTES)}», {values['hon']} {values['given']} chia sẻ.")
    if rng.random() < 0.6:
        parts.append(f"## {rng.choice(HEADINGS)}")
    parts.append(" ".join(s.format(**values) for s in reactions))
    if rng.random() < 0.4:
        parts.append("Những việc làm cụ thể trong thời gian qua:")
        parts.append(_list(rng, values))
    parts.append(_paragraph(rng, SPREADS, 3, values))
    closings = CLOSINGS if about_person else [c for c in CLOSINGS if "{given}" not in c]
    parts.append(_paragraph(rng, closings, 2, values))
    return "\n\n".join(parts)


GROUP_TAGS = {
    "Ngư dân": "ngư dân",
    "Thuyền trưởng": "ngư dân",
    "Cựu chiến binh": "cựu chiến binh",
    "Đoàn viên": "thanh niên",
    "Học sinh": "học sinh",
    "Nông dân": "nông dân",
}


def _group_tags(person: _Person) -> list[str]:
    tags = [tag for start, tag in GROUP_TAGS.items() if person.role.startswith(start)]
    return tags + (["phụ nữ"] if person.woman else [])


def _write_stories(out: _Writer, rng: random.Random, n: int, units: _Units, people: list[_Person]) -> None:
    people = sorted(people, key=lambda p: (p.since, p.id))
    since = [p.since for p in people]
    for number in range(1, n + 1):
        day = _day(rng)
        eligible = bisect.bisect_right(since, day)
        tags: list[str] = []
        if eligible and rng.random() < 0.8:  # a good deed by one (or two) consenting people
            person = people[rng.randrange(eligible)]
            unit = units.area(person.area, day)
            deed, tags, specific = rng.choice(DEEDS)
            values = _fill(
                rng,
                hon=person.hon,
                given=person.given,
                name=person.full,
                unit=lower_first(unit[1]),
                village=person.village,
                livelihood=person.livelihood,
                age=str(person.age),
                role_lower=lower_first(person.role),
            )
            deed = deed.format(**values)
            title = f"{values['Hon']} {person.given} {deed}"
            summary = f"{values['Name']} ({lower_first(person.role)}, thôn {person.village}, {unit[1]}) đã {deed}."
            opener = f"Ngày {_vn_date(day)}, tại thôn {person.village}, {lower_first(unit[1])}, {person.full} đã {deed}."
            story_people = [person.id]
            if rng.random() < 0.15:
                story_people.append(people[rng.randrange(eligible)].id)
            about_person = True
            tags = tags + _group_tags(person)
        else:  # news about a unit
            unit = units.of_day(rng, day)
            event, tags, specific = rng.choice(EVENTS)
            values = _fill(rng, unit=lower_first(unit[1]))
            event = event.format(**values)
            title = f"{unit[1]} {event}"
            summary = f"Ngày {_vn_date(day)}, {lower_first(unit[1])} {event}."
            opener = summary
            story_people, about_person = [], False
        story_units = [unit[0]]
        cells = [c[0] for c in units.cells if c[4] == unit[0] and (c[2] is None or c[2] <= day) and (c[3] is None or day < c[3])]
        if cells and rng.random() < 0.5:  # and the party cell of the place, when it has one
            story_units.append(rng.choice(cells))
        out.write(
            "stories",
            _record_id(title, number),
            {
                "title": title,
                "date": day,
                "author": rng.choice(AUTHORS),
                "summary": summary[:400],
                "people": list(dict.fromkeys(story_people)),
                "units": story_units,
                "tags": list(dict.fromkeys([*tags, "thi đua cao điểm"])),
            },
            _story_body(rng, opener, specific, values, about_person),
        )


# --- Other collections ----------------------------------------------------------------------
def _write_criteria(out: _Writer) -> None:
    out.write(
        "criteria",
        "bon-tot-chi-bo",
        {
            "title": "Tiêu chí «chi bộ bốn tốt», «đảng bộ cơ sở bốn tốt» (mẫu)",
            "document": {"number": "78-KH/TU", "issuer": "Ban Thường vụ Thị ủy (mẫu)", "date": date(2022, 11, 15)},
            "applies_to": ["chi bộ bốn tốt", "đảng bộ cơ sở bốn tốt"],
            "criteria": [
                {"id": "nhiem-vu-chinh-tri", "text": "Hoàn thành tốt nhiệm vụ chính trị"},
                {"id": "sinh-hoat", "text": "Chất lượng sinh hoạt tốt"},
                {"id": "doan-ket-ky-luat", "text": "Đoàn kết, kỷ luật tốt"},
                {"id": "doi-ngu", "text": "Xây dựng đội ngũ cán bộ, đảng viên tốt"},
            ],
        },
    )
    out.write(
        "criteria",
        "dang-vien-bon-tot",
        {
            "title": "Tiêu chí «đảng viên bốn tốt» (mẫu)",
            "document": {"number": "79-HD/TU", "issuer": "Ban Tổ chức Thị ủy (mẫu)", "date": date(2023, 2, 20)},
            "applies_to": ["đảng viên bốn tốt"],
            "criteria": [
                {"id": "tu-tuong", "text": "Tư tưởng chính trị vững vàng"},
                {"id": "dao-duc", "text": "Phẩm chất đạo đức, lối sống trong sáng"},
                {"id": "nhiem-vu", "text": "Hoàn thành tốt nhiệm vụ được giao"},
                {"id": "gan-bo-nhan-dan", "text": "Gắn bó mật thiết với nhân dân"},
            ],
        },
    )


def _write_honours(out: _Writer, rng: random.Random, n: int, units: _Units) -> None:
    choices = [(year, *org) for year in (2024, 2025, 2026) for org in units.party_in_year(year)]
    for year, uid, name, title in sorted(rng.sample(choices, min(len(choices), max(3, n // 50)))):
        met = ["nhiem-vu-chinh-tri", "sinh-hoat", "doan-ket-ky-luat", "doi-ngu"]
        out.write(
            "honours",
            f"{uid}-{year}",
            {
                "unit": uid,
                "year": year,
                "title": title,
                "criteria_set": "bon-tot-chi-bo",
                "criteria_met": met[: rng.randint(3, 4)],
                "decision": {
                    "number": f"{rng.randint(100, 999)}-QĐ/ĐU",
                    "issuer": f"Ban Thường vụ cấp trên của {name} (mẫu)",
                    "date": date(year, 12, rng.randint(10, 28)),
                },
            },
        )


def _write_models(out: _Writer, rng: random.Random, n: int, units: _Units) -> None:
    for number in range(1, max(3, n // 10) + 1):
        name, field, purpose, measure = rng.choice(MODEL_NAMES)
        day = _day(rng, date(2024, 8, 1), date(2026, 6, 30))
        unit = units.of_day(rng, day)
        others = [u for u in (units.old if day < CHANGE_DAY else units.new) if u != unit]
        title = f"{name} ở {lower_first(unit[1])}"
        values = _fill(rng, unit=lower_first(unit[1]))
        sentences = rng.sample(MODEL_SENTENCES, 6)
        body = "\n\n".join(
            [
                f"Mô hình «{name}» được {lower_first(unit[1])} triển khai từ ngày {_vn_date(day)} nhằm {purpose}. "
                + " ".join(sentences[:3]),
                " ".join(sentences[3:]),
                "Kết quả bước đầu:\n\n" + _list(rng, values),
                _paragraph(rng, SPREADS, 2, values),
            ]
        )
        out.write(
            "models",
            _record_id(title, number),
            {
                "title": title,
                "kind": rng.choice(["mô hình mới", "cách làm hay", "nhân tố mới"]),
                "field": field,
                "unit": unit[0],
                "started": day,
                "summary": f"{name}: cách làm để {purpose}, do {lower_first(unit[1])} thực hiện.",
                "results": [
                    {"text": f"Quy mô ({measure})", "value": rng.randint(5, 300), "measure": measure},
                    {"text": "Số người tham gia", "value": rng.randint(20, 500), "measure": "người"},
                ],
                "replicated_in": [u[0] for u in rng.sample(others, rng.randint(0, 2))],
            },
            body,
        )


COMMENDATION_TITLES = {  # form: [(title, for a person?)]
    "Giấy khen": [
        ("Người tốt, việc tốt", True),
        ("Có thành tích xuất sắc trong phong trào thi đua cao điểm", True),
        ("Tập thể có thành tích xuất sắc trong phong trào thi đua cao điểm", False),
    ],
    "Bằng khen": [
        ("Có thành tích xuất sắc trong phong trào thi đua cao điểm", True),
        ("Tập thể có thành tích xuất sắc trong phong trào thi đua cao điểm", False),
    ],
    "Danh hiệu thi đua": [
        ("Chiến sĩ thi đua cơ sở", True),
        ("Lao động tiên tiến", True),
        ("Tập thể lao động xuất sắc", False),
        ("Tập thể lao động tiên tiến", False),
    ],
}


def _write_commendations(out: _Writer, rng: random.Random, n: int, units: _Units, people: list[_Person]) -> None:
    for number in range(1, max(3, n // 10) + 1):
        day = _day(rng)
        form = rng.choice(list(COMMENDATION_TITLES))
        title, individual = rng.choice(COMMENDATION_TITLES[form])
        if form == "Bằng khen":
            issuer = "Chủ tịch Ủy ban nhân dân tỉnh Quảng Ngãi (mẫu)"
        elif day < CHANGE_DAY:
            issuer = "Chủ tịch Ủy ban nhân dân thị xã Đức Phổ (mẫu)"
        else:
            issuer = f"Chủ tịch Ủy ban nhân dân {lower_first(units.of_day(rng, day)[1])} (mẫu)"
        if individual:  # people known (consenting) by the decision date when there are any
            known = [p for p in people if p.since <= day] or people
            chosen = rng.sample(known, min(len(known), rng.randint(1, 3)))
            recipients = [{"person": p.id} for p in chosen]
            if title == "Người tốt, việc tốt" and rng.random() < 0.3:
                p = rng.choice(known)
                recipients.append({"household": f"Hộ {'bà' if p.woman else 'ông'} {p.full}", "unit": units.area(p.area, day)[0]})
        else:
            recipients = [{"unit": rng.choice(units.old if day < CHANGE_DAY else units.new)[0]}]
        prefix = {"Giấy khen": "gk", "Bằng khen": "bk", "Danh hiệu thi đua": "dh"}[form]
        out.write(
            "commendations",
            f"{prefix}-{day.year}-{number:04d}",
            {
                "form": form,
                "title": title,
                "issuer": issuer,
                "decision_number": f"{rng.randint(100, 4999)}/QĐ-UBND (mẫu)",
                "decision_date": day,
                "recipients": recipients,
                "reason": rng.choice(DETAILS).format(hon="người được khen", village=rng.choice(VILLAGES)),
                "campaign": CAMPAIGN,
            },
        )


def _write_projects(out: _Writer, rng: random.Random, n: int, units: _Units) -> list[str]:
    ids = []
    for number, (title, location, investor) in enumerate(PROJECTS[: 5 + min(3, n // 1000)], 1):
        start = _day(rng, date(2024, 1, 1), date(2024, 12, 31))
        finish = start + timedelta(days=rng.randint(400, 800))
        steps = sorted({_day(rng, start, min(finish, END)) for _ in range(4)})
        done = finish <= END
        percents = sorted(rng.sample(range(10, 100, 5), len(steps)))
        if done:
            percents[-1] = 100
        uid = _record_id(title, number)
        ids.append(uid)
        new_unit = units.new[number % len(units.new)]
        out.write(
            "projects",
            uid,
            {
                "title": title,
                "summary": f"{title}: một trong các công trình trọng điểm của đợt thi đua (dữ liệu mẫu).",
                "location": f"{location}, {lower_first(new_unit[1])}",
                "units": [new_unit[0]],
                "investor": investor,
                "budget_billion_vnd": round(rng.uniform(5, 250), 1),
                "planned_start": start,
                "planned_finish": finish,
                "status": "hoàn thành" if done else "đang thi công",
                "milestones": [
                    {"date": start, "title": "Khởi công", "done": True},
                    {"date": finish, "title": "Hoàn thành, đưa vào sử dụng", "done": done},
                ],
                "progress": [
                    {"date": d, "percent": p, "note": f"Đạt {p}% khối lượng"} for d, p in zip(steps, percents, strict=True)
                ],
            },
            _paragraph(rng, MODEL_SENTENCES, 3, _fill(rng)) + "\n\nSố liệu tiến độ và kinh phí là minh họa (dữ liệu mẫu).",
        )
    return ids


def _write_indicators(out: _Writer, rng: random.Random, units: _Units) -> str:
    def series(years: range, start: float, step: float) -> list[dict]:
        return [{"year": y, "value": round(max(0.2, start - step * (i + 1)), 1)} for i, y in enumerate(years)]

    town = "ngheo-da-chieu-thi-xa"
    level = round(rng.uniform(4, 7), 1)
    out.write(
        "indicators",
        town,
        {
            "title": "Tỷ lệ hộ nghèo đa chiều toàn thị xã",
            "unit": "thi-xa-duc-pho",
            "measure": "%",
            "baseline": {"year": 2023, "value": level},
            "targets": series(range(2024, 2026), level, 0.8),
            "actuals": series(range(2024, 2025), level, 0.9),
            "source": "Số liệu minh họa (dữ liệu mẫu)",
        },
    )
    for uid, name in units.old:
        level = round(rng.uniform(2, 10), 1)
        out.write(
            "indicators",
            f"ngheo-da-chieu-{uid}",
            {
                "title": f"Tỷ lệ hộ nghèo đa chiều {lower_first(name)}",
                "unit": uid,
                "baseline": {"year": 2023, "value": level},
                "targets": series(range(2024, 2026), level, 0.8),
                "actuals": series(range(2024, 2025), level, rng.uniform(0.5, 1.2)),
                "source": "Kết quả rà soát hộ nghèo hằng năm (dữ liệu mẫu)",
            },
        )
    for uid, name in units.new:
        level = round(rng.uniform(2, 8), 1)
        out.write(
            "indicators",
            f"ngheo-da-chieu-{uid}",
            {
                "title": f"Tỷ lệ hộ nghèo đa chiều {lower_first(name)}",
                "unit": uid,
                "baseline": {"year": 2025, "value": level},
                "targets": series(range(2026, 2027), level, 0.7),
                "actuals": series(range(2026, 2027), level, rng.uniform(0.4, 1.0)),
                "source": "Kết quả rà soát hộ nghèo hằng năm (dữ liệu mẫu)",
            },
        )
    return town


def _write_campaign(out: _Writer, projects: list[str], indicator: str, units: _Units) -> None:
    out.write(
        "campaigns",
        CAMPAIGN,
        {
            "plan": {
                "number": "01-KH/TU (mẫu)",
                "issuer": "Ban Thường vụ Thị ủy (mẫu)",
                "date": date(2024, 7, 15),
                "title": "Kế hoạch phát động đợt thi đua cao điểm (mẫu)",
            },
            "short_title": "Thi đua cao điểm 2024–2026 (mẫu)",
            "title": "Phát động thi đua cao điểm lập thành tích chào mừng đại hội đảng các cấp (dữ liệu mẫu)",
            "signer": "T/M Ban Thường vụ, Bí thư (mẫu)",
            "based_on": [
                {
                    "number": "21-NQ/TW",
                    "issuer": "Ban Chấp hành Trung ương Đảng khóa XIII",
                    "date": date(2022, 6, 16),
                    "title": "Tăng cường củng cố, xây dựng tổ chức cơ sở đảng và nâng cao chất lượng đội ngũ đảng viên",
                }
            ],
            "purposes": ["Phát hiện, biểu dương và nhân rộng các điển hình «người tốt, việc tốt» (mẫu)."],
            "requirements": ["Thiết thực, hiệu quả, không phô trương, hình thức (mẫu)."],
            "theme": "Đoàn kết, sáng tạo, xây dựng quê hương phát triển bền vững (mẫu)",
            "slogans": ["Đã cam kết là thực hiện, đã nói là làm", "Mỗi ngày một việc tốt"],
            "phases": [
                {"name": "Giai đoạn 1", "end": "2025-08", "goals": ["Thi đua chào mừng đại hội đảng bộ các cấp"]},
                {"name": "Giai đoạn 2", "start": "2025-09", "end": "2026-07", "goals": ["Thi đua thực hiện nghị quyết đại hội"]},
            ],
            "reviews": [
                {"kind": "sơ kết", "month": "2025-09", "source": "Mục V.1 của kế hoạch (mẫu)"},
                {"kind": "sơ kết", "month": "2025-11", "source": "Mục VI.3 của kế hoạch (mẫu)"},
                {"kind": "tổng kết", "month": "2026-08", "source": "Mục V.2 của kế hoạch (mẫu)"},
            ],
            "anniversaries": [
                {"title": "50 năm Ngày giải phóng miền Nam, thống nhất đất nước", "year": 2025, "date": date(2025, 4, 30)},
                {"title": "80 năm Quốc khánh", "year": 2025, "date": date(2025, 9, 2)},
            ],
            "key_projects": projects[:5],
            "poverty_indicator": indicator,
            "ceremony": {"month": "2024-08", "programme": ["Chào cờ", "Phát động thi đua", "Ký kết giao ước thi đua"]},
            "commitments": [
                {"signer": f"Đảng ủy {lower_first(name)}", "unit": uid, "text": "Hoàn thành các chỉ tiêu thi đua (mẫu)"}
                for uid, name in units.old[:3]
            ],
            "rewards": ["Sơ kết, khen thưởng các tập thể, cá nhân tiêu biểu (mẫu)."],
            "agency_tasks": [{"agency": "Ban Tuyên giáo Thị ủy (mẫu)", "tasks": ["Tuyên truyền, nhân rộng điển hình tiên tiến"]}],
        },
        "Đợt thi đua hư cấu, dùng để minh họa và đo thời gian tạo trang (dữ liệu mẫu).",
    )


def generate(root: Path, n: int, seed: int = 1) -> dict[str, int]:
    """Write ``n`` stories and proportional other records under ``root/data``; counts per collection."""
    rng = random.Random(seed)
    out = _Writer(Path(root))
    units = _write_units(out)
    _write_criteria(out)
    people = [_person(rng, number) for number in range(1, max(5, n // 5) + 1)]
    for person in people:
        _write_person(out, rng, units, person)
    _write_stories(out, rng, n, units, people)
    _write_honours(out, rng, n, units)
    _write_models(out, rng, n, units)
    _write_commendations(out, rng, n, units, people)
    projects = _write_projects(out, rng, n, units)
    indicator = _write_indicators(out, rng, units)
    _write_campaign(out, projects, indicator, units)
    return out.counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bulletin.synthetic", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("n", type=int, help="số câu chuyện (number of stories)")
    parser.add_argument("out", type=Path, help="thư mục dự án; hồ sơ ghi vào OUT/data")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    if args.n < 1:
        parser.error("N phải lớn hơn 0")
    counts = generate(args.out, args.n, args.seed)
    print(", ".join(f"{count} {name}" for name, count in counts.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
