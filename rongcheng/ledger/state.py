"""The withdrawal lifecycle: the one place a withdrawal's status changes.

requested → approved → paid_out
requested → rejected | cancelled;  approved → rejected (the payout could not be made)
"""

from django.db import transaction
from django.utils.translation import gettext as _

from rongcheng.accounts.models import User
from rongcheng.ledger.errors import TransitionNotAllowed
from rongcheng.ledger.models import Withdrawal, WithdrawalEvent

Status = Withdrawal.Status

TRANSITIONS: dict[str, frozenset[str]] = {
    Status.REQUESTED: frozenset({Status.APPROVED, Status.REJECTED, Status.CANCELLED}),
    Status.APPROVED: frozenset({Status.PAID_OUT, Status.REJECTED}),
    Status.PAID_OUT: frozenset(),
    Status.REJECTED: frozenset(),
    Status.CANCELLED: frozenset(),
}


def transition(
    withdrawal: Withdrawal, *, to: str, actor: User | None, note: str = "", **fields: str
) -> Withdrawal:
    """Lock the withdrawal, check the move is allowed from its current status, save the new
    status (and `fields`, e.g. the rejection reason) and append the event."""
    with transaction.atomic():
        locked = Withdrawal.objects.select_for_update().get(pk=withdrawal.pk)
        if to not in TRANSITIONS[locked.status]:
            raise TransitionNotAllowed(
                _("提现申请当前为“%(status)s”，不能改为“%(to)s”。")
                % {"status": locked.get_status_display(), "to": Status(to).label}
            )
        event = WithdrawalEvent(
            withdrawal=locked, from_status=locked.status, to_status=to, actor=actor, note=note
        )
        locked.status = to
        for name, value in fields.items():
            setattr(locked, name, value)
        locked.save(update_fields=["status", "updated_at", *fields])
        event.save()
        return locked
