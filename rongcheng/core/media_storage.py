"""Uploads in an S3-compatible bucket shared by every web host (MEDIA_S3_BUCKET)."""

from typing import Any

from storages.backends.s3 import S3Storage

from rongcheng.core.uploads import media_headers


class MediaBucketStorage(S3Storage):
    """Each object is stored with the type and disposition nginx gives it under /media/
    (uploads.media_headers), so the bucket or its CDN serves a picture as a picture and
    anything else as a download. nosniff and the sandboxing policy are response headers the
    CDN adds (docs/deployment.md): objects cannot carry them."""

    def get_object_parameters(self, name: str) -> dict[str, Any]:
        parameters = super().get_object_parameters(name)
        headers = media_headers(name)
        parameters["ContentType"] = headers["Content-Type"]
        if "Content-Disposition" in headers:
            parameters["ContentDisposition"] = headers["Content-Disposition"]
        return parameters
