"""The sandbox UnionPay: plays the UnionPay online gateway (5.1.0) inside the platform.

- A sandbox CA (root and middle certificates), UnionPay's signing certificate issued by it and
  the merchant's signing key and certificate are generated once (sandbox/keys.py); the adapter
  is configured with them exactly as with UnionPay's real root and middle certificates.
- The browser posts the signed front form to `front_open` (frontTransReq.do), which checks the
  merchant's signature and opens the bank-card cashier. `answer_api` is the adapter's transport
  for backTransReq.do (refunds) and queryTrans.do; every answer, and every notification, is
  signed by UnionPay's 5.1.0 rule with the sandbox UnionPay key and carries its certificate.
- Paying at the cashier sends the consume notification (txnType 01, respCode 00); a refund is
  accepted (respCode 00), then its notification (txnType 04) is sent.
"""

from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode, urlsplit

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from django.utils import timezone

from rongcheng.payments.gateways.common import public_key_of
from rongcheng.payments.gateways.unionpay import (
    BACK_PATH,
    CONSUME,
    QUERY_PATH,
    REFUND,
    TIME_FORMAT,
    cert_id,
    sign,
    signature_valid,
)
from rongcheng.payments.models import Provider, SandboxRefund, SandboxTrade
from rongcheng.payments.sandbox import books
from rongcheng.payments.sandbox.delivery import deliver_after_commit
from rongcheng.payments.sandbox.keys import _new_key_pair, sandbox_material

MER_ID = "777290058110048"  # the shape of UnionPay's test merchant numbers
OWNER = "中国银联股份有限公司"
FORM = {"Content-Type": "application/x-www-form-urlencoded; charset=UTF-8"}


def _certificate(cn: str, public_pem: str, *, issuer_cn: str, issuer_key_pem: str, ca: bool) -> str:
    key = serialization.load_pem_private_key(issuer_key_pem.encode(), None)
    assert isinstance(key, rsa.RSAPrivateKey)
    # Generated once and kept: valid ten years either side, so a test that travels in time
    # (or a demo run under a frozen clock) still finds the sandbox's certificates valid.
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)]))
        .issuer_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, issuer_cn)]))
        .public_key(public_key_of(public_pem))
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=3650))
        .not_valid_after(now + timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    return cert.public_bytes(serialization.Encoding.PEM).decode()


def _make_material() -> dict:
    """A sandbox CA (root → middle), UnionPay's signing certificate and the merchant's."""
    pairs = {name: _new_key_pair() for name in ("root", "middle", "unionpay", "merchant")}
    root_cn, middle_cn = "Sandbox UnionPay Root CA", "Sandbox UnionPay Middle CA"
    certs = {
        "root": _certificate(
            root_cn, pairs["root"]["public"], issuer_cn=root_cn,
            issuer_key_pem=pairs["root"]["private"], ca=True,
        ),
        "middle": _certificate(
            middle_cn, pairs["middle"]["public"], issuer_cn=root_cn,
            issuer_key_pem=pairs["root"]["private"], ca=True,
        ),
        "unionpay": _certificate(
            f"041@Z0000000000@{OWNER}@00000001", pairs["unionpay"]["public"],
            issuer_cn=middle_cn, issuer_key_pem=pairs["middle"]["private"], ca=False,
        ),
        "merchant": _certificate(
            f"041@Z0000000001@{MER_ID}@00000001", pairs["merchant"]["public"],
            issuer_cn=middle_cn, issuer_key_pem=pairs["middle"]["private"], ca=False,
        ),
    }  # fmt: skip
    return {name: pairs[name] | {"cert": certs[name]} for name in pairs}


def _material() -> dict:
    return sandbox_material("unionpay", _make_material)


def sandbox_config():
    from django.urls import reverse

    from rongcheng.payments.gateways.unionpay import UnionpayConfig

    material = _material()
    front = reverse("payments:sandbox_unionpay_front")
    return UnionpayConfig(
        mer_id=MER_ID,
        sign_key=material["merchant"]["private"],
        sign_cert=material["merchant"]["cert"],
        root_cert=material["root"]["cert"],
        middle_cert=material["middle"]["cert"],
        sign_cert_owner=OWNER,
        gateway=front.removesuffix("/gateway/api/frontTransReq.do"),
        transport=answer_api,
    )


def signed(params: dict[str, str]) -> dict[str, str]:
    """UnionPay's message: signed with the sandbox UnionPay key, its certificate attached."""
    unionpay = _material()["unionpay"]
    params = params | {
        "signMethod": "01",
        "certId": cert_id(unionpay["cert"]),
        "signPubKeyCert": unionpay["cert"],
    }
    return sign(params, unionpay["private"])


def _merchant_signed(params: dict[str, str]) -> bool:
    merchant = _material()["merchant"]
    return (
        params.get("merId") == MER_ID
        and params.get("certId") == cert_id(merchant["cert"])
        and params.get("version") == "5.1.0"
        and params.get("signMethod") == "01"
        and signature_valid(params, public_key_of(merchant["public"]))
    )


def _beijing(moment: datetime) -> str:
    return timezone.localtime(moment).strftime(TIME_FORMAT)


def _parse_beijing(value: str) -> datetime:
    return timezone.make_aware(datetime.strptime(value, TIME_FORMAT))


def front_open(form: dict[str, str]) -> SandboxTrade:
    """The browser arrives with the merchant's signed consume form: open the trade."""
    if not _merchant_signed(form) or form.get("txnType") != CONSUME:
        raise books.SandboxRefused("11 验证签名失败")
    try:
        return books.open_trade(
            Provider.UNIONPAY,
            form["orderId"],
            int(form["txnAmt"]),
            merchant_id=MER_ID,
            subject="",  # UnionPay's consume form carries no description
            channel=form["channelType"],
            notify_url=form["backUrl"],
            return_url=form.get("frontUrl", ""),
            expires_at=_parse_beijing(form["payTimeout"]) if form.get("payTimeout") else None,
            extra={"txnTime": form["txnTime"]},
        )
    except (KeyError, ValueError):
        raise books.SandboxRefused("10 报文格式错误") from None


def _answer(request: dict[str, str], **fields: str) -> str:
    echoed = {
        key: request[key]
        for key in ("version", "encoding", "bizType", "txnType", "txnSubType", "accessType")
        if key in request
    }
    return urlencode(signed(echoed | {"merId": MER_ID} | fields))


def _query(request: dict[str, str]) -> str:
    trade = SandboxTrade.objects.filter(
        provider=Provider.UNIONPAY, out_trade_no=request.get("orderId", "")
    ).first()
    status = books.trade_status(trade) if trade else "NOTPAY"
    if trade is None or status == "NOTPAY":
        return _answer(request, respCode="34", respMsg="查无此交易")
    return _answer(
        request,
        respCode="00",
        respMsg="成功[0000000]",
        orderId=trade.out_trade_no,
        txnTime=trade.extra.get("txnTime", ""),
        queryId=trade.trade_no,
        txnAmt=str(trade.amount_fen),
        origRespCode="00" if trade.paid_at else "01",
        origRespMsg="成功[0000000]" if trade.paid_at else "交易失败",
    )


def _refund(request: dict[str, str]) -> str:
    trade = SandboxTrade.objects.filter(
        provider=Provider.UNIONPAY, trade_no=request.get("origQryId", "")
    ).first()
    if trade is None:
        return _answer(request, respCode="35", respMsg="原交易不存在")
    try:
        refund, created = books.refund_record(
            trade,
            out_refund_no=request["orderId"],
            amount_fen=int(request["txnAmt"]),
            notify_url=request.get("backUrl", ""),
        )
    except books.SandboxRefused:
        return _answer(request, respCode="13", respMsg="退货金额超限或交易状态不允许退货")
    except (KeyError, ValueError):
        return _answer(request, respCode="10", respMsg="报文格式错误")
    if created:
        deliver_after_commit(
            Provider.UNIONPAY, refund_notification(refund.pk, request.get("reqReserved", "")), FORM
        )
    return _answer(request, respCode="00", respMsg="成功[0000000]", orderId=refund.out_refund_no)


def answer_api(url: str, form: dict[str, str]) -> str:
    """The adapter's transport in sandbox mode: backTransReq.do and queryTrans.do."""
    if not _merchant_signed(form):
        return _answer(form, respCode="11", respMsg="验证签名失败")
    path = urlsplit(url).path
    if path.endswith(QUERY_PATH):
        return _query(form)
    if path.endswith(BACK_PATH) and form.get("txnType") == REFUND:
        return _refund(form)
    return _answer(form, respCode="10", respMsg="报文格式错误")


def _notification(trade: SandboxTrade, **fields: str) -> str:
    now = timezone.now()
    return urlencode(
        signed(
            {
                "version": "5.1.0",
                "encoding": "UTF-8",
                "bizType": "000201",
                "accessType": "0",
                "currencyCode": "156",
                "merId": trade.merchant_id,
                "respCode": "00",
                "respMsg": "成功[0000000]",
                "traceNo": f"{now:%H%M%S}",
                "traceTime": f"{timezone.localtime(now):%m%d%H%M%S}",
                "settleAmt": fields.get("txnAmt", str(trade.amount_fen)),
                "settleCurrencyCode": "156",
                "settleDate": f"{timezone.localtime(now):%m%d}",
            }
            | fields
        )
    )


def paid_notification(out_trade_no: str) -> tuple[SandboxTrade, str, dict[str, str]]:
    """The buyer pays with a card at the cashier: UnionPay's consume notification."""
    trade = books.trade_pay(Provider.UNIONPAY, out_trade_no)
    body = _notification(
        trade,
        txnType=CONSUME,
        txnSubType="01",
        channelType=trade.channel,
        orderId=trade.out_trade_no,
        txnTime=trade.extra.get("txnTime", ""),
        txnAmt=str(trade.amount_fen),
        queryId=trade.trade_no,
        accNo="6216***********0018",
    )
    return trade, body, FORM


def refund_notification(refund_pk: int, req_reserved: str) -> str:
    """The refund reaches the card: UnionPay's refund notification (txnType 04)."""
    refund: SandboxRefund = books.refund_succeed(refund_pk)
    return _notification(
        refund.trade,
        txnType=REFUND,
        txnSubType="00",
        channelType="07",
        orderId=refund.out_refund_no,
        origQryId=refund.trade.trade_no,
        txnTime=_beijing(refund.created_at),
        txnAmt=str(refund.amount_fen),
        queryId=refund.refund_no,
        reqReserved=req_reserved,
    )
