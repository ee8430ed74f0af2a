from rongcheng.core.errors import ApplicationError, NotFound, PermissionDenied


class SurveyNotFound(NotFound):
    code = "survey_not_found"


class SurveyClosed(ApplicationError):
    """Past its deadline."""

    code = "survey_closed"
    status = 409


class SurveyAlreadyAnswered(ApplicationError):
    code = "survey_already_answered"
    status = 409


class LoginRequired(PermissionDenied):
    """The questionnaire does not take anonymous answers."""

    code = "survey_login_required"
    status = 401


class AnswerInvalid(ApplicationError):
    code = "survey_answer_invalid"


class ResultsHidden(PermissionDenied):
    code = "survey_results_hidden"
