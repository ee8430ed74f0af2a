"""The wallet's rules (绒易付, ADM-6, LAW-6): the payment password that confirms wallet
payments, and withdrawals of the unused balance, which the back office reviews and pays out.

Wallet money moves only through ledger journals (services.py); a withdrawal holds its amount
in the withdrawals-pending account from the request until it is paid out or returned.
"""

import re
import secrets
from decimal import Decimal
from itertools import pairwise

from django.conf import settings
from django.contrib.auth.hashers import check_password, is_password_usable, make_password
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rongcheng.accounts.models import SmsCode, User
from rongcheng.accounts.verification import humanize_wait, sms_code_verify
from rongcheng.ledger import chart
from rongcheng.ledger.errors import (
    PaymentPasswordIncorrect,
    PaymentPasswordInvalid,
    PaymentPasswordLocked,
    PaymentPasswordNotSet,
    ReviewDenied,
    VerificationRequired,
    WithdrawalInvalid,
)
from rongcheng.ledger.models import Channel, JournalKind, PaymentPassword, Withdrawal
from rongcheng.ledger.services import journal_post, positive_amount
from rongcheng.ledger.state import transition

REVIEW_PERMISSION = "ledger.review_withdrawal"
Status = Withdrawal.Status


def _rules() -> dict:
    return settings.RONGCHENG


# --- Payment password ------------------------------------------------------------------------


def _too_easy(password: str) -> bool:
    """One digit repeated, or a run up or down (123456, 987654)."""
    steps = {int(b) - int(a) for a, b in pairwise(password)}
    return steps in ({0}, {1}, {-1})


def _validate_new(password: str) -> str:
    if not re.fullmatch(r"\d{6}", password or ""):
        raise PaymentPasswordInvalid(_("支付密码必须是 6 位数字。"), field="password")
    if _too_easy(password):
        raise PaymentPasswordInvalid(
            _("支付密码过于简单，请不要使用相同或连续的数字。"), field="password"
        )
    return password


def _locked_error(until) -> PaymentPasswordLocked:
    wait = humanize_wait((until - timezone.now()).total_seconds())
    return PaymentPasswordLocked(
        _("支付密码错误次数过多，已锁定，请 %(wait)s后再试或通过短信验证码重设。") % {"wait": wait}
    )


def _attempt(*, user: User, correct) -> None:
    """Count one try at a secret of the wallet: `correct(row)` says whether it was right.

    Runs in its own durable transaction so that a wrong try stays counted when the caller's next
    step fails: call it before opening the caller's transaction. After PAYMENT_PASSWORD_MAX_
    FAILURES wrong tries in a row the wallet's password is locked for PAYMENT_PASSWORD_LOCK.
    """
    failures_left = 0
    with transaction.atomic(durable=True):
        # A member without a payment password gets an unusable one, so that wrong login
        # passwords given to set it are counted from the first.
        PaymentPassword.objects.get_or_create(
            user=user, defaults={"password_hash": make_password(None)}
        )
        row = PaymentPassword.objects.select_for_update().get(user=user)
        now = timezone.now()
        if row.locked_until and row.locked_until > now:
            raise _locked_error(row.locked_until)
        if correct(row):
            if row.failures:
                PaymentPassword.objects.filter(pk=row.pk).update(failures=0)
            return
        row.failures += 1
        if row.failures >= _rules()["PAYMENT_PASSWORD_MAX_FAILURES"]:
            row.failures, row.locked_until = 0, now + _rules()["PAYMENT_PASSWORD_LOCK"]
        else:
            failures_left = _rules()["PAYMENT_PASSWORD_MAX_FAILURES"] - row.failures
        row.save(update_fields=["failures", "locked_until"])
    if not failures_left:
        raise _locked_error(row.locked_until)
    raise PaymentPasswordIncorrect(
        _("密码错误，还可尝试 %(count)d 次。") % {"count": failures_left}, field="password"
    )


def wallet_check_payment_password(*, user: User, password: str) -> None:
    """Confirm a wallet payment or withdrawal, or raise. Call before the payment's transaction."""
    row = PaymentPassword.objects.filter(user=user).first()
    if row is None or not is_password_usable(row.password_hash):
        raise PaymentPasswordNotSet(_("请先设置支付密码。"))
    _attempt(user=user, correct=lambda row: check_password(password or "", row.password_hash))


def wallet_set_payment_password(
    *, user: User, password: str, login_password: str = "", sms_code: str = ""
) -> PaymentPassword:
    """Set or reset the payment password, proven by an SMS code to the member's mobile or by the
    login password. Wrong login passwords count against the payment password's limit, and a
    locked payment password can be reset only with an SMS code."""
    _validate_new(password)
    if sms_code and user.mobile:
        sms_code_verify(mobile=user.mobile, purpose=SmsCode.Purpose.PAYMENT_PASSWORD, code=sms_code)
    elif login_password:
        _attempt(user=user, correct=lambda _row: user.check_password(login_password))
    else:
        raise VerificationRequired(_("请输入登录密码或短信验证码。"))
    with transaction.atomic():
        row, _created = PaymentPassword.objects.update_or_create(
            user=user,
            defaults={
                "password_hash": make_password(password),
                "failures": 0,
                "locked_until": None,
                "updated_at": timezone.now(),
            },
        )
        return row


# --- Withdrawals -----------------------------------------------------------------------------


def _number() -> str:
    today = timezone.localdate()
    return f"TX{today:%Y%m%d}{secrets.randbelow(10**10):010d}"


def withdrawal_request(
    *, member: User, amount: Decimal, channel: str, payee_name: str, payee_account: str
) -> Withdrawal:
    """The member asks to withdraw unused wallet money (LAW-6): the amount leaves the wallet
    at once for the pending account, so it cannot be spent twice. Confirm the payment password
    (wallet_check_payment_password) first."""
    amount = positive_amount(amount)
    payee_name, payee_account = (payee_name or "").strip(), (payee_account or "").strip()
    if not payee_name or not payee_account:
        raise WithdrawalInvalid(_("请填写收款人和收款账号。"), field="payee_account")
    with transaction.atomic():
        withdrawal = Withdrawal.objects.create(
            number=_number(),
            member=member,
            amount=amount,
            channel=Channel(channel),
            payee_name=payee_name,
            payee_account=payee_account,
        )
        withdrawal.events.create(to_status=Status.REQUESTED, actor=member)
        _post(withdrawal, JournalKind.WITHDRAWAL_REQUEST)
        return withdrawal


def _post(withdrawal: Withdrawal, kind: JournalKind) -> None:
    wallet, pending = chart.member_wallet(withdrawal.member), chart.withdrawals_pending()
    amount = withdrawal.amount
    legs = {
        JournalKind.WITHDRAWAL_REQUEST: [(wallet, -amount), (pending, amount)],
        JournalKind.WITHDRAWAL_RETURN: [(pending, -amount), (wallet, amount)],
        JournalKind.WITHDRAWAL_PAYOUT: [
            (pending, -amount),
            (chart.gateway_clearing(withdrawal.channel), amount),
        ],
    }[kind]
    reference = f"withdrawal:{withdrawal.number}"
    journal_post(kind=kind, idempotency_key=f"{kind}:{reference}", reference=reference, legs=legs)


def _require_reviewer(actor: User) -> None:
    if not (actor.is_active and actor.has_perm(REVIEW_PERMISSION)):
        raise ReviewDenied(_("您没有审核提现的权限。"))


def withdrawal_cancel(*, withdrawal: Withdrawal, member: User) -> Withdrawal:
    """The member takes back a request not yet reviewed; the money returns to the wallet."""
    if withdrawal.member_id != member.pk:
        raise ReviewDenied(_("只能撤销自己的提现申请。"))
    with transaction.atomic():
        withdrawal = transition(withdrawal, to=Status.CANCELLED, actor=member)
        _post(withdrawal, JournalKind.WITHDRAWAL_RETURN)
        return withdrawal


def withdrawal_approve(*, withdrawal: Withdrawal, actor: User) -> Withdrawal:
    _require_reviewer(actor)
    return transition(withdrawal, to=Status.APPROVED, actor=actor)


def withdrawal_reject(*, withdrawal: Withdrawal, actor: User, reason: str) -> Withdrawal:
    """Refuse a request, or give up an approved payout that could not be made; the money
    returns to the member's wallet."""
    _require_reviewer(actor)
    reason = (reason or "").strip()
    if not reason:
        raise WithdrawalInvalid(_("请填写驳回原因。"), field="reason")
    with transaction.atomic():
        withdrawal = transition(
            withdrawal, to=Status.REJECTED, actor=actor, note=reason, reason=reason
        )
        _post(withdrawal, JournalKind.WITHDRAWAL_RETURN)
        return withdrawal


def withdrawal_pay_out(*, withdrawal: Withdrawal, actor: User, payout_reference: str) -> Withdrawal:
    """Record that an approved withdrawal was paid to the member (the transfer's reference)."""
    _require_reviewer(actor)
    payout_reference = (payout_reference or "").strip()
    if not payout_reference:
        raise WithdrawalInvalid(_("请填写打款流水号。"), field="payout_reference")
    with transaction.atomic():
        withdrawal = transition(
            withdrawal,
            to=Status.PAID_OUT,
            actor=actor,
            note=payout_reference,
            payout_reference=payout_reference,
        )
        _post(withdrawal, JournalKind.WITHDRAWAL_PAYOUT)
        return withdrawal
