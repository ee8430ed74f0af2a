"""Playing a call recording in the browser (CALL-4): the file is handed over only after the
access check of records.recording_for, every playback is logged, and the answer is never
cached. Behind nginx the file goes out through X-Accel-Redirect; in the embedded setup the
view streams it with byte ranges (206/416), as media is served."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.utils import timezone

from rongcheng.accounts.models import User
from rongcheng.callcenter.models import Recording, RecordingPlayback
from rongcheng.core.media_serving import stored_file

# Where the engine writes (models.Recording.path); core.media_serving.PRIVATE_PREFIXES keeps it
# out of the public /media/ address.
RECORDINGS_DIR = "callcenter/recordings/"


def starts_playback(request: HttpRequest) -> bool:
    """A player asks for the file from its first byte when it starts; later range requests
    (seeking, buffering) ask from further on and are the same playback."""
    wanted = request.headers.get("Range", "")
    return not wanted or wanted.replace(" ", "").startswith("bytes=0-")


def playback_log(*, recording: Recording, user: User) -> RecordingPlayback:
    return RecordingPlayback.objects.create(
        recording=recording, user=user, created_at=timezone.now()
    )


def recording_response(request: HttpRequest, recording: Recording) -> HttpResponseBase:
    prefix = settings.CALLCENTER_RECORDINGS_ACCEL_PREFIX
    if prefix:
        response: HttpResponseBase = HttpResponse(content_type="audio/wav")
        response["X-Accel-Redirect"] = prefix + recording.path.removeprefix(RECORDINGS_DIR)
    else:
        response = stored_file(request, recording.path)
        response["Accept-Ranges"] = "bytes"
        if response.status_code != 416:
            response["Content-Type"] = "audio/wav"
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
