from django.http import HttpRequest, QueryDict

from rongcheng.core.errors import ApplicationError

FILTER_PARAMS = ("q", "category", "status", "state")


def filter_query(source: QueryDict) -> str:
    """The filters of a list page as a query string (without the page), for its pagination
    links and to come back to the same view after a change."""
    kept = QueryDict(mutable=True)
    for name in FILTER_PARAMS:
        value = source.get(name, "")
        if value:
            kept[name] = value[:100]
    return kept.urlencode()


def show_error(form, error: ApplicationError) -> None:
    field = error.field if error.field in form.fields else None
    form.add_error(field, str(error.message))


def page_number(request: HttpRequest, name: str = "page") -> str:
    return request.GET.get(name, "1")
