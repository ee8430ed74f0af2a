"""The demo help center: columns and articles in Chinese and English, among them the pages
the specification names (How to Order, Payment, Delivery). Written through the services, so
the bodies are sanitised and indexed like any operator's; skipped when columns exist."""

from rongcheng.helpcenter.models import Article, Column
from rongcheng.helpcenter.services import article_save, column_save

# (key, name, English name, parent key)
COLUMNS = [
    ("shopping", "购物指南", "Shopping Help", ""),
    ("payment", "支付方式", "Payment", "shopping"),
    ("delivery", "配送说明", "Delivery", "shopping"),
    ("member", "会员帮助", "Member Help", ""),
    ("returns", "退换货", "Returns", ""),
    ("news", "新闻公告", "News", ""),
]
# (column key, title, English title, summary, English summary, body, English body)
ARTICLES = [
    (
        "shopping",
        "如何下单",
        "How to Order",
        "从挑选商品到提交订单的四个步骤。",
        "Four steps from choosing goods to placing your order.",
        "<h2>一、挑选商品</h2><p>按类目、品牌或搜索找到商品，在商品页选择颜色和尺码，"
        "页面会显示您所在城市的库存。</p>"
        "<h2>二、加入购物袋</h2><p>点击“加入购物袋”，或点击“立即购买”直接结算。"
        "未登录时商品也会保存在购物袋中，登录后自动合并。</p>"
        "<h2>三、填写收货方式</h2><p>选择快递到家或到店自提。首次下单需填写真实姓名并绑定手机号。"
        "同一订单中的商品可能由不同门店发货，系统会按门店拆分订单并分别计算运费。</p>"
        "<h2>四、提交并支付</h2><p>确认金额后提交订单，并在 30 分钟内完成支付，"
        "超时未支付的订单会自动关闭。</p>",
        "<h2>1. Choose your goods</h2><p>Find goods by category, brand or search. On the "
        "product page choose a colour and a size; the page shows the stock in your city.</p>"
        "<h2>2. Add them to your bag</h2><p>Click Add to bag, or Buy now to check out at once. "
        "Your bag keeps the goods before you log in and is merged with your account when you "
        "do.</p>"
        "<h2>3. Choose how to receive them</h2><p>Choose courier delivery or pick-up in a store. "
        "Your first order needs your real name and a verified mobile number. Goods may ship "
        "from different stores: the order is split by store and each part has its own "
        "shipping fee.</p>"
        "<h2>4. Place the order and pay</h2><p>Check the total, place the order and pay within "
        "30 minutes; unpaid orders close automatically after that.</p>",
    ),
    (
        "payment",
        "支付方式",
        "Payment",
        "支付宝、微信支付、银联和绒易付余额。",
        "Alipay, WeChat Pay, UnionPay and your Rongyifu balance.",
        "<p>绒城购支持以下支付方式：</p><ul><li>支付宝：电脑网页支付或手机网页支付；</li>"
        "<li>微信支付：扫码支付；</li><li>银联在线支付；</li>"
        "<li>绒易付余额：账户余额足够时，输入支付密码即可付款。</li></ul>"
        "<p>支付结果以支付机构的通知为准。订单取消或关闭后，已付款项按原支付方式退回。</p>",
        "<p>Rongcheng Mall accepts these payment methods:</p><ul><li>Alipay, on a computer or "
        "a phone browser;</li><li>WeChat Pay, by scanning a QR code;</li><li>UnionPay online "
        "payment;</li><li>your Rongyifu wallet balance: when it covers the amount, pay with "
        "your payment password.</li></ul><p>A payment counts once the payment provider "
        "confirms it. When an order is cancelled or closed, the money goes back the way it was "
        "paid.</p>",
    ),
    (
        "delivery",
        "配送说明",
        "Delivery",
        "快递到家和到店自提，运费如何计算。",
        "Courier delivery and store pick-up, and how shipping fees are worked out.",
        "<h2>快递到家</h2><p>由收货城市就近的门店或发货中心发货，运费按重量或件数计算，"
        "满足包邮条件的订单免运费。</p>"
        "<h2>到店自提</h2><p>选择您所在城市有货的门店，到店出示提货码即可取货，自提免运费，"
        "还可在门店试穿。</p>",
        "<h2>Courier delivery</h2><p>Goods ship from the store or fulfillment center nearest "
        "to your address. The shipping fee depends on weight or number of pieces; orders that "
        "reach the free-shipping amount ship free.</p>"
        "<h2>Pick-up in a store</h2><p>Choose a store in your city that has the goods and show "
        "your pick-up code there. Pick-up is free, and you can try the goods on in the "
        "store.</p>",
    ),
    (
        "member",
        "注册与登录",
        "Registration and Login",
        "用手机号注册，用密码或短信验证码登录。",
        "Register with your mobile number; log in with a password or an SMS code.",
        "<p>使用手机号和短信验证码即可注册成为会员，无需审核。登录时可使用手机号、用户名或邮箱"
        "加密码，也可以使用短信验证码。忘记密码时，可通过短信、邮箱或安全问题找回。</p>",
        "<p>Register as a member with your mobile number and an SMS code; there is no review. "
        "Log in with your mobile number, username or e-mail and your password, or with an SMS "
        "code. If you forget your password, recover it by SMS, e-mail or your security "
        "question.</p>",
    ),
    (
        "returns",
        "退换货政策",
        "Returns Policy",
        "七天无理由退货，定制商品除外。",
        "Return within seven days without giving a reason, except made-to-order goods.",
        "<p>普通商品自签收之日起七日内可申请无理由退货，商品应保持完好、吊牌齐全；"
        "定制商品除外。退货可寄回发货门店，也可送到就近门店。退款按原支付方式退回。</p>",
        "<p>You may return goods within seven days of receiving them without giving a reason, "
        "as long as they are unworn with their tags; made-to-order goods are excluded. Send "
        "them back to the store that shipped them or bring them to a store near you. Refunds "
        "go back the way you paid.</p>",
    ),
    (
        "news",
        "绒城购商城上线",
        "Rongcheng Mall is open",
        "线上下单，就近门店体验与自提。",
        "Order online, try on and pick up in a store near you.",
        "<p>绒城购商城正式上线：精选鄂尔多斯优质羊绒服饰，线上下单，全国门店体验、自提或快递到家。</p>",
        "<p>Rongcheng Mall is open: fine cashmere from Ordos, ordered online, tried on and "
        "picked up in our stores across the country, or delivered to your door.</p>",
    ),
]


TOPICS = {
    "如何下单": Article.Topic.ORDERING,
    "支付方式": Article.Topic.PAYMENT,
    "配送说明": Article.Topic.DELIVERY,
    "注册与登录": Article.Topic.REGISTRATION,
    "退换货政策": Article.Topic.RETURNS,
}


def load_help() -> None:
    if Column.objects.exists():
        return
    columns: dict[str, Column] = {}
    for position, (key, name, name_en, parent) in enumerate(COLUMNS):
        columns[key] = column_save(
            column=Column(name=name, name_en=name_en, parent=columns.get(parent), position=position)
        )
    for position, (key, title, title_en, summary, summary_en, body, body_en) in enumerate(ARTICLES):
        article_save(
            article=Article(
                column=columns[key],
                title=title,
                title_en=title_en,
                summary=summary,
                summary_en=summary_en,
                body=body,
                body_en=body_en,
                status=Article.Status.PUBLISHED,
                position=position,
                topic=TOPICS.get(title, ""),
            )
        )
