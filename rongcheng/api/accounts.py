"""Sign-up, sign-in and sign-out for the app, the mini-program and the web (`/api/auth`).

`mode: "token"` answers a bearer token for apps; `mode: "session"` signs the browser in with
Django's session cookie and, like every session write, needs the CSRF token.
"""

from typing import Literal

from django.contrib.auth import authenticate, login, logout
from django.contrib.auth.signals import user_logged_in
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from pydantic import ConfigDict, model_validator

from rongcheng.accounts.errors import InvalidCredentials
from rongcheng.accounts.lockout import lockout_error
from rongcheng.accounts.models import User
from rongcheng.accounts.services import member_register
from rongcheng.accounts.tokens import api_token_create, api_token_revoke
from rongcheng.accounts.verification import (
    member_sms_login,
    resend_interval,
    sms_code_send,
    sms_code_sent_message,
)
from rongcheng.api.auth import member_auth, require_csrf
from rongcheng.api.contract import MOBILE, SMS_CODE, BodyIn, errors
from rongcheng.core.client_ip import client_ip

router = Router(tags=["auth"])

SESSION_BACKEND = "rongcheng.accounts.backends.IdentifierBackend"
Mode = Literal["session", "token"]


class SmsCodeIn(BodyIn):
    mobile: str = Field(pattern=MOBILE, examples=["13800000001"])
    # Codes to change the password or bind a number are asked for from the member pages.
    purpose: Literal["register", "login", "reset_password"]


class SmsCodeOut(Schema):
    message: str
    resend_after: int = Field(description="seconds before the same number may ask again")


class MeOut(Schema):
    id: int
    username: str
    display_name: str
    mobile: str | None
    email: str | None
    real_name: str


class SignedInOut(Schema):
    user: MeOut
    token: str | None = Field(description='the bearer token (mode "token" only); shown once')


# Stated for clients, checked by the service with its own message (400 password_invalid):
# at least 8 characters, not digits only, not a common password.
PASSWORD_RULES = {"minLength": 8, "pattern": r"^[^\x00]*[^\d\x00][^\x00]*$"}
# Each agreement must be given (400 consent_required otherwise).
AGREED = {"const": True}


class RegisterIn(BodyIn):
    mobile: str = Field(pattern=MOBILE)
    sms_code: str = Field(pattern=SMS_CODE)
    password: str = Field(max_length=128, json_schema_extra=PASSWORD_RULES)
    accept_terms: bool = Field(description="agrees to the user agreement", json_schema_extra=AGREED)
    accept_privacy: bool = Field(
        description="agrees to the privacy policy", json_schema_extra=AGREED
    )
    marketing_sms: bool = Field(False, description="opts in to marketing SMS")
    mode: Mode = "token"
    device: str = Field("", max_length=100, description="device name shown in the token list")


def _given(*names: str) -> dict:
    return {"required": list(names), "properties": {name: {"type": "string"} for name in names}}


class LoginIn(BodyIn):
    # Exactly one way to sign in, as one_way_to_sign_in checks.
    model_config = ConfigDict(
        json_schema_extra={
            "oneOf": [_given("identifier", "password"), _given("mobile", "sms_code")]
        }
    )

    identifier: str | None = Field(
        None, min_length=1, max_length=254, description="username, mobile or e-mail"
    )
    password: str | None = Field(None, min_length=1, max_length=128)
    mobile: str | None = Field(None, pattern=MOBILE)
    sms_code: str | None = Field(None, pattern=SMS_CODE)
    mode: Mode = "token"
    device: str = Field("", max_length=100)

    @model_validator(mode="after")
    def one_way_to_sign_in(self):
        by_password = self.identifier is not None and self.password is not None
        by_code = self.mobile is not None and self.sms_code is not None
        if by_password == by_code:
            raise ValueError("identifier + password, or mobile + sms_code")
        return self


def _signed_in(request, user: User, mode: Mode, device: str) -> dict:
    key = None
    if mode == "session":
        login(request, user, backend=SESSION_BACKEND)
    else:
        _token, key = api_token_create(user=user, name=device)
        # What login() announces for sessions: last_login is set and axes clears the failures.
        user_logged_in.send(sender=user.__class__, request=request, user=user)
    return {"user": user, "token": key}


@router.post("/sms-codes", response={200: SmsCodeOut, **errors(429)}, summary="获取短信验证码")
def sms_codes(request, payload: SmsCodeIn):
    sms_code_send(mobile=payload.mobile, purpose=payload.purpose, ip_address=client_ip(request))
    return {"message": sms_code_sent_message(payload.purpose), "resend_after": resend_interval()}


@router.post(
    "/register", response={201: SignedInOut, **errors(400, 403, 409)}, summary="手机号注册"
)
def register(request, payload: RegisterIn):
    if payload.mode == "session":
        require_csrf(request)
    user = member_register(
        mobile=payload.mobile,
        password=payload.password,
        sms_code=payload.sms_code,
        terms_accepted=payload.accept_terms,
        privacy_accepted=payload.accept_privacy,
        marketing_sms=payload.marketing_sms,
    )
    return Status(201, _signed_in(request, user, payload.mode, payload.device))


@router.post(
    "/login", response={200: SignedInOut, **errors(401, 403, 429)}, summary="密码或短信验证码登录"
)
def sign_in(request, payload: LoginIn):
    if payload.mode == "session":
        require_csrf(request)
    if payload.mobile and payload.sms_code:
        user = member_sms_login(mobile=payload.mobile, code=payload.sms_code)
    else:
        # authenticate() goes through django-axes, which counts failures per (name, IP).
        found = authenticate(request, username=payload.identifier, password=payload.password)
        if found is None:
            if getattr(request, "axes_locked_out", False):
                raise lockout_error()
            raise InvalidCredentials(_("账号或密码不正确。"))
        user = found
    return _signed_in(request, user, payload.mode, payload.device)


@router.post("/logout", auth=member_auth, response={204: None}, summary="退出登录")
def sign_out(request):
    token = getattr(request, "api_token", None)
    if token is not None:
        api_token_revoke(token=token)
    else:
        logout(request)
    return Status(204, None)


@router.get("/me", auth=member_auth, response=MeOut, summary="当前会员")
def me(request):
    return request.user
