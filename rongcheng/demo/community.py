"""The demo's customer service and community: a few members who chat with the 东胜 store
and the platform, keep favorites, ask about goods, write on the board, answer the winter
survey and wait for a sold-out size. Written through the services, so notices, letters
and statistics are the real ones. Idempotent: each part is skipped when its rows exist.

None of these models has English columns: what members and staff write stays as written.
"""

import random
from datetime import timedelta

from django.utils import timezone

from rongcheng.accounts.models import User
from rongcheng.accounts.services import member_create
from rongcheng.board.models import Post
from rongcheng.board.services import board_post, post_moderate
from rongcheng.demo.accounts import DEMO_PASSWORD, MEMBER_MOBILE
from rongcheng.favorites.models import Favorite
from rongcheng.favorites.services import favorite_add
from rongcheng.inventory.models import Stock, StoreListing
from rongcheng.inventory.services import stock_receive
from rongcheng.messaging.models import CannedReply, Conversation
from rongcheng.messaging.services import canned_reply_save, conversation_open, message_send
from rongcheng.questions.models import Question
from rongcheng.questions.services import answer_add, question_ask
from rongcheng.restock.models import Registration
from rongcheng.restock.services import restock_mark_contacted, restock_register
from rongcheng.stores.models import Store
from rongcheng.surveys.models import BankQuestion, Kind, Survey, SurveyQuestion
from rongcheng.surveys.services import (
    bank_question_save,
    sheet_submit,
    survey_question_save,
    survey_save,
)

STORE_CODE = "eeds-ds"  # 东胜 store, where the demo manager and clerk work
# (mobile, real name) of the members besides 王小绒.
MEMBERS = [
    ("13800000021", "刘佳"),
    ("13800000022", "陈思远"),
    ("13800000023", "高敏"),
    ("13800000024", "马骁"),
]

CANNED = {
    "store": [
        ("到店自提", "您可以选择到店自提，到店出示提货码即可取货，自提免运费，还可以现场试穿。"),
        ("尺码建议", "羊绒衫一般按平时尺码选择；喜欢宽松可以大一码，告诉我身高体重帮您推荐。"),
    ],
    "platform": [
        ("发货时间", "门店一般在付款后 48 小时内发货，发货后可在“我的订单”中查看物流。"),
        ("退换货", "签收后 7 天内未穿着、吊牌完好的商品可申请退换，在订单详情中提交即可。"),
    ],
}


def _members() -> list[User]:
    """王小绒 first, then the other demo members (created when missing)."""
    found = {u.mobile: u for u in User.objects.filter(mobile__in=[m for m, _n in MEMBERS])}
    for mobile, name in MEMBERS:
        if mobile not in found:
            member = member_create(mobile=mobile, password=DEMO_PASSWORD)
            member.real_name = name
            member.save(update_fields=["real_name"])
            found[mobile] = member
    return [User.objects.get(mobile=MEMBER_MOBILE), *(found[m] for m, _n in MEMBERS)]


def _store_products(store: Store, count: int) -> list:
    """The store's best sellers, for questions and chats about goods it really sells."""
    listings = StoreListing.objects.filter(store=store, is_listed=True).select_related("product")
    return [row.product for row in listings.order_by("-product__sales_count", "product_id")[:count]]


def _load_chats(store: Store, members: list[User], product, staff: dict[str, User]) -> None:
    if Conversation.objects.exists():
        return
    for team, replies in CANNED.items():
        agent = staff["clerk"] if team == "store" else staff["cs_agent"]
        store_id = store.id if team == "store" else None
        if not CannedReply.objects.filter(store_id=store_id).exists():
            for title, body in replies:
                canned_reply_save(agent=agent, store_id=store_id, title=title, body=body)
    wang, liu = members[0], members[1]
    sku = product.skus.filter(is_active=True).order_by("position").first()
    label = f"{sku.colour} {sku.size}" + ("" if sku.size.endswith("码") else " 码")
    stock = Stock.objects.filter(store=store, sku=sku).first()
    units = stock.on_hand - stock.reserved if stock else 0
    answer = (
        f"您好，东胜店{label}现有 {units} 件，可以到店试穿，也可以线上下单到店自提。"
        if units
        else f"您好，东胜店{label}暂时缺货，您可以在商品页登记到货通知，到货后会通知您。"
    )
    lines = [
        (wang, f"你好，这款{label}东胜店有现货吗？"),
        (staff["clerk"], answer),
        (wang, "好的，我周六下午过去看看。"),
        (staff["clerk"], "好的，到店报手机号就行，店员会带您试穿。"),
    ]
    chat = conversation_open(member=wang, store_id=store.id, product_id=product.id)
    for sender, body in lines:
        message_send(sender=sender, conversation_id=chat.id, body=body)
    platform = conversation_open(member=wang)
    message_send(sender=wang, conversation_id=platform.id, body="请问订单付款后多久发货？")
    message_send(
        sender=staff["cs_agent"],
        conversation_id=platform.id,
        body="您好，门店一般在付款后 48 小时内发货，发货后可在“我的订单”中查看物流。",
    )
    # One still waiting for an agent, for the workspace's waiting list.
    waiting = conversation_open(member=liu, store_id=store.id)
    message_send(sender=liu, conversation_id=waiting.id, body="请问围巾可以做刺绣定制吗？")


def _load_favorites(member: User, store: Store, products: list) -> None:
    if Favorite.objects.filter(owner=member).exists():
        return
    for product in products[:2]:
        favorite_add(owner=member, product_id=product.id)
    favorite_add(owner=member, store_id=store.id)


def _load_questions(members: list[User], products: list, staff: dict[str, User]) -> None:
    if Question.objects.exists():
        return
    asked = [
        (members[1], products[0], "这款羊绒衫会起球吗？平时怎么保养？", "clerk",
         "羊绒是天然纤维，摩擦多的地方会有少量起球，属正常现象。建议手洗或干洗，平铺晾干，"
         "起球后用羊绒梳轻轻梳掉即可。"),
        (members[2], products[0], "身高 165、体重 55 公斤穿 M 码合适吗？", "store_manager",
         "按您的身材 M 码合身，喜欢宽松一些可以选 L 码，欢迎到东胜店试穿。"),
        (members[3], products[1], "可以先到门店试穿，再在网上下单吗？", "cs_agent",
         "可以的。商品页会显示您所在城市有货的门店，试穿后在线下单并选择到店自提即可。"),
        (members[0], products[1], "有没有礼盒包装？想送给父母。", "", ""),
    ]  # fmt: skip
    for asker, product, body, answerer, answer in asked:
        question = question_ask(asker=asker, product_id=product.id, body=body)
        if answerer:
            answer_add(author=staff[answerer], question_id=question.id, body=answer)


def _load_board(members: list[User], moderator: User) -> None:
    if Post.objects.exists():
        return
    K, S = Post.Kind, Post.State
    posts = [
        (members[0], K.REVIEW, "东胜店的店员很专业，耐心帮我挑了合适的尺码，羊绒衫手感特别好。",
         S.PUBLISHED, "感谢您的认可，欢迎常来东胜店试穿新品！", ""),
        (members[1], K.MESSAGE, "请问春节期间门店正常营业吗？",
         S.PUBLISHED, "春节期间各门店照常营业，具体营业时间以门店页面为准。", ""),
        (members[2], K.SUGGESTION, "希望商品页能多放一些模特上身图，再给出尺码建议。",
         S.PUBLISHED, "谢谢建议，我们正在为主要款式补充上身图和尺码表。", ""),
        (members[3], K.COMPLAINT, "快递比预计晚到了两天，外包装也有些破损。",
         S.PUBLISHED, "非常抱歉给您带来不便，已与快递公司核实并加强包装。",
         "已电话联系会员致歉，补寄了防尘袋"),
        (members[1], K.MESSAGE, "加微信低价代购羊绒，量大从优。",
         S.HIDDEN, "", ""),
        (members[2], K.MESSAGE, "新款驼色双面呢大衣什么时候到货？", S.PENDING, "", ""),
    ]  # fmt: skip
    for author, kind, body, state, reply, contact in posts:
        post = board_post(kind=kind, body=body, author=author)
        if state != S.PENDING:
            post_moderate(
                post_id=post.id,
                actor=moderator,
                state=state,
                hide_reason="广告信息" if state == S.HIDDEN else "",
                reply=reply,
                contact_note=contact,
            )


SURVEY = [
    # (kind, title, options, weights: one per option, or the ratings 1–5)
    (Kind.SINGLE, "您最常购买哪类羊绒产品？", ["羊绒衫", "羊绒大衣", "围巾披肩", "家居用品"],
     [8, 3, 6, 2]),
    (Kind.MULTIPLE, "您选购羊绒时看重哪些方面？（可多选）",
     ["含绒量", "手感", "版型", "颜色", "价格", "售后服务"], [7, 8, 5, 4, 6, 3]),
    (Kind.RATING, "您对门店试穿服务的满意度", [], [0, 1, 2, 7, 10]),
    (Kind.TEXT, "您希望绒城购增加哪些商品或服务？", [], []),
]  # fmt: skip
BANK = [
    (Kind.SINGLE, "您更喜欢哪种收货方式？", ["快递到家", "到店自提"], [5, 4]),
    (Kind.SINGLE, "您的年龄段", ["25 岁以下", "25–34 岁", "35–44 岁", "45 岁及以上"], []),
]
WISHES = [
    "希望有更多男士款和大码。",
    "可以增加羊绒衫的清洗保养服务。",
    "希望推出亲子款。",
    "",
    "会员积分能换保养礼盒就好了。",
    "希望有旧衣回收或以旧换新。",
    "门店能不能提供改衣、修补？",
    "",
    "希望增加更多颜色可选。",
    "想要羊绒袜和手套的礼盒套装。",
    "希望夏季也有薄款羊绒 T 恤。",
    "",
]
ANONYMOUS_SHEETS = 15


def _answer(rng: random.Random, kind: str, options: list[str], weights: list[int], n: int):
    if kind == Kind.SINGLE:
        return rng.choices(range(len(options)), weights=weights)[0]
    if kind == Kind.MULTIPLE:
        picked = {rng.choices(range(len(options)), weights=weights)[0] for _ in range(3)}
        return sorted(picked)
    if kind == Kind.RATING:
        return rng.choices((1, 2, 3, 4, 5), weights=weights)[0]
    return WISHES[n % len(WISHES)]


def _load_surveys(members: list[User]) -> None:
    if Survey.objects.exists():
        return
    bank = {}
    for kind, title, options, _weights in BANK:
        row = BankQuestion(kind=kind, title=title, options_text="\n".join(options))
        bank[title] = bank_question_save(question=row)
    now = timezone.now()
    survey = survey_save(
        survey=Survey(
            title="2026 冬季羊绒选购调研",
            description="花两分钟告诉我们您的选购习惯，帮助我们准备更合适的款式和服务。",
            deadline=now + timedelta(days=90),
            allow_anonymous=True,
            results_public=True,
            is_published=True,
        )
    )
    plan = [*SURVEY[:3], BANK[0], SURVEY[3]]
    questions = []
    for position, (kind, title, options, weights) in enumerate(plan):
        question = SurveyQuestion(survey=survey, position=position, bank_question=bank.get(title))
        if title not in bank:  # a bank question copies its text from the bank
            question.kind, question.title = kind, title
            question.options_text = "\n".join(options)
        questions.append((survey_question_save(question=question), options, weights))
    rng = random.Random(2026)  # noqa: S311 - the same answers on every machine
    respondents = [*members, *[None] * ANONYMOUS_SHEETS]
    for n, respondent in enumerate(respondents):
        answers = {
            q.id: _answer(rng, q.kind, options, weights, n) for q, options, weights in questions
        }
        sheet_submit(survey_id=survey.id, respondent=respondent, answers=answers)
    survey_save(
        survey=Survey(
            title="门店服务满意度（模板）",
            description="到店体验后的满意度回访，可从问卷库新建。",
            deadline=now + timedelta(days=365),
            in_library=True,
        )
    )


def _load_restock(store: Store, members: list[User], products: list, staff: dict[str, User]):
    if Registration.objects.exists():
        return
    skus = list(products[2].skus.filter(is_active=True).order_by("position")[:2])
    arriving, other = skus[0], skus[-1]
    for member, sku, quantity in ((members[2], arriving, 1), (members[3], arriving, 2)):
        restock_register(
            member=member,
            sku_id=sku.id,
            city_code=store.city_id,
            quantity=quantity,
            mobile=member.mobile,
            consent=True,
        )
    restock_register(
        member=members[0],
        sku_id=other.id,
        city_code=store.city_id,
        quantity=1,
        mobile=members[0].mobile,
        consent=True,
    )
    # The size arrives in the store: the receipt tells the two members waiting for it.
    stock_receive(
        actor=staff["store_manager"], store_id=store.id, lines=[(arriving.id, 3)], note="补货"
    )
    first = Registration.objects.filter(sku=arriving).order_by("id").first()
    if first is not None:
        restock_mark_contacted(registration_id=first.id, note="会员周末到店试穿后下单")


def load_community() -> None:
    store = Store.objects.filter(code=STORE_CODE).first()
    if store is None:
        return
    staff = {
        u.username: u
        for u in User.objects.filter(username__in=["clerk", "store_manager", "cs_agent", "admin"])
    }
    members = _members()
    products = _store_products(store, 3)
    if len(products) < 3:
        return
    _load_chats(store, members, products[0], staff)
    _load_favorites(members[0], store, products)
    _load_questions(members, products, staff)
    _load_board(members, staff["cs_agent"])
    _load_surveys(members)
    _load_restock(store, members, products, staff)
