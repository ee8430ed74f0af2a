from itertools import groupby

from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from rongcheng.core.errors import ApplicationError
from rongcheng.regions.middleware import remember_city
from rongcheng.regions.selectors import city_search, hot_city_codes
from rongcheng.regions.services import visitor_city_set
from rongcheng.storefront.views.auth import safe_next


def city_picker(request):
    """Hot cities, then every city A–Z; ?q= searches by name, pinyin or initials (MALL-2)."""
    query = request.GET.get("q", "").strip()[:50]
    cities = list(city_search(query=query))
    groups = [
        (letter.upper(), list(items)) for letter, items in groupby(cities, lambda c: c.pinyin[:1])
    ]
    hot = []
    if not query:
        by_code = {city.code: city for city in cities}
        hot = [by_code[code] for code in hot_city_codes() if code in by_code]
    return render(
        request,
        "pages/city.html",
        {
            "hot": hot,
            "groups": groups,
            "query": query,
            "count": len(cities),
            "next": safe_next(request, "/"),
        },
    )


@require_POST
def city_switch(request):
    try:
        city = visitor_city_set(session=request.session, code=request.POST.get("code", ""))
    except ApplicationError as error:
        return render(request, "pages/error.html", {"error": error}, status=error.status)
    response = redirect(safe_next(request, "/"))
    remember_city(response, city)
    return response
