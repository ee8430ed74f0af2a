"""gzip for the embedded setup's text answers (nginx compresses in production).

Django's GZipMiddleware pads each answer against BREACH. Only whole answers of text types are
compressed: pictures and video are compressed already, and a 206 part must stay the bytes its
Content-Range names.
"""

from django.middleware.gzip import GZipMiddleware

COMPRESSIBLE = ("text/", "application/json", "application/javascript", "image/svg+xml")


class TextGZipMiddleware(GZipMiddleware):
    def process_response(self, request, response):
        content_type = response.get("Content-Type", "")
        if response.status_code != 200 or not content_type.startswith(COMPRESSIBLE):
            return response
        return super().process_response(request, response)
