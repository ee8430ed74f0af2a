"""我的钱包 (绒易付, ADM-6, LAW-6): balance and statement, top-up through a gateway, the
payment password, withdrawals of the unused balance and the wallet's written terms.
Members only; a member sees and changes only their own wallet."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from rongcheng.accounts.models import SmsCode
from rongcheng.core.client_ip import client_ip
from rongcheng.core.errors import ApplicationError
from rongcheng.ledger.errors import WithdrawalNotFound
from rongcheng.ledger.models import Withdrawal
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
from rongcheng.storefront.views.checkout import browser_channel, browser_methods, to_provider
from rongcheng.storefront.views.codes import (
    is_send_code,
    posted_initial,
    send_code_answer,
    show_error,
    sms_sender,
)
from rongcheng.storefront.wallet_forms import PaymentPasswordForm, TopupForm, WithdrawalForm


def _page_number(request, name: str = "page") -> int:
    value = request.GET.get(name, "")
    return int(value) if value.isdigit() and len(value) < 6 else 1


@login_required
def wallet_home(request):
    """Balance, the top-up form and the statement with its running balance."""
    return _home(request, TopupForm(methods=browser_methods()))


def _home(request, form: TopupForm):
    member = request.user
    context = {
        "section": "wallet",
        "balance": wallet_balance(member=member),
        "statement": wallet_statement(member=member, page=_page_number(request)),
        "form": form,
        "has_password": wallet_has_payment_password(member=member),
    }
    return render(request, "member/wallet.html", context)


@login_required
@require_POST
def wallet_topup(request):
    form = TopupForm(request.POST, methods=browser_methods())
    if not form.is_valid():
        return _home(request, form)
    data = form.cleaned_data
    done_url = reverse("storefront:member_wallet_topup_done")
    try:
        _payment, started = wallet_topup_start(
            member=request.user,
            amount=data["amount"],
            channel=browser_channel(request, data["method"]),
            base_url=request.build_absolute_uri("/"),
            return_url=done_url,
            client_ip=client_ip(request),
        )
    except ApplicationError as error:
        show_error(form, error)
        return _home(request, form)
    return to_provider(request, started, done_url=done_url)


@csrf_exempt
@require_http_methods(["GET", "POST"])
def wallet_topup_done(request):
    """Where the provider sends the member back. Only the verified notification credits the
    wallet, so this changes nothing: it shows the wallet (UnionPay's cross-site POST carries no
    session cookie, hence a redirect to a GET)."""
    return redirect("storefront:member_wallet")


@login_required
def payment_password(request):
    """Set or change the payment password with the login password or an SMS code."""
    member = request.user

    def page(form, **extra):
        context = {
            "section": "wallet",
            "form": form,
            "has_password": wallet_has_payment_password(member=member),
            "has_mobile": bool(member.mobile),
            **extra,
        }
        return render(request, "member/wallet_password.html", context)

    if is_send_code(request) and member.mobile:
        send = sms_sender(request, purpose=SmsCode.Purpose.PAYMENT_PASSWORD, mobile=member.mobile)
        return send_code_answer(
            request,
            send=send,
            page=lambda **extra: page(
                PaymentPasswordForm(initial=posted_initial(request)), **extra
            ),
        )
    form = PaymentPasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            wallet_set_payment_password(
                user=member,
                password=data["password"],
                login_password=data["login_password"],
                sms_code=data["code"],
            )
        except ApplicationError as error:
            show_error(form, error)
        else:
            messages.success(request, _("支付密码已设置。"))
            return redirect("storefront:member_wallet")
    return page(form)


@login_required
def withdrawals(request):
    """Ask for the unused balance back (LAW-6), and follow or cancel the requests."""
    member = request.user
    form = WithdrawalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            wallet_check_payment_password(user=member, password=data["password"])
            withdrawal_request(
                member=member,
                amount=data["amount"],
                channel=data["channel"],
                payee_name=data["payee_name"],
                payee_account=data["payee_account"],
            )
        except ApplicationError as error:
            show_error(form, error)
        else:
            messages.success(request, _("提现申请已提交，等待审核。"))
            return redirect("storefront:member_withdrawals")
    context = {
        "section": "wallet",
        "form": form,
        "balance": wallet_balance(member=member),
        "withdrawals": member_withdrawals(member=member, page=_page_number(request)),
        "cancellable": Withdrawal.Status.REQUESTED,
    }
    return render(request, "member/withdrawals.html", context)


@login_required
@require_POST
def withdrawal_cancel_view(request, number: str):
    withdrawal = Withdrawal.objects.filter(member=request.user, number=number).first()
    if withdrawal is None:
        raise WithdrawalNotFound(_("没有这笔提现申请。"))
    try:
        withdrawal_cancel(withdrawal=withdrawal, member=request.user)
    except ApplicationError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("提现申请已撤销，金额已退回钱包。"))
    return redirect("storefront:member_withdrawals")
