from rongcheng.core.errors import ApplicationError, NotFound


class CategoryNotFound(NotFound):
    code = "category_not_found"


class CategoryCycle(ApplicationError):
    """A category cannot move under itself or under one of its own descendants."""

    code = "category_cycle"


class CategoryInUse(ApplicationError):
    code = "category_in_use"


class InUse(ApplicationError):
    """Products or other catalogue records still refer to what was to be deleted."""

    code = "catalogue_in_use"
    status = 409


class ProductNotFound(NotFound):
    code = "product_not_found"


class ImportFileInvalid(ApplicationError):
    """The uploaded file is not a workbook in the product template's layout."""

    code = "import_file_invalid"


class ImportFileTooLarge(ApplicationError):
    """The workbook is over the import's size or row limit (settings.RONGCHENG)."""

    code = "import_file_too_large"
