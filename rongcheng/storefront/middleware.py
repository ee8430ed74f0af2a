"""Turn an ApplicationError that escaped a page view into an error page with its status."""

from django.shortcuts import render

from rongcheng.core.errors import ApplicationError


class ApplicationErrorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, ApplicationError) and not request.path.startswith("/api/"):
            return render(
                request, "pages/error.html", {"error": exception}, status=exception.status
            )
        return None
