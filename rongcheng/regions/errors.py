from rongcheng.core.errors import ApplicationError, NotFound


class UnknownCity(ApplicationError):
    code = "unknown_city"


class UnknownRegion(NotFound):
    code = "unknown_region"
