"""The demo's community: chats, questions, the board, the survey and 到货通知 are loaded
through the real services in the 东胜 store, once, with statistics that add up."""

import pytest

from rongcheng.accounts.models import User
from rongcheng.board.models import Post
from rongcheng.catalog.tests.factories import make_product
from rongcheng.demo.accounts import load_demo_users
from rongcheng.demo.community import ANONYMOUS_SHEETS, MEMBERS, STORE_CODE, load_community
from rongcheng.favorites.models import Favorite
from rongcheng.inventory.services import listing_set
from rongcheng.messaging.models import CannedReply, ChatMessage, Conversation, Letter
from rongcheng.questions.models import Answer, Question
from rongcheng.restock.models import Registration
from rongcheng.stores.models import StoreMembership
from rongcheng.stores.tests.factories import StoreFactory, StoreMembershipFactory
from rongcheng.surveys.models import Sheet, Survey
from rongcheng.surveys.selectors import survey_statistics

pytestmark = pytest.mark.django_db


@pytest.fixture
def dongsheng(regions):
    load_demo_users()
    store = StoreFactory(code=STORE_CODE, name="东胜体验店", city=regions["150600"])
    for username, role in (
        ("store_manager", StoreMembership.Role.MANAGER),
        ("clerk", StoreMembership.Role.CLERK),
    ):
        StoreMembershipFactory(store=store, user=User.objects.get(username=username), role=role)
    products = [
        make_product(name=name, sizes=("M", "L"), sales_count=sales)
        for name, sales in (("圆领羊绒衫", 90), ("羊绒围巾", 60), ("双面呢大衣", 30))
    ]
    admin = User.objects.get(username="admin")
    listing_set(actor=admin, store_id=store.id, product_ids=[p.id for p in products], listed=True)
    return store


def counts() -> dict[str, int]:
    models = [Conversation, ChatMessage, CannedReply, Favorite, Question, Answer, Post, Survey]
    models += [Sheet]
    return {model.__name__: model.objects.count() for model in [*models, Registration]}


def test_the_community_loads_once_in_the_store_the_demo_staff_work_in(dongsheng):
    store = dongsheng
    load_community()
    first = counts()
    load_community()
    assert (
        counts()
        == first
        == {
            "Conversation": 3,
            "ChatMessage": 7,
            "CannedReply": 4,
            "Favorite": 3,
            "Question": 4,
            "Answer": 3,
            "Post": 6,
            "Survey": 2,
            "Sheet": 1 + len(MEMBERS) + ANONYMOUS_SHEETS,
            "Registration": 3,
        }
    )
    assert sorted(Conversation.objects.values_list("kind", "status")) == [
        ("platform", "open"),
        ("store", "open"),
        ("store", "waiting"),
    ]
    # 王小绒 had no chat page open: the answers wait in the message center.
    assert Letter.objects.filter(recipient__mobile="13800000001").count() == 2
    assert sorted(Answer.objects.values_list("role", flat=True)) == ["staff", "store", "store"]
    assert sorted(Post.objects.values_list("state", flat=True)) == [
        "hidden",
        "pending",
        "published",
        "published",
        "published",
        "published",
    ]
    assert sorted(Registration.objects.values_list("state", "arrived_store_id")) == [
        ("contacted", store.id),
        ("notified", store.id),
        ("waiting", None),
    ]

    survey = Survey.objects.get(is_published=True)
    stats = survey_statistics(survey_id=survey.id)
    assert stats.sheets == 20
    single, multiple, rating, bank, text = stats.questions
    assert sum(option.count for option in single.options) == single.answered == 20
    assert sum(option.count for option in multiple.options) >= multiple.answered == 20
    assert rating.answered == 20 and rating.average is not None
    assert (
        bank.question.bank_question_id is not None
        and bank.question.title == "您更喜欢哪种收货方式？"
    )
    assert 0 < len(text.texts) < 20  # some sheets leave the text empty
