from itertools import groupby

from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from rongcheng.core.errors import ApplicationError
from rongcheng.regions.selectors import city_search
from rongcheng.regions.services import visitor_city_set
from rongcheng.storefront.views.auth import safe_next


def city_picker(request):
    query = request.GET.get("q", "")
    cities = list(city_search(query=query))
    groups = [
        (letter.upper(), list(items)) for letter, items in groupby(cities, lambda c: c.pinyin[:1])
    ]
    return render(
        request,
        "pages/city.html",
        {"groups": groups, "query": query, "next": safe_next(request, "/"), "count": len(cities)},
    )


@require_POST
def city_switch(request):
    try:
        visitor_city_set(session=request.session, code=request.POST.get("code", ""))
    except ApplicationError as error:
        return render(request, "pages/error.html", {"error": error}, status=error.status)
    return redirect(safe_next(request, "/"))
