from rongcheng.core.errors import ApplicationError, NotFound, PermissionDenied, RateLimited


class ConversationNotFound(NotFound):
    """Also what a non-participant is told: a conversation's existence is not revealed."""

    code = "conversation_not_found"


class MessageInvalid(ApplicationError):
    code = "message_invalid"
    status = 422


class ChatRateLimited(RateLimited):
    code = "chat_rate_limited"


class MemberBlocked(PermissionDenied):
    code = "member_blocked"


class NotAnAgent(PermissionDenied):
    code = "not_an_agent"


class ConversationTaken(ApplicationError):
    code = "conversation_taken"
    status = 409


class RecipientNotFound(NotFound):
    code = "recipient_not_found"


class LetterNotFound(NotFound):
    code = "letter_not_found"


class LetterRateLimited(RateLimited):
    code = "letter_rate_limited"


class ConversationNotClosable(ApplicationError):
    code = "conversation_not_closable"
    status = 409


class LetterNotAnswerable(ApplicationError):
    code = "letter_not_answerable"
    status = 409
