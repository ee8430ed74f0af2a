"""The withdrawal lifecycle: the one place a withdrawal's status changes.

requested → approved → paid_out
requested → rejected | cancelled;  approved → rejected (the payout could not be made)
"""

from django.utils.translation import gettext as _

from rongcheng.accounts.models import User
from rongcheng.core.lifecycle import Lifecycle
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


def _refused(withdrawal: Withdrawal, to: str) -> TransitionNotAllowed:
    return TransitionNotAllowed(
        _("提现申请当前为“%(status)s”，不能改为“%(to)s”。")
        % {"status": withdrawal.get_status_display(), "to": Status(to).label}
    )


LIFECYCLE = Lifecycle(Withdrawal, WithdrawalEvent, TRANSITIONS, refused=_refused)


def transition(
    withdrawal: Withdrawal, *, to: str, actor: User | None, note: str = "", **fields: str
) -> Withdrawal:
    """Lock the withdrawal, check the move is allowed from its current status, save the new
    status (and `fields`, e.g. the rejection reason) and append the event."""

    def event(before: Withdrawal) -> WithdrawalEvent:
        return WithdrawalEvent(
            withdrawal=before, from_status=before.status, to_status=to, actor=actor, note=note
        )

    return LIFECYCLE.move(withdrawal, to=to, event=event, changes=fields).row
