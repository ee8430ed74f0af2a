"""The shipped data file and its derivation from the cpca source."""

from collections import Counter
from decimal import Decimal

import pytest

from rongcheng.regions.dataset import CITY, DISTRICT, PROVINCE, read_csv
from rongcheng.regions.derive import build_rows
from rongcheng.regions.names import short_name

ROWS = read_csv()
BY_CODE = {row.code: row for row in ROWS}


def test_codes_are_unique_six_digit_numbers():
    assert len(BY_CODE) == len(ROWS) == 3248
    assert all(len(row.code) == 6 and row.code.isdigit() for row in ROWS)


def test_mainland_provincial_units_only():
    provinces = [row for row in ROWS if row.level == PROVINCE]
    assert len(provinces) == 31
    assert all(row.parent == "" and row.code.endswith("0000") for row in provinces)
    assert not [row for row in ROWS if row.code[:2] in {"71", "81", "82"}]


def test_every_district_has_a_city_and_every_city_a_province():
    for row in ROWS:
        if row.level == CITY:
            assert BY_CODE[row.parent].level == PROVINCE, row
        elif row.level == DISTRICT:
            assert BY_CODE[row.parent].level == CITY, row
    counts = Counter(row.level for row in ROWS)
    assert counts == {PROVINCE: 31, CITY: 365, DISTRICT: 2852}


def test_every_city_has_a_district_so_every_address_has_three_levels():
    with_districts = {row.parent for row in ROWS if row.level == DISTRICT}
    assert {row.code for row in ROWS if row.level == CITY} <= with_districts


def test_city_names_are_unique():
    names = Counter(row.name for row in ROWS if row.level == CITY)
    assert [name for name, count in names.items() if count > 1] == []


def test_all_coordinates_lie_inside_china():
    # China's bounding box, the Spratly Islands included.
    for row in ROWS:
        assert Decimal("73.4") <= row.longitude <= Decimal("135.1"), row
        assert Decimal("3.8") <= row.latitude <= Decimal("53.6"), row


@pytest.mark.parametrize(
    ("code", "name", "parent"),
    [
        ("110100", "北京市", "110000"),
        ("120100", "天津市", "120000"),
        ("310100", "上海市", "310000"),
        ("500100", "重庆市", "500000"),
    ],
)
def test_municipalities_have_one_city_named_like_them(code, name, parent):
    assert (BY_CODE[code].name, BY_CODE[code].level, BY_CODE[code].parent) == (name, CITY, parent)
    assert BY_CODE[parent].name == name
    assert not [
        row for row in ROWS if row.code[:2] == code[:2] and row.level == CITY and row.code != code
    ]


def test_chongqing_counties_sit_under_the_city_too():
    assert BY_CODE["500243"].name == "彭水苗族土家族自治县"
    assert BY_CODE["500243"].parent == "500100"


def test_directly_administered_county_level_units_are_cities():
    xiantao = BY_CODE["429004"]
    assert (xiantao.name, xiantao.level, xiantao.parent) == ("仙桃市", CITY, "420000")
    assert (BY_CODE["429904"].name, BY_CODE["429904"].parent) == ("仙桃市", "429004")
    assert BY_CODE["659001"].name == "石河子市" and BY_CODE["659001"].level == CITY
    assert "429000" not in BY_CODE  # the 省直辖县级行政区划 grouping itself is gone


def test_cities_without_districts_get_one_covering_the_whole_city():
    assert (BY_CODE["441901"].name, BY_CODE["441901"].parent) == ("东莞市", "441900")
    assert [row.code for row in ROWS if row.parent == "441900"] == ["441901"]


@pytest.mark.parametrize(
    ("code", "pinyin", "initials"),
    [
        ("500100", "chongqing", "cq"),
        ("430100", "changsha", "cs"),
        ("350200", "xiamen", "xm"),
        ("150600", "eerduosi", "eeds"),
        ("150100", "huhehaote", "hhht"),
        ("110100", "beijing", "bj"),
        ("140400", "changzhi", "cz"),
        ("340300", "bengbu", "bb"),
        ("341500", "luan", "la"),
        ("331100", "lishui", "ls"),
        ("341600", "bozhou", "bz"),
        ("411100", "luohe", "lh"),
        ("540300", "changdu", "cd"),
        ("654300", "aletai", "alt"),
        ("152500", "xilinguole", "xlgl"),
        ("331000", "taizhou", "tz"),
        ("650100", "wulumuqi", "wlmq"),
        ("540000", "xizang", "xz"),
        ("222400", "yanbian", "yb"),
        ("310112", "minhang", "mh"),
        ("370881", "qufu", "qf"),
        ("140428", "zhangzi", "zz"),
    ],
)
def test_pinyin_of_well_known_places(code, pinyin, initials):
    assert (BY_CODE[code].pinyin, BY_CODE[code].initials) == (pinyin, initials)


@pytest.mark.parametrize(
    ("name", "short"),
    [
        ("鄂尔多斯市", "鄂尔多斯"),
        ("内蒙古自治区", "内蒙古"),
        ("广西壮族自治区", "广西"),
        ("延边朝鲜族自治州", "延边"),
        ("克孜勒苏柯尔克孜自治州", "克孜勒苏"),
        ("积石山保安族东乡族撒拉族自治县", "积石山"),
        ("东乡族自治县", "东乡"),
        ("龙胜各族自治县", "龙胜"),
        ("锡林郭勒盟", "锡林郭勒"),
        ("阿克苏地区", "阿克苏"),
        ("神农架林区", "神农架"),
        ("恩施州", "恩施"),
        ("城区", "城区"),
        ("杭州", "杭州"),
    ],
)
def test_short_names(name, short):
    assert short_name(name) == short


def _source(*rows):
    return [
        dict(zip(("adcode", "name", "longitude", "latitude"), row, strict=True)) for row in rows
    ]


def test_build_rows_applies_every_rule():
    source = _source(
        ("110000000000", "北京市", "116.407394", "39.904211"),
        ("110100000000", "市辖区", "116.407394", "39.904211"),
        ("110101000000", "东城区", "116.41649", "39.928341"),
        ("420000000000", "湖北省", "114.341745", "30.546557"),
        ("429000000000", "省直辖县级行政区划", "", ""),
        ("429004000000", "仙桃市", "113.423583", "30.361438"),
        ("440000000000", "广东省", "113.26641", "23.132324"),
        ("441900000000", "东莞市", "113.751799", "23.020673"),
        ("330000000000", "浙江省", "120.152585", "30.266597"),
        ("330200000000", "宁波市", "121.550357", "29.874556"),
        ("330201000000", "市辖区", "", ""),
        ("330203000000", "海曙区", "121.550357", "29.874556"),
        ("330204000000", "江东区", "", ""),
        ("810000000000", "香港特别行政区", "114.171203", "22.277468"),
    )
    rows = {row.code: (row.name, row.level, row.parent) for row in build_rows(source)}
    assert rows == {
        "110000": ("北京市", PROVINCE, ""),
        "110100": ("北京市", CITY, "110000"),
        "110101": ("东城区", DISTRICT, "110100"),
        "420000": ("湖北省", PROVINCE, ""),
        "429004": ("仙桃市", CITY, "420000"),
        "429904": ("仙桃市", DISTRICT, "429004"),
        "440000": ("广东省", PROVINCE, ""),
        "441900": ("东莞市", CITY, "440000"),
        "441901": ("东莞市", DISTRICT, "441900"),
        "330000": ("浙江省", PROVINCE, ""),
        "330200": ("宁波市", CITY, "330000"),
        "330203": ("海曙区", DISTRICT, "330200"),
    }


def test_build_rows_refuses_a_row_without_coordinates():
    source = _source(("150000000000", "内蒙古自治区", "", ""))
    with pytest.raises(ArithmeticError):
        build_rows(source)
