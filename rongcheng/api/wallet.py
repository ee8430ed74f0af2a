"""The member's wallet (绒易付, ADM-6, LAW-6) for the app and the mini-program: balance,
statement with its running balance, top-up through a gateway, the payment password,
withdrawals of the unused balance, and paying a checkout from the wallet.

Every rule is the ledger's (`ledger/wallet.py`, `ledger/topup.py`, `checkout/paying.py`); this
router only reads the request and shapes the answer. Money moves only when the gateway's
verified notification arrives (top-up) or in one transaction with its journal (payment,
withdrawal).
"""

from datetime import datetime
from decimal import Decimal
from typing import Literal

from django.core.paginator import Page
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema, Status

from rongcheng.accounts.models import SmsCode
from rongcheng.accounts.services import user_require_identity
from rongcheng.accounts.verification import resend_interval, sms_code_send, sms_code_sent_message
from rongcheng.api.accounts import SmsCodeOut
from rongcheng.api.auth import member_auth
from rongcheng.api.checkout import NUMBER, ApiChannel, PayOut, PlacedOut, payment_out, placed_out
from rongcheng.api.contract import NOT_BLANK, SMS_CODE, BodyIn, Yuan, errors
from rongcheng.checkout.models import Checkout
from rongcheng.checkout.paying import checkout_pay_from_wallet
from rongcheng.core.client_ip import client_ip
from rongcheng.core.errors import NotFound
from rongcheng.ledger.errors import WithdrawalNotFound
from rongcheng.ledger.models import Channel, JournalKind, Withdrawal
from rongcheng.ledger.selectors import (
    member_withdrawals,
    wallet_balance,
    wallet_has_payment_password,
    wallet_statement,
)
from rongcheng.ledger.topup import wallet_topup_start
from rongcheng.ledger.wallet import (
    wallet_check_payment_password,
    wallet_set_payment_password,
    withdrawal_cancel,
    withdrawal_request,
)

router = Router(tags=["wallet"], auth=member_auth)

# A positive amount in yuan with two places: "0.00" is refused by the schema, not the service.
POSITIVE_YUAN = r"^(?:[1-9][0-9]{0,9}\.[0-9]{2}|0\.(?:0[1-9]|[1-9][0-9]))$"
PAYMENT_PASSWORD = r"^[0-9]{6}$"
WITHDRAWAL_NUMBER = r"^TX[0-9]{18}$"


class WalletOut(Schema):
    balance: Yuan
    has_payment_password: bool = Field(description="未设置时，钱包支付和提现前须先设置")


class PageQuery(Schema):
    page: int = Field(1, ge=1)
    per_page: int = Field(20, ge=1, le=100)


class EntryOut(Schema):
    time: datetime
    kind: str = Field(description="凭证类型，如 wallet_topup、wallet_payment、refund")
    kind_label: str
    reference: str = Field(description="业务单据：支付单、结算单、提现单")
    amount: Yuan = Field(description="正数入账，负数出账")
    balance_after: Yuan = Field(description="这笔之后的余额（流水的滚动余额）")


class StatementOut(Schema):
    balance: Yuan
    count: int
    page: int
    pages: int
    per_page: int
    items: list[EntryOut] = Field(description="最新在前")


class TopupIn(BodyIn):
    amount: str = Field(pattern=POSITIVE_YUAN, description="充值金额（元），不超过单次上限")
    channel: ApiChannel


class PaymentPasswordIn(BodyIn):
    """A new payment password, proven by the login password or by an SMS code sent with
    `POST /api/wallet/payment-password/sms-codes` (the only way once it is locked)."""

    password: str = Field(pattern=PAYMENT_PASSWORD, description="6 位数字，不可全同或连续")
    login_password: str = Field("", max_length=128, description="登录密码；或填 sms_code")
    sms_code: str = Field("", pattern=rf"^(?:{SMS_CODE[1:-1]})?$", description="短信验证码")


class PaymentPasswordOut(Schema):
    has_payment_password: bool


class WithdrawalIn(BodyIn):
    amount: str = Field(pattern=POSITIVE_YUAN, description="提现金额（元），不超过余额")
    channel: Literal["alipay", "wechat", "unionpay", "bank"] = Field(description="收款方式")
    payee_name: str = Field(max_length=50, pattern=NOT_BLANK)
    payee_account: str = Field(max_length=64, pattern=NOT_BLANK)
    password: str = Field(pattern=PAYMENT_PASSWORD, description="支付密码")


class WithdrawalOut(Schema):
    number: str
    amount: Yuan
    channel: str
    channel_label: str
    payee_name: str
    payee_account: str
    status: str
    status_label: str
    reason: str = Field(description="驳回原因")
    created_at: datetime


class WithdrawalPageOut(Schema):
    count: int
    page: int
    pages: int
    per_page: int
    items: list[WithdrawalOut]


class WalletPayIn(BodyIn):
    password: str = Field(pattern=PAYMENT_PASSWORD, description="支付密码")


def _page(page: Page, items: list) -> dict:
    return {
        "count": page.paginator.count,
        "page": page.number,
        "pages": page.paginator.num_pages,
        "per_page": page.paginator.per_page,
        "items": items,
    }


def _withdrawal(withdrawal: Withdrawal) -> dict:
    return {
        "number": withdrawal.number,
        "amount": withdrawal.amount,
        "channel": withdrawal.channel,
        "channel_label": str(Channel(withdrawal.channel).label),
        "payee_name": withdrawal.payee_name,
        "payee_account": withdrawal.payee_account,
        "status": withdrawal.status,
        "status_label": withdrawal.get_status_display(),
        "reason": withdrawal.reason,
        "created_at": withdrawal.created_at,
    }


@router.get("", response=WalletOut, summary="钱包余额")
def wallet(request):
    return {
        "balance": wallet_balance(member=request.user),
        "has_payment_password": wallet_has_payment_password(member=request.user),
    }


@router.get("/statement", response=StatementOut, summary="钱包流水（含滚动余额，分页）")
def statement(request, query: Query[PageQuery]):
    page = wallet_statement(member=request.user, page=query.page, per_page=query.per_page)
    items = [
        {
            "time": entry.journal.created_at,
            "kind": entry.journal.kind,
            "kind_label": str(JournalKind(entry.journal.kind).label),
            "reference": entry.journal.reference,
            "amount": entry.amount,
            "balance_after": entry.balance_after,
        }
        for entry in page.object_list
    ]
    return {"balance": wallet_balance(member=request.user), **_page(page, items)}


@router.post(
    "/topups",
    response={200: PayOut, **errors(400, 502)},
    summary="充值：发起支付，返回客户端所需的跳转地址、二维码、表单或 JSAPI 参数",
)
def topup(request, payload: TopupIn):
    """The wallet is credited by the provider's verified notification only: poll
    `GET /api/wallet`. 400 `topup_invalid`: above the single top-up limit (a setting);
    502: the provider did not answer, try again."""
    payment, started = wallet_topup_start(
        member=request.user,
        amount=Decimal(payload.amount),
        channel=payload.channel,
        base_url=request.build_absolute_uri("/"),
        return_url=reverse("storefront:member_wallet_topup_done"),
        client_ip=client_ip(request),
    )
    return payment_out(payment, started)


@router.put(
    "/payment-password",
    response={200: PaymentPasswordOut, **errors(400, 403, 429)},
    summary="设置或修改支付密码（凭登录密码或短信验证码）",
)
def payment_password_set(request, payload: PaymentPasswordIn):
    """400 `payment_password_invalid` (all one digit or a run such as 123456),
    `verification_required` (neither proof given); 403 `payment_password_incorrect` (wrong
    login password, counted), `invalid_sms_code`; 429 `payment_password_locked`."""
    wallet_set_payment_password(
        user=request.user,
        password=payload.password,
        login_password=payload.login_password,
        sms_code=payload.sms_code,
    )
    return {"has_payment_password": True}


@router.post(
    "/payment-password/sms-codes",
    response={200: SmsCodeOut, **errors(409, 429)},
    summary="发送设置支付密码的短信验证码到本人手机",
)
def payment_password_sms_code(request):
    """409 `identity_incomplete`: no mobile number bound; 429 `sms_rate_limited`."""
    member = user_require_identity(user=request.user)
    purpose = SmsCode.Purpose.PAYMENT_PASSWORD
    sms_code_send(mobile=member.mobile, purpose=purpose, ip_address=client_ip(request))
    return {"message": sms_code_sent_message(purpose), "resend_after": resend_interval()}


@router.get("/withdrawals", response=WithdrawalPageOut, summary="我的提现申请（最新在前）")
def withdrawal_list(request, query: Query[PageQuery]):
    page = member_withdrawals(member=request.user, page=query.page, per_page=query.per_page)
    return _page(page, [_withdrawal(withdrawal) for withdrawal in page.object_list])


@router.post(
    "/withdrawals",
    response={201: WithdrawalOut, **errors(403, 409, 429)},
    summary="申请提现（金额即时冻结，后台审核后打款）",
)
def withdrawal_create(request, payload: WithdrawalIn):
    """403 `payment_password_incorrect`; 409 `payment_password_not_set`,
    `insufficient_balance`; 429 `payment_password_locked`."""
    wallet_check_payment_password(user=request.user, password=payload.password)
    withdrawal = withdrawal_request(
        member=request.user,
        amount=Decimal(payload.amount),
        channel=payload.channel,
        payee_name=payload.payee_name,
        payee_account=payload.payee_account,
    )
    return Status(201, _withdrawal(withdrawal))


@router.post(
    "/withdrawals/{number}/cancel",
    response={200: WithdrawalOut, **errors(404, 409)},
    summary="撤销未审核的提现申请（金额退回钱包）",
)
def withdrawal_cancel_request(request, number: str = Path(..., pattern=WITHDRAWAL_NUMBER)):
    """404: no such withdrawal of yours; 409 `transition_not_allowed`: reviewed already."""
    withdrawal = Withdrawal.objects.filter(member=request.user, number=number).first()
    if withdrawal is None:
        raise WithdrawalNotFound(_("没有这笔提现申请。"))
    return _withdrawal(withdrawal_cancel(withdrawal=withdrawal, member=request.user))


@router.post(
    "/checkouts/{number}/pay",
    response={200: PlacedOut, **errors(403, 404, 409, 429)},
    summary="用钱包余额支付结算单（凭支付密码）",
)
def checkout_pay(request, payload: WalletPayIn, number: str = Path(..., pattern=NUMBER)):
    """Pays what the checkout's orders still owe, at once. 403 `payment_password_incorrect`;
    404: no such checkout of yours; 409 `checkout_not_payable`, `insufficient_balance`,
    `payment_password_not_set`; 429 `payment_password_locked`."""
    if not Checkout.objects.filter(buyer=request.user, number=number).exists():
        raise NotFound(_("没有这个结算单。"))
    checkout = checkout_pay_from_wallet(
        buyer=request.user, checkout_number=number, password=payload.password
    )
    return placed_out(checkout)
