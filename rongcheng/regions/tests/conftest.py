import pytest

from rongcheng.regions.dataset import read_csv
from rongcheng.regions.services import regions_load
from rongcheng.regions.tests.xdb import write_xdb


@pytest.fixture
def all_regions(db):
    """The whole shipped data set, loaded through the real loader."""
    return regions_load(rows=read_csv())


# Region texts in the layouts ip2region has used: 国家|省份|城市|ISP|国家代码 (2025 data),
# 国家|区域|省份|城市|ISP (older data) and 国家|省份|城市|ISP.
IP_RANGES = [
    ("113.118.0.0", "113.118.255.255", "中国|广东省|深圳市|电信|CN"),
    ("1.180.0.0", "1.180.127.255", "中国|0|内蒙古|鄂尔多斯|电信"),
    ("36.110.0.0", "36.110.255.255", "中国|北京|北京市|联通"),
    ("58.16.255.0", "58.17.0.255", "中国|湖北省|仙桃市|电信|CN"),
    ("27.128.0.0", "27.128.255.255", "中国|广东省|0|移动|CN"),
    ("61.136.0.0", "61.136.0.255", "中国|吉林省|延边朝鲜族自治州|联通|CN"),
    ("103.192.227.0", "103.192.227.255", "中国|0|香港|0|0"),
    ("8.8.8.0", "8.8.8.255", "美国|加利福尼亚|0|谷歌|US"),
]


@pytest.fixture(scope="session")
def xdb_file(tmp_path_factory):
    return write_xdb(tmp_path_factory.mktemp("ip2region") / "ip2region_v4.xdb", IP_RANGES)
