import re
from pathlib import Path

import pytest
from django.urls import reverse

from rongcheng.callcenter.models import RecordingPlayback
from rongcheng.callcenter.tests.records_data import make_desk
from rongcheng.core.testing.factories import UserFactory

pytestmark = pytest.mark.django_db
LIST = reverse("callcenter_records:recordings")
WAV = bytes(range(256)) * 4  # 1,024 bytes stand in for the engine's file


@pytest.fixture
def desk(media_root):
    desk = make_desk()
    for recording in desk.recordings.values():
        path = Path(media_root, recording.path)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(WAV)
    return desk


def play(client, recording, **headers):
    url = reverse("callcenter_records:recording_play", args=[recording.pk])
    return client.get(url, headers=headers)


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_the_list_shows_an_agent_the_recordings_of_their_calls(client, desk):
    client.force_login(desk.alice.user)
    html = client.get(LIST).content.decode()
    played = re.findall(r'src="/callcenter/recordings/(\d+)/play/"', html)
    # Alice's own call, and both legs of the call she transferred to Bob; not Bob's own call.
    expected = [desk.recordings[key].pk for key in ("moved-b", "moved-a", "alice")]
    assert [int(pk) for pk in played] == expected


def test_an_agent_plays_their_own_recording_whole_and_in_parts(client, desk):
    client.force_login(desk.alice.user)
    recording = desk.recordings["alice"]
    whole = play(client, recording)
    assert whole.status_code == 200
    assert body(whole) == WAV
    assert whole["Content-Type"] == "audio/wav"
    assert whole["Cache-Control"] == "private, no-store"
    part = play(client, recording, Range="bytes=100-199")
    assert part.status_code == 206
    assert part["Content-Range"] == "bytes 100-199/1024"
    assert body(part) == WAV[100:200]
    beyond = play(client, recording, Range="bytes=5000-")
    assert beyond.status_code == 416
    assert beyond["Content-Range"] == "bytes */1024"


def test_each_playback_is_logged_once_not_per_range(client, desk):
    client.force_login(desk.alice.user)
    recording = desk.recordings["alice"]
    play(client, recording, Range="bytes=0-")  # the player starts
    play(client, recording, Range="bytes=512-")  # and seeks
    play(client, recording)  # a second playback, whole
    logged = RecordingPlayback.objects.filter(recording=recording)
    assert list(logged.values_list("user_id", flat=True)) == [desk.alice.user.pk] * 2


def test_an_agent_cannot_play_another_agents_recording(client, desk):
    client.force_login(desk.alice.user)
    assert play(client, desk.recordings["bob"]).status_code == 404
    assert not RecordingPlayback.objects.exists()


def test_a_user_who_is_not_in_the_call_center_is_refused(client, desk):
    client.force_login(UserFactory(is_staff=True))
    assert play(client, desk.recordings["bob"]).status_code == 403
    assert not RecordingPlayback.objects.exists()


def test_a_supervisor_plays_any_recording_and_is_logged(client, desk):
    client.force_login(desk.supervisor)
    assert body(play(client, desk.recordings["bob"])) == WAV
    assert list(RecordingPlayback.objects.values_list("recording_id", "user_id")) == [
        (desk.recordings["bob"].pk, desk.supervisor.pk)
    ]


def test_behind_nginx_the_file_goes_out_by_x_accel_redirect(client, desk, settings):
    settings.CALLCENTER_RECORDINGS_ACCEL_PREFIX = "/internal/recordings/"
    client.force_login(desk.bob.user)
    recording = desk.recordings["bob"]
    answer = play(client, recording)
    assert answer.status_code == 200
    assert answer["X-Accel-Redirect"] == "/internal/recordings/2026/03/02/leg-bob.wav"
    assert answer.content == b""
    assert answer["Cache-Control"] == "private, no-store"


def test_recordings_are_not_served_at_their_media_address(client, desk):
    client.force_login(desk.supervisor)
    path = desk.recordings["alice"].path
    assert client.get(f"/media/{path}").status_code == 404
