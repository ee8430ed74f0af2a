"""IVR prompts: spoken by espeak-ng, replaced by uploads checked as WAV, and the demo tree."""

import wave
from array import array
from io import BytesIO

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from rongcheng.callcenter import announcements, prompts
from rongcheng.callcenter.models import IvrChoice, IvrMenu, IvrPrompt
from rongcheng.callcenter.tests.factories import make_queue
from rongcheng.core.testing.factories import UserFactory
from rongcheng.core.testing.media import wav
from rongcheng.core.uploads import validate_audio_upload
from rongcheng.demo.hotline import WELCOME, load_hotline

needs_espeak = pytest.mark.skipif(
    not prompts.synthesis_available(), reason="espeak-ng is not installed (.ci/run installs it)"
)


def _wav(samples: list[int], rate: int) -> bytes:
    buffer = BytesIO()
    with wave.open(buffer, "wb") as audio:
        audio.setnchannels(1)
        audio.setsampwidth(2)
        audio.setframerate(rate)
        audio.writeframes(array("h", samples).tobytes())
    return buffer.getvalue()


def _read(data: bytes) -> tuple[int, list[int]]:
    with wave.open(BytesIO(data), "rb") as audio:
        return audio.getframerate(), list(array("h", audio.readframes(audio.getnframes())))


def test_espeak_output_becomes_8_khz_by_averaging_what_each_sample_spans():
    # 22,050 Hz: each 8 kHz sample spans 2.75625 input samples; the fourth spans 8, 9, 10.
    samples = [1000] * 10 + [-2000] * 12

    rate, out = _read(prompts.phone_wav(_wav(samples, 22050)))

    assert rate == 8000
    assert out == [1000, 1000, 1000, 0, -2000, -2000, -2000]


@needs_espeak
@pytest.mark.django_db
def test_a_prompt_is_spoken_into_an_8_khz_wav_the_upload_check_accepts(media_root):
    prompt = IvrPrompt.objects.create(code="welcome", text=WELCOME)

    prompts.synthesise(prompt)

    prompt.refresh_from_db()
    assert prompt.audio.name == "callcenter/ivr/welcome.wav"
    data = (media_root / prompt.audio.name).read_bytes()
    rate, samples = _read(data)
    assert rate == 8000
    assert len(samples) > 8000 * 3  # the welcome sentence takes seconds to say
    validate_audio_upload(SimpleUploadedFile("welcome.wav", data))


@needs_espeak
@pytest.mark.django_db
def test_speaking_again_replaces_the_file(media_root):
    prompt = IvrPrompt.objects.create(code="invalid", text="您的按键有误")
    prompt.audio.save("old.wav", ContentFile(wav()), save=True)

    prompts.synthesise(prompt)

    assert sorted(p.name for p in (media_root / "callcenter/ivr").iterdir()) == ["invalid.wav"]


@pytest.mark.django_db
def test_the_demo_hotline_is_the_specification_menu_and_loads_once(media_root):
    load_hotline()
    assert load_hotline() == 0

    menu = IvrMenu.objects.select_related("prompt", "failure_queue").get()
    assert (menu.is_entry, menu.prompt.text, menu.failure_queue.code) == (True, WELCOME, "other")
    choices = IvrChoice.objects.filter(menu=menu).select_related("queue").order_by("digit")
    assert [(c.digit, c.queue.code, c.queue.category) for c in choices] == [
        ("0", "other", "other"),
        ("1", "service", "service"),
        ("2", "consult", "consultation"),
        ("3", "complaint", "complaint"),
    ]
    spoken = [bool(p.audio) for p in IvrPrompt.objects.order_by("code")]
    assert spoken == [prompts.synthesis_available()] * (2 + len(announcements.PROMPTS))


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


@pytest.mark.django_db
def test_an_uploaded_recording_replaces_the_prompt(admin_client, media_root):
    prompt = IvrPrompt.objects.create(code="welcome", text=WELCOME)
    recording = SimpleUploadedFile("studio.wav", wav(16000, frames=16000))

    response = admin_client.post(
        f"/backoffice/callcenter/ivrprompt/{prompt.pk}/change/",
        {"code": "welcome", "text": WELCOME, "audio": recording},
    )

    assert response.status_code == 302
    prompt.refresh_from_db()
    assert prompt.audio.name == "callcenter/ivr/studio.wav"
    assert _read((media_root / prompt.audio.name).read_bytes())[0] == 16000


@pytest.mark.django_db
def test_an_upload_that_is_not_a_phone_wav_is_refused_and_nothing_changes(admin_client, media_root):
    prompt = IvrPrompt.objects.create(code="welcome", text=WELCOME)

    response = admin_client.post(
        f"/backoffice/callcenter/ivrprompt/{prompt.pk}/change/",
        {"code": "welcome", "text": "改了", "audio": SimpleUploadedFile("a.wav", wav(44100))},
    )

    assert response.status_code == 200
    assert "请上传 WAV 格式的语音" in response.content.decode()
    prompt.refresh_from_db()
    assert (prompt.text, prompt.audio.name) == (WELCOME, "")
    assert not (media_root / "callcenter").exists()


@needs_espeak
@pytest.mark.django_db
def test_the_back_office_speaks_the_chosen_prompts(admin_client, media_root):
    prompt = IvrPrompt.objects.create(code="invalid", text="您的按键有误")

    response = admin_client.post(
        "/backoffice/callcenter/ivrprompt/",
        {"action": "synthesise", "_selected_action": [prompt.pk]},
    )

    assert response.status_code == 302
    prompt.refresh_from_db()
    assert prompt.audio.name == "callcenter/ivr/invalid.wav"


MENU_ADD = "/backoffice/callcenter/ivrmenu/add/"


def _menu_form(prompt, **fields):
    return {
        "code": "welcome",
        "name": "欢迎菜单",
        "is_entry": "on",
        "prompt": prompt.pk,
        "timeout_seconds": 5,
        "max_retries": 2,
        "choices-TOTAL_FORMS": 1,
        "choices-INITIAL_FORMS": 0,
        "choices-MIN_NUM_FORMS": 0,
        "choices-MAX_NUM_FORMS": 1000,
        **fields,
    }


@pytest.mark.django_db
def test_the_back_office_builds_a_menu_with_its_keys(admin_client):
    prompt = IvrPrompt.objects.create(code="welcome", text=WELCOME)
    queue = make_queue("consult", skill="consult")

    response = admin_client.post(
        MENU_ADD,
        _menu_form(prompt, **{"choices-0-digit": "2", "choices-0-queue": queue.pk}),
    )

    assert response.status_code == 302
    menu = IvrMenu.objects.get()
    assert [(c.digit, c.queue, c.submenu) for c in menu.choices.all()] == [("2", queue, None)]


@pytest.mark.django_db
def test_a_key_with_two_targets_or_a_second_entry_is_refused(admin_client):
    prompt = IvrPrompt.objects.create(code="welcome", text=WELCOME)
    queue = make_queue("consult", skill="consult")
    other = IvrMenu.objects.create(code="other", name="其它", prompt=prompt)
    both = {"choices-0-digit": "2", "choices-0-queue": queue.pk, "choices-0-submenu": other.pk}

    two_targets = admin_client.post(MENU_ADD, _menu_form(prompt, **both))
    IvrMenu.objects.filter(pk=other.pk).update(is_entry=True)
    second_entry = admin_client.post(MENU_ADD, _menu_form(prompt))

    assert "每个按键指向一个子菜单或一个队列，二者选一。" in two_targets.content.decode()
    assert "已有入口菜单，只能有一个。" in second_entry.content.decode()
    assert list(IvrMenu.objects.values_list("code", flat=True)) == ["other"]
    assert not IvrChoice.objects.exists()
