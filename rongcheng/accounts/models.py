from typing import ClassVar

from django.contrib.auth.models import AbstractBaseUser, Group, PermissionsMixin, UserManager
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rongcheng.core.models import BaseModel


class MemberManager(UserManager):
    """createsuperuser and tests create users by username; services add the rest."""

    def _create_user(self, username, email, password, **extra_fields):
        user = self.model(username=username, email=email or None, **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user


class User(AbstractBaseUser, PermissionsMixin):
    """A member or a staff user. Logs in with username, mobile number or e-mail (MEM-1)."""

    username = models.CharField(_("用户名"), max_length=32, unique=True)
    mobile = models.CharField(_("手机号"), max_length=11, unique=True, null=True, blank=True)
    email = models.EmailField(_("邮箱"), unique=True, null=True, blank=True)
    real_name = models.CharField(_("真实姓名"), max_length=50, blank=True)
    landline = models.CharField(_("固定电话"), max_length=20, blank=True)
    postcode = models.CharField(_("邮编"), max_length=6, blank=True)
    city = models.ForeignKey(
        "regions.Region",
        verbose_name=_("所在城市"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    security_question = models.CharField(_("密保问题"), max_length=100, blank=True)
    security_answer = models.CharField(_("密保答案（哈希）"), max_length=128, blank=True)
    is_staff = models.BooleanField(_("可进入运营后台"), default=False)
    is_active = models.BooleanField(_("有效"), default=True)
    date_joined = models.DateTimeField(_("注册时间"), default=timezone.now)
    closed_at = models.DateTimeField(_("注销时间"), null=True, blank=True)
    # VIP members are served first by the call center (CALL-7).
    is_vip = models.BooleanField(_("VIP 会员"), default=False)

    objects = MemberManager()

    USERNAME_FIELD = "username"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self) -> str:
        return self.username

    def save(self, *args, **kwargs):
        """Saving a new password revokes every API token of the user, in the same transaction.

        Here rather than in the services: every path that changes a password (the services,
        the back office's password form, `manage.py changepassword`) ends in set_password()
        and save(), and none can forget it. Django marks a password set by set_password() as
        pending until the save; the hash upgrade check_password() does at login clears the mark
        first, so it is not a change and leaves the tokens alone.
        """
        update_fields = kwargs.get("update_fields")
        pending = self._password  # type: ignore[attr-defined]  # Django's, not in the stubs
        password_changed = (
            pending is not None
            and not self._state.adding
            and (update_fields is None or "password" in update_fields)
        )
        if not password_changed:
            return super().save(*args, **kwargs)
        with transaction.atomic():
            super().save(*args, **kwargs)
            ApiToken.objects.filter(user=self).delete()

    @property
    def display_name(self) -> str:
        return self.real_name or self.username


class GroupParent(models.Model):
    """Makes role groups inherit (ADM-11): a group has every permission of its ancestors."""

    group = models.OneToOneField(
        Group, verbose_name=_("角色组"), on_delete=models.CASCADE, related_name="inheritance"
    )
    parent = models.ForeignKey(
        Group, verbose_name=_("上级角色组"), on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        verbose_name = _("角色继承")
        verbose_name_plural = _("角色继承")
        constraints = [
            models.CheckConstraint(
                condition=~Q(group=models.F("parent")), name="group_not_own_parent"
            )
        ]

    def __str__(self) -> str:
        return f"{self.group} ← {self.parent}"


class Address(BaseModel):
    """A delivery address in the member's address book (MEM-4); exactly one is the default."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="addresses")
    recipient = models.CharField(_("收货人"), max_length=50)
    phone = models.CharField(_("手机号"), max_length=11)
    province = models.ForeignKey(
        "regions.Region", verbose_name=_("省"), on_delete=models.PROTECT, related_name="+"
    )
    city = models.ForeignKey(
        "regions.Region", verbose_name=_("市"), on_delete=models.PROTECT, related_name="+"
    )
    district = models.ForeignKey(
        "regions.Region", verbose_name=_("区县"), on_delete=models.PROTECT, related_name="+"
    )
    detail = models.CharField(_("详细地址"), max_length=200)
    postcode = models.CharField(_("邮编"), max_length=6, blank=True)
    is_default = models.BooleanField(_("默认地址"), default=False)

    class Meta:
        verbose_name = _("收货地址")
        verbose_name_plural = _("收货地址")
        ordering = ["-is_default", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"], condition=Q(is_default=True), name="one_default_address"
            )
        ]

    def __str__(self) -> str:
        return f"{self.recipient} {self.province}{self.city}{self.district}{self.detail}"


class SmsCode(models.Model):
    """A one-time SMS verification code; only its hash is stored."""

    class Purpose(models.TextChoices):
        REGISTER = "register", _("注册")
        LOGIN = "login", _("登录")
        RESET_PASSWORD = "reset_password", _("找回密码")
        CHANGE_PASSWORD = "change_password", _("修改密码")
        BIND_MOBILE = "bind_mobile", _("绑定手机")
        PAYMENT_PASSWORD = "payment_password", _("设置支付密码")
        BOARD_POST = "board_post", _("留言验证")

    mobile = models.CharField(_("手机号"), max_length=11)
    purpose = models.CharField(_("用途"), max_length=20, choices=Purpose.choices)
    code_hash = models.CharField(max_length=64)
    ip_address = models.GenericIPAddressField(_("IP 地址"), null=True, blank=True)
    created_at = models.DateTimeField(_("发送时间"), default=timezone.now)
    expires_at = models.DateTimeField(_("过期时间"))
    guesses = models.PositiveSmallIntegerField(_("已尝试次数"), default=0)
    used_at = models.DateTimeField(_("使用时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("短信验证码")
        verbose_name_plural = _("短信验证码")
        indexes = [
            models.Index(fields=["mobile", "created_at"]),
            models.Index(fields=["ip_address", "created_at"]),
            models.Index(fields=["expires_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.mobile} ({self.get_purpose_display()})"


class ConsentRecord(models.Model):
    """One consent given or withdrawn for one purpose (PIPL: no bundled consent). Append-only."""

    class Purpose(models.TextChoices):
        TERMS = "terms", _("用户协议")
        PRIVACY = "privacy", _("隐私政策")
        MARKETING_SMS = "marketing_sms", _("营销短信")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(_("用途"), max_length=20, choices=Purpose.choices)
    granted = models.BooleanField(_("同意"))
    created_at = models.DateTimeField(_("时间"), default=timezone.now)

    class Meta:
        verbose_name = _("授权记录")
        verbose_name_plural = _("授权记录")
        indexes = [models.Index(fields=["user", "purpose", "created_at"])]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()}: {self.granted}"


class ApiToken(BaseModel):
    """A bearer token for the app and mini-program; only its hash is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    name = models.CharField(_("设备"), max_length=100, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API 令牌")
        verbose_name_plural = _("API 令牌")

    def __str__(self) -> str:
        return f"{self.user} {self.name}"
