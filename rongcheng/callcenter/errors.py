from rongcheng.core.errors import ApplicationError


class AgentStateInvalid(ApplicationError):
    """The agent is not in a state from which this step may be taken."""

    code = "agent_state_invalid"
    status = 409


class CallNotTransferable(ApplicationError):
    """Only a call in conversation may be transferred, and to another agent."""

    code = "call_not_transferable"
    status = 409
