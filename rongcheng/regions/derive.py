"""Derive `data/regions.csv` from the 12-digit adcode table of the cpca package.

    python -m rongcheng.regions.derive cpca/resources/adcodes.csv

The derivation makes every district sit under province → city: municipalities get one city
row, directly administered county-level units become cities, and cities without districts
get one district row covering the whole city (data/README.md says why). Only this tool
needs pypinyin, whose dictionaries are too heavy to load in the web processes.
"""

import argparse
import csv
from decimal import Decimal
from pathlib import Path

from pypinyin import Style, lazy_pinyin

from rongcheng.regions.dataset import (
    CITY,
    DATA_FILE,
    DISTRICT,
    PROVINCE,
    RegionRow,
    write_csv,
)
from rongcheng.regions.names import short_name

MUNICIPALITIES = {"11", "12", "31", "50"}
# Hong Kong, Macau and Taiwan: the mall sells and delivers in mainland China only.
NOT_MAINLAND = {"71", "81", "82"}
# Rows the source lists without coordinates because they were abolished before it was made.
ABOLISHED = {
    "130421",  # 邯郸县, merged into 邯山区 and 丛台区 in 2016
    "330204",  # 宁波市江东区, merged into 鄞州区 in 2016
    "410211",  # 开封市金明区, merged into 龙亭区 in 2014
}
# Current divisions the source lists without coordinates: their government seats.
MISSING_COORDINATES = {
    "139001": ("114.990000", "38.516000"),  # 定州市
    "139002": ("115.218000", "37.943000"),  # 辛集市
    "320812": ("119.026000", "33.552000"),  # 淮安市清江浦区
}

# Readings a character takes in every place name, where pypinyin's common reading is wrong.
CHARACTER_READINGS = {
    "长": "chang",  # 长治 长宁 天长; 长子 is the exception below
    "都": "du",  # 昌都 望都 花都
    "勒": "le",  # 阿勒泰 锡林郭勒 库尔勒
    "什": "shi",  # 阿图什 克什克腾 康巴什
    "朝": "chao",  # 朝阳
    "佛": "fo",  # 佛冈 佛坪
    "卡": "ka",  # 浪卡子
}
# Whole names read differently from the characters' usual readings.
NAME_READINGS = {
    "长子": "zhang zi",
    "南乐": "nan le",
    "民乐": "min le",
    "漯河": "luo he",
    "闵行": "min hang",
    "六合": "lu he",
    "马尾": "ma wei",
    "蚌山": "beng shan",
    "单县": "shan xian",
    "泊头": "bo tou",
    "洪洞": "hong tong",
    "繁峙": "fan shi",
    "浚县": "xun xian",
    "涡阳": "guo yang",
    "珲春": "hun chun",
    "筠连": "jun lian",
    "费县": "bi xian",
    "伽师": "jia shi",
    "荥经": "ying jing",
    "龙圩": "long xu",
    "覃塘": "qin tang",
    "崆峒": "kong tong",
    "称多": "chen duo",
    "红寺堡": "hong si bu",
}


def syllables(name: str) -> list[str]:
    """Pinyin syllables of a short name, without tones (ü written v, as typed on keyboards)."""
    if name in NAME_READINGS:
        return NAME_READINGS[name].split()
    readings = lazy_pinyin(name, style=Style.NORMAL, errors="ignore")
    if len(readings) != len(name):
        return readings
    return [
        CHARACTER_READINGS.get(char, reading) for char, reading in zip(name, readings, strict=True)
    ]


def _row(code, name, level, parent, lng, lat) -> RegionRow:
    spelled = syllables(short_name(name))
    return RegionRow(
        code=code,
        name=name,
        level=level,
        parent=parent,
        longitude=Decimal(lng),
        latitude=Decimal(lat),
        pinyin="".join(spelled),
        initials="".join(s[0] for s in spelled),
    )


def build_rows(source: list[dict[str, str]]) -> list[RegionRow]:
    """Derive our rows from cpca's adcode rows (adcode, name, longitude, latitude)."""
    entries = {}
    for item in source:
        code = item["adcode"][:6]
        lng, lat = item["longitude"], item["latitude"]
        if code in MISSING_COORDINATES:
            lng, lat = MISSING_COORDINATES[code]
        entries[code] = (item["name"], lng, lat)

    rows: dict[str, RegionRow] = {}
    for code, (name, lng, lat) in sorted(entries.items()):
        province, prefecture = code[:2], code[2:4]
        if province in NOT_MAINLAND or code in ABOLISHED:
            continue
        if code.endswith("0000"):
            rows[code] = _row(code, name, PROVINCE, "", lng, lat)
        elif province in MUNICIPALITIES:
            city = province + "0100"
            if city not in rows:
                # 市辖区/县 groupings of a municipality: one city named like the municipality.
                prov_name, prov_lng, prov_lat = entries[province + "0000"]
                rows[city] = _row(city, prov_name, CITY, province + "0000", prov_lng, prov_lat)
            if not code.endswith("00"):
                rows[code] = _row(code, name, DISTRICT, city, lng, lat)
        elif prefecture == "90":
            # 省直辖县级行政区划: the grouping is dropped; each unit (仙桃市, 济源市,
            # 石河子市 …) is a city of its own, as people and maps treat them.
            if not code.endswith("00"):
                rows[code] = _row(code, name, CITY, province + "0000", lng, lat)
        elif code.endswith("00"):
            rows[code] = _row(code, name, CITY, province + "0000", lng, lat)
        elif name != "市辖区":
            rows[code] = _row(code, name, DISTRICT, code[:4] + "00", lng, lat)

    return _add_whole_city_districts(rows)


def _add_whole_city_districts(rows: dict[str, RegionRow]) -> list[RegionRow]:
    """Give a city without districts (东莞市, 仙桃市 …) one district covering all of it.

    An address names a district, so every city needs at least one. The row takes the slot
    GB/T 2260 gives the city proper (PPCC01), or PP99NN for a directly administered unit
    PP90NN (the 99 block is unused).
    """
    with_districts = {row.parent for row in rows.values() if row.level == DISTRICT}
    for city in [row for row in rows.values() if row.level == CITY]:
        if city.code in with_districts:
            continue
        if city.code[2:4] == "90":
            code = city.code[:2] + "99" + city.code[4:]
        else:
            code = city.code[:4] + "01"
        if code in rows:
            raise ValueError(f"code {code} for the whole of {city.name} is taken")
        rows[code] = RegionRow(
            code, city.name, DISTRICT, city.code, city.longitude, city.latitude,
            city.pinyin, city.initials,
        )  # fmt: skip
    return sorted(rows.values(), key=lambda row: row.code)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Derive data/regions.csv from cpca's adcodes.csv")
    parser.add_argument("source", type=Path, help="cpca/resources/adcodes.csv")
    parser.add_argument("--output", type=Path, default=DATA_FILE)
    args = parser.parse_args(argv)
    with args.source.open(encoding="utf-8", newline="") as handle:
        rows = build_rows(list(csv.DictReader(handle)))
    write_csv(rows, args.output)
    print(f"{len(rows)} regions written to {args.output}")


if __name__ == "__main__":
    main()
