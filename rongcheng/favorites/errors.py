from rongcheng.core.errors import ApplicationError, NotFound


class FolderNotFound(NotFound):
    code = "folder_not_found"


class FavoriteNotFound(NotFound):
    code = "favorite_not_found"


class FolderInvalid(ApplicationError):
    """A name taken or empty, too many folders, or a change the default folder does not take."""

    code = "folder_invalid"
    status = 409


class FavoriteTargetUnavailable(NotFound):
    """The product or store to favorite does not exist or is not on sale/open."""

    code = "favorite_target_unavailable"
