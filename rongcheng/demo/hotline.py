"""The demo hotline's IVR (CALL-6): the specification's welcome menu, one queue per key, its
prompts spoken by espeak-ng when it is installed (without it the prompts have no sound yet, and
the back office can synthesise or upload them later). Skipped when an entry menu exists."""

from django.db import transaction

from rongcheng.callcenter import announcements, prompts
from rongcheng.callcenter.models import (
    CallCategory,
    IvrChoice,
    IvrMenu,
    IvrPrompt,
    Queue,
    Skill,
)

WELCOME = "您好！欢迎致电绒城购服务热线，服务请按1，咨询请按2，投诉建议请按3，其它服务请按0"
# (key, queue and skill code, name, category)
QUEUES = [
    ("1", "service", "服务", CallCategory.SERVICE),
    ("2", "consult", "咨询", CallCategory.CONSULTATION),
    ("3", "complaint", "投诉建议", CallCategory.COMPLAINT),
    ("0", "other", "其它服务", CallCategory.OTHER),
]
PROMPTS = {
    "welcome": WELCOME,
    "invalid": "您的按键有误，请重新选择。",
    # What a queued caller hears: place, wait and the offer of a call back, number by number.
    **announcements.PROMPTS,
}


def load_hotline() -> int:
    """Returns how many prompts were spoken (0 when espeak-ng is missing or all existed)."""
    if IvrMenu.objects.filter(is_entry=True).exists():
        return 0
    with transaction.atomic():
        said = {
            code: IvrPrompt.objects.get_or_create(code=code, defaults={"text": text})[0]
            for code, text in PROMPTS.items()
        }
        queues = {key: _queue(code, name, category) for key, code, name, category in QUEUES}
        menu = IvrMenu.objects.create(
            code="welcome",
            name="欢迎菜单",
            is_entry=True,
            prompt=said["welcome"],
            invalid_prompt=said["invalid"],
            # A caller who presses nothing usable is put through to the general queue.
            failure_queue=queues["0"],
        )
        IvrChoice.objects.bulk_create(
            IvrChoice(menu=menu, digit=key, queue=queue) for key, queue in queues.items()
        )
    if not prompts.synthesis_available():
        return 0
    silent = [prompt for prompt in said.values() if not prompt.audio]
    for prompt in silent:
        prompts.synthesise(prompt)
    return len(silent)


def _queue(code: str, name: str, category: str) -> Queue:
    skill = Skill.objects.get_or_create(code=code, defaults={"name": name})[0]
    return Queue.objects.get_or_create(
        code=code,
        defaults={
            "name": name,
            "skill": skill,
            "category": category,
            # Callers told of a wait of three minutes or more may ask to be called back.
            "callback_after_seconds": 180,
        },
    )[0]
