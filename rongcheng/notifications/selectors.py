from rongcheng.accounts.models import User
from rongcheng.notifications.models import Notice


def notices_unread_count(*, user: User, kind: str) -> int:
    """The badge: notices of a kind the user has not read yet."""
    return Notice.objects.filter(recipient=user, kind=kind, read_at__isnull=True).count()
