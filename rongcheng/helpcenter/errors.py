from rongcheng.core.errors import ApplicationError, NotFound


class ColumnInUse(ApplicationError):
    code = "help_column_in_use"
    status = 409


class ColumnCycle(ApplicationError):
    code = "help_column_cycle"
    status = 422


class ArticleNotFound(NotFound):
    code = "help_article_not_found"
