from rongcheng.core.errors import ApplicationError, NotFound


class PostInvalid(ApplicationError):
    code = "board_post_invalid"


class PostNotFound(NotFound):
    code = "board_post_not_found"
