"""Every demo login that `load_demo` prints signs in and reaches the home page of its role."""

import re

import pytest

from rongcheng.demo.accounts import load_demo_users
from rongcheng.demo.stores import load_staff, load_stores

pytestmark = pytest.mark.django_db

BACK_OFFICE = {"admin", "ops", "cs_supervisor", "cs_agent"}
MEMBER = "13800000001"


@pytest.fixture
def demo_logins():
    logins = load_demo_users()
    load_stores()
    return [(login, password) for _role, login, password in logins + load_staff()]


# Words only the home page shows: the dashboard's, the store overview's, the member center's.
HOME_MARK = {"/backoffice/": "欢迎回来", "/seller/": "店铺概况", "/member/": "<h1>我的资料</h1>"}


def _home(login: str) -> str:
    if login in BACK_OFFICE:
        return "/backoffice/"
    return "/member/" if login == MEMBER else "/seller/"


def test_each_printed_demo_login_reaches_its_home_page(client, demo_logins):
    assert len(demo_logins) == 11
    for login, password in demo_logins:
        client.logout()
        answer = client.post(
            "/login/", {"identifier": login, "password": password}, REMOTE_ADDR="10.0.0.9"
        )
        assert answer.status_code == 302, login
        assert answer["Location"] == _home(login), login
        page = client.get(answer["Location"])
        assert page.status_code == 200, login
        assert HOME_MARK[_home(login)] in page.content.decode(), login


def test_back_office_sign_in_without_next_lands_in_the_dashboard(client, demo_logins):
    page = client.get("/backoffice/login/").content.decode()
    hidden = re.search(r'<input type="hidden" form="login-form" name="next" value="([^"]*)">', page)
    assert hidden is not None
    answer = client.post(
        "/backoffice/login/",
        {"username": "ops", "password": "Rongcheng@2026", "next": hidden.group(1)},
        REMOTE_ADDR="10.0.0.9",
    )
    assert answer.status_code == 302
    assert answer["Location"] == "/backoffice/"
