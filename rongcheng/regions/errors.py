from rongcheng.core.errors import ApplicationError


class UnknownCity(ApplicationError):
    code = "unknown_city"
