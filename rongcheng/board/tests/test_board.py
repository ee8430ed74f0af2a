"""The message board: members and verified visitors post, nothing shows before it is
published, hiding needs a reason, a reply tells a member author; pages and API."""

import pytest
from django.urls import reverse

from rongcheng.accounts.errors import InvalidSmsCode
from rongcheng.accounts.models import SmsCode
from rongcheng.accounts.verification import sms_code_send
from rongcheng.board.errors import PostInvalid
from rongcheng.board.models import Post
from rongcheng.board.selectors import published_posts
from rongcheng.board.services import board_post, post_moderate, posts_publish
from rongcheng.core.testing.factories import UserFactory
from rongcheng.notifications.models import Notice
from rongcheng.notifications.testing import last_sms_code

pytestmark = pytest.mark.django_db
MOBILE = "13700000009"


@pytest.fixture
def agent(db):
    return UserFactory(is_staff=True, password=None)


def test_a_visitor_posts_with_a_verified_mobile(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        sms_code_send(mobile=MOBILE, purpose=SmsCode.Purpose.BOARD_POST)
    code = last_sms_code(MOBILE)
    with pytest.raises(InvalidSmsCode):
        board_post(
            kind="suggestion", body="多开几家店", nickname="小王", mobile=MOBILE, code="000000"
        )
    assert not Post.objects.exists()
    post = board_post(
        kind="suggestion", body="多开几家店", nickname="小王", mobile=MOBILE, code=code
    )
    assert (post.state, post.author_id, post.mobile) == ("pending", None, MOBILE)


def test_a_member_posts_under_their_account(member):
    post = board_post(kind="complaint", body="  门店态度差  ", author=member)
    assert (post.body, post.mobile, post.nickname) == ("门店态度差", member.mobile, "张**")


@pytest.mark.parametrize(
    "kind,body", [("other", "内容"), ("message", " "), ("message", "x" * 1001)]
)
def test_refused_posts_write_nothing(member, kind, body):
    with pytest.raises(PostInvalid):
        board_post(kind=kind, body=body, author=member)
    assert not Post.objects.exists()


def test_moderation_publish_hide_with_reason_and_reply(
    member, agent, django_capture_on_commit_callbacks
):
    post = board_post(kind="review", body="羊绒衫很暖和", author=member)
    assert published_posts().paginator.count == 0
    assert posts_publish(post_ids=[post.id], actor=agent) == 1
    assert [p.id for p in published_posts(kind="review").object_list] == [post.id]
    assert published_posts(kind="complaint").paginator.count == 0
    assert published_posts(query="暖和").paginator.count == 1

    with pytest.raises(PostInvalid):
        post_moderate(post_id=post.id, actor=agent, state="hidden")
    post.refresh_from_db()
    assert post.state == "published"

    with django_capture_on_commit_callbacks(execute=True):
        post_moderate(post_id=post.id, actor=agent, state="published", reply="感谢支持！")
    notice = Notice.objects.get(recipient=member)
    assert (notice.kind, notice.title, notice.body) == (
        "board_reply",
        "客服回复了您的点评",
        "感谢支持！",
    )
    post_moderate(post_id=post.id, actor=agent, state="published", reply="感谢支持！")
    assert Notice.objects.count() == 1  # the same reply again tells no one

    post_moderate(
        post_id=post.id, actor=agent, state="hidden", hide_reason="含广告", reply="感谢支持！"
    )
    assert published_posts().paginator.count == 0


def test_the_pages_in_both_languages(client, member, agent):
    post = board_post(kind="message", body="请问有童装吗", author=member)
    posts_publish(post_ids=[post.id], actor=agent)
    html = client.get("/board/?kind=message").content.decode()
    assert "请问有童装吗" in html
    assert "Message board" in client.get("/en/board/").content.decode()
    client.force_login(member)
    client.post(reverse("storefront:board_new"), {"kind": "suggestion", "body": "增加尺码"})
    assert Post.objects.filter(kind="suggestion", author=member, state="pending").exists()


def test_the_api(client, member, agent):
    post = board_post(kind="message", body="请问有童装吗", author=member)
    posts_publish(post_ids=[post.id], actor=agent)
    assert client.get("/api/board", {"kind": "message"}).json()["count"] == 1
    assert (
        client.post(
            "/api/board", {"kind": "message", "body": "x"}, content_type="application/json"
        ).status_code
        == 401
    )
    client.force_login(member)
    created = client.post(
        "/api/board", {"kind": "complaint", "body": "发货慢"}, content_type="application/json"
    )
    assert created.status_code == 201 and created.json()["state"] == "pending"
