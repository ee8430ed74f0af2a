"""The IVR tree (CALL-6): what a key, or no key, does in a menu. Pure decisions on the
menu rows; `cti` applies them to the call and the engine.

A key of the menu leads to its submenu or queue. A timeout or an unknown key counts as a
failure: the menu is played again (after the invalid-key prompt, for a key) until it has
failed `max_retries` times more; one failure after that sends the caller to the menu's
failure queue, or plays its failure prompt and hangs up.
"""

from dataclasses import dataclass

from rongcheng.callcenter.models import IvrMenu, IvrPrompt, Queue

# The rows a menu step needs, fetched with the call in one query.
MENU_RELATED = (
    "ivr_menu__prompt",
    "ivr_menu__invalid_prompt",
    "ivr_menu__failure_queue",
    "ivr_menu__failure_prompt",
)


@dataclass(frozen=True)
class ToQueue:
    queue: Queue


@dataclass(frozen=True)
class ToMenu:
    """Play `menu` and wait for a key; `failures` is how often it has failed so far."""

    menu: IvrMenu
    failures: int = 0
    invalid_key: bool = False


@dataclass(frozen=True)
class Goodbye:
    prompt: IvrPrompt | None


Step = ToQueue | ToMenu | Goodbye


def entry_menu() -> IvrMenu | None:
    return IvrMenu.objects.select_related("prompt").filter(is_entry=True).first()


def prompt_name(prompt: IvrPrompt | None) -> str:
    """The prompt's file in the media storage; "" (silence) before it has one."""
    return prompt.audio.name if prompt is not None and prompt.audio else ""


def after_key(menu: IvrMenu, failures: int, digit: str) -> Step:
    choice = menu.choices.select_related("submenu__prompt", "queue").filter(digit=digit).first()
    if choice is None:
        return _failed(menu, failures, invalid_key=True)
    if choice.queue is not None:
        return ToQueue(choice.queue)
    assert choice.submenu is not None  # a choice has one target (ivr_choice_one_target)
    return ToMenu(choice.submenu)


def after_timeout(menu: IvrMenu, failures: int) -> Step:
    return _failed(menu, failures, invalid_key=False)


def _failed(menu: IvrMenu, failures: int, *, invalid_key: bool) -> Step:
    if failures < menu.max_retries:
        return ToMenu(menu, failures + 1, invalid_key=invalid_key)
    if menu.failure_queue is not None:
        return ToQueue(menu.failure_queue)
    return Goodbye(menu.failure_prompt)
