from rongcheng.core.errors import ApplicationError, NotFound, PermissionDenied


class AgentStateInvalid(ApplicationError):
    """The agent is not in a state from which this step may be taken."""

    code = "agent_state_invalid"
    status = 409


class CallNotTransferable(ApplicationError):
    """Only a call in conversation may be transferred, and to another agent."""

    code = "call_not_transferable"
    status = 409


class NotAnAgent(NotFound):
    """The user has no agent record: the call center does not exist for them."""

    code = "not_an_agent"


class NotASupervisor(PermissionDenied):
    code = "not_a_supervisor"


class NoCallInProgress(ApplicationError):
    """The step needs a call the agent is ringing with or talking on, and there is none."""

    code = "no_call_in_progress"
    status = 409


class NumberInvalid(ApplicationError):
    code = "number_invalid"


class CallbackStateInvalid(ApplicationError):
    """The call-back request is not in a state from which this step may be taken."""

    code = "callback_state_invalid"
    status = 409
