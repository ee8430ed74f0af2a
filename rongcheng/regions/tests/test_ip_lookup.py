import logging

import pytest

from rongcheng.regions.ip_lookup import (
    DefaultCityLocator,
    Ip2RegionLocator,
    city_from_region_text,
    city_locator,
)


@pytest.fixture
def with_xdb(settings, xdb_file):
    settings.RONGCHENG = {**settings.RONGCHENG, "IP2REGION_XDB": str(xdb_file)}
    return xdb_file


def test_the_official_searcher_reads_the_built_file(xdb_file):
    locator = Ip2RegionLocator(str(xdb_file))
    assert locator.region_text("113.118.113.77") == "中国|广东省|深圳市|电信|CN"
    assert locator.region_text("58.16.255.9") == "中国|湖北省|仙桃市|电信|CN"  # both /16 cells
    assert locator.region_text("58.17.0.200") == "中国|湖北省|仙桃市|电信|CN"
    assert locator.region_text("58.17.1.0") == "0|0|0|内网IP|内网IP"
    assert locator.region_text("2001:db8::1") == ""  # IPv6 against an IPv4 file
    assert locator.region_text("not an address") == ""


@pytest.mark.parametrize(
    ("ip", "code", "name"),
    [
        ("113.118.113.77", "440300", "深圳市"),  # 国家|省份|城市|ISP|国家代码
        ("1.180.3.4", "150600", "鄂尔多斯市"),  # 国家|区域|省份|城市|ISP, 市 left out
        ("36.110.1.1", "110100", "北京市"),  # a municipality
        ("58.17.0.1", "429004", "仙桃市"),  # a directly administered county-level city
        ("61.136.0.8", "222400", "延边朝鲜族自治州"),
        ("27.128.9.9", "440100", "广州市"),  # province only: its capital
        ("103.192.227.215", "110100", "北京市"),  # Hong Kong: not served, default city
        ("8.8.8.8", "110100", "北京市"),  # abroad: default city
        ("10.0.0.1", "110100", "北京市"),  # private network: default city
        ("2001:db8::1", "110100", "北京市"),
    ],
)
def test_ip2region_backend_maps_addresses_to_our_cities(all_regions, with_xdb, ip, code, name):
    city = city_locator().locate(ip)
    assert (city.code, city.name) == (code, name)


def test_without_a_database_file_every_address_gets_the_default_city(all_regions, settings):
    settings.RONGCHENG = {**settings.RONGCHENG, "IP2REGION_XDB": "", "DEFAULT_CITY_CODE": "150600"}
    locator = city_locator()
    assert isinstance(locator, DefaultCityLocator)
    assert locator.locate("113.118.113.77").code == "150600"
    assert locator.locate(None).code == "150600"


def test_an_unusable_database_file_falls_back_to_the_default_city(
    all_regions, settings, tmp_path, caplog
):
    broken = tmp_path / "broken.xdb"
    broken.write_bytes(b"\x09\x00" + bytes(300))  # structure version 9 does not exist
    settings.RONGCHENG = {**settings.RONGCHENG, "IP2REGION_XDB": str(broken)}
    with caplog.at_level(logging.ERROR):
        assert city_locator().locate("113.118.113.77").code == "110100"
    assert "is unusable" in caplog.text


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("中国|内蒙古自治区|鄂尔多斯市|联通", "150600"),
        ("中国|内蒙古|0|联通|CN", "150100"),
        ("中国|湖北省|恩施州|电信|CN", "422800"),
        ("中国|0|上海|上海市|电信", "310100"),
        ("中国|华北|内蒙古|鄂尔多斯市|电信", "150600"),
        ("中国|0|0|0|0", None),
        ("中国|火星|0|0|0", None),
        ("", None),
    ],
)
def test_region_text_layouts(all_regions, text, code):
    city = city_from_region_text(text)
    assert (city.code if city else None) == code
