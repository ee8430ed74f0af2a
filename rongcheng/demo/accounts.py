"""Demo logins: one user for every role, so each part of the platform can be tried at once."""

from rongcheng.accounts import roles
from rongcheng.accounts.models import User
from rongcheng.accounts.services import member_create

DEMO_PASSWORD = "Rongcheng@2026"

MEMBER_MOBILE = "13800000001"

# (login, real name, role, English role name) of a staff user per role.
STAFF = [
    ("ops", "赵运营", roles.OPERATIONS, "operations"),
    ("cs_supervisor", "钱班长", roles.CS_SUPERVISOR, "customer-service supervisor"),
    ("cs_agent", "孙客服", roles.CS_AGENT, "customer-service agent"),
    ("store_manager", "李店长", roles.STORE_MANAGER, "store manager"),
    ("clerk", "周店员", roles.STORE_CLERK, "store clerk"),
    ("fulfillment", "吴发货", roles.FULFILLMENT_OPERATOR, "fulfillment operator"),
]


def load_demo_users() -> list[tuple[str, str, str]]:
    """Create the demo users when missing; return (role, login, password) for each."""
    admin = User.objects.filter(username="admin").first()
    if admin is None:
        admin = User.objects.create_superuser(
            username="admin", password=DEMO_PASSWORD, is_staff=True
        )
    roles.user_grant_role(user=admin, role=roles.PLATFORM_ADMIN)
    if not User.objects.filter(mobile=MEMBER_MOBILE).exists():
        member = member_create(mobile=MEMBER_MOBILE, password=DEMO_PASSWORD)
        member.real_name = "王小绒"
        member.save(update_fields=["real_name"])
    logins = [(f"{roles.PLATFORM_ADMIN} platform admin", "admin", DEMO_PASSWORD)]
    for username, real_name, role, english in STAFF:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User.objects.create_user(
                username=username, password=DEMO_PASSWORD, real_name=real_name
            )
        roles.user_grant_role(user=user, role=role)
        logins.append((f"{role} {english}", username, DEMO_PASSWORD))
    logins.append(("会员 member", MEMBER_MOBILE, DEMO_PASSWORD))
    return logins
