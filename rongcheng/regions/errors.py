from rongcheng.core.errors import NotFound


class UnknownCity(NotFound):
    code = "unknown_city"


class UnknownRegion(NotFound):
    code = "unknown_region"
