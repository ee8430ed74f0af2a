from rongcheng.core.errors import ApplicationError, NotFound, PermissionDenied


class QuestionNotFound(NotFound):
    code = "question_not_found"


class QuestionInvalid(ApplicationError):
    """Empty or too long, or about a product that is not on sale."""

    code = "question_invalid"


class AnswerNotAllowed(PermissionDenied):
    """Only the stores that sell the product, customer service and buyers who bought it."""

    code = "answer_not_allowed"


class QuestionProductUnavailable(NotFound):
    code = "question_product_unavailable"
