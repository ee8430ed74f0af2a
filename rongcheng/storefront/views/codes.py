"""The "获取验证码" button shared by the sign-up, sign-in and password pages.

It is a submit button (name="action", value="send_code") of the page's own form, so it works
without JavaScript: the page comes back with a notice. The page script (sms-code.js) posts the
same form with `Accept: application/json` and gets the notice as JSON instead.
"""

from collections.abc import Callable

from django.http import HttpResponse, JsonResponse

from rongcheng.accounts.verification import resend_interval, sms_code_send, sms_code_sent_message
from rongcheng.core.client_ip import client_ip
from rongcheng.core.errors import ApplicationError

SEND_CODE = "send_code"
NOT_KEPT = ("csrfmiddlewaretoken", "action")


def is_send_code(request) -> bool:
    return request.method == "POST" and request.POST.get("action") == SEND_CODE


def posted_initial(request) -> dict[str, str]:
    """What was typed so far, to fill the form again; passwords are never sent back."""
    return {
        name: value
        for name, value in request.POST.items()
        if name not in NOT_KEPT and "password" not in name
    }


def sms_sender(request, *, purpose: str, mobile: str) -> Callable[[], str]:
    def send() -> str:
        sms_code_send(mobile=mobile, purpose=purpose, ip_address=client_ip(request))
        return sms_code_sent_message(purpose)

    return send


def send_code_answer(
    request, *, send: Callable[[], str], page: Callable[..., HttpResponse]
) -> HttpResponse:
    """Run `send` and answer: JSON for the page script, else the page with a notice."""
    as_json = request.headers.get("Accept", "").startswith("application/json")
    try:
        notice = send()
    except ApplicationError as error:
        if as_json:
            return JsonResponse(error.as_dict(), status=error.status)
        return page(code_error=error.message)
    if as_json:
        return JsonResponse({"code": "ok", "message": notice, "resend_after": resend_interval()})
    return page(code_notice=notice)


def show_error(form, error: ApplicationError) -> None:
    """Put a service's error on its field when the form has that field, else over the form."""
    form.add_error(error.field if error.field in form.fields else None, error.message)
