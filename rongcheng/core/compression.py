"""gzip for the embedded setup's pages, styles and scripts (nginx compresses in production).

Django's GZipMiddleware pads each answer against BREACH. Only whole answers of those types are
compressed: pictures and video are compressed already, a 206 part must stay the bytes its
Content-Range names, and the API's small JSON answers go out as they are, for every client.
"""

from django.middleware.gzip import GZipMiddleware

COMPRESSIBLE = ("text/", "application/javascript", "image/svg+xml")


class TextGZipMiddleware(GZipMiddleware):
    def process_response(self, request, response):
        content_type = response.get("Content-Type", "")
        if response.status_code != 200 or not content_type.startswith(COMPRESSIBLE):
            return response
        return super().process_response(request, response)
