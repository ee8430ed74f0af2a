"""Demo logins: one user for every role, so each part of the platform can be tried at once."""

from rongcheng.accounts.models import User
from rongcheng.accounts.services import member_create

DEMO_PASSWORD = "Rongcheng@2026"

MEMBER_MOBILE = "13800000001"


def load_demo_users() -> list[tuple[str, str, str]]:
    """Create the demo users when missing; return (role, login, password) for each."""
    if not User.objects.filter(username="admin").exists():
        User.objects.create_superuser(username="admin", password=DEMO_PASSWORD, is_staff=True)
    if not User.objects.filter(mobile=MEMBER_MOBILE).exists():
        member = member_create(mobile=MEMBER_MOBILE, password=DEMO_PASSWORD)
        member.real_name = "王小绒"
        member.save(update_fields=["real_name"])
    return [
        ("平台管理员 platform admin", "admin", DEMO_PASSWORD),
        ("会员 member", MEMBER_MOBILE, DEMO_PASSWORD),
    ]
