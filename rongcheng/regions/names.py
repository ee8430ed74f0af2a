"""Short names of administrative divisions: 鄂尔多斯市 → 鄂尔多斯, 延边朝鲜族自治州 → 延边.

The short name is what people type and what IP databases often print, so it feeds both the
pinyin of the data file and the matching of ip2region's text to our regions.
"""

import re

# The 56 nationalities, and 各 of 各族 (龙胜各族自治县). Autonomous areas name them with or
# without 族 (伊犁哈萨克自治州); a one-character name only counts with 族.
NATIONALITIES = (
    "汉", "蒙古", "回", "藏", "维吾尔", "苗", "彝", "壮", "布依", "朝鲜", "满", "侗", "瑶",
    "白", "土家", "哈尼", "哈萨克", "傣", "黎", "傈僳", "佤", "畲", "高山", "拉祜", "水", "东乡",
    "纳西", "景颇", "柯尔克孜", "土", "达斡尔", "仫佬", "羌", "布朗", "撒拉", "毛南", "仡佬",
    "锡伯", "阿昌", "普米", "塔吉克", "怒", "乌孜别克", "俄罗斯", "鄂温克", "德昂", "保安", "裕固",
    "京", "塔塔尔", "独龙", "鄂伦春", "赫哲", "门巴", "珞巴", "基诺", "各",
)  # fmt: skip
_LONGEST_FIRST = sorted(NATIONALITIES, key=len, reverse=True)
_NATIONALITY_TAIL = re.compile(
    "(?:(?:{})族|{})$".format(
        "|".join(_LONGEST_FIRST), "|".join(n for n in _LONGEST_FIRST if len(n) > 1)
    )
)
# Longest first, so 特别行政区 wins over 区 and 自治州 over 州 (恩施州, as IP data writes it).
_SUFFIXES = (
    "特别行政区", "自治区", "自治州", "自治县", "自治旗", "林区", "特区", "地区",
    "省", "市", "盟", "区", "县", "旗", "州",
)  # fmt: skip


def short_name(name: str) -> str:
    """The name without its administrative suffix, never shorter than two characters."""
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            short = name[: -len(suffix)]
            if suffix.startswith("自治"):
                short = _strip_nationalities(short)
            return short
    return name


def _strip_nationalities(name: str) -> str:
    while True:
        match = _NATIONALITY_TAIL.search(name)
        if not match or match.start() < 2:
            # 东乡族自治县 is named after the people alone: keep 东乡, drop only 族.
            return name[:-1] if name.endswith("族") else name
        name = name[: match.start()]
