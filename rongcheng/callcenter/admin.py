"""Operations set up groups, skills, queues, agents and the IVR tree here; calls, legs, work
records and recordings are facts written by the call center's services, shown read-only."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from unfold.admin import ModelAdmin, TabularInline
from unfold.decorators import action

from rongcheng.callcenter import prompts
from rongcheng.callcenter.models import (
    Agent,
    AgentEvent,
    AgentGroup,
    AgentSkill,
    Call,
    CallLeg,
    IvrChoice,
    IvrMenu,
    IvrPrompt,
    Queue,
    Recording,
    Skill,
)
from rongcheng.core.admin import ReadOnlyMixin
from rongcheng.inventory.admin import ReadOnlyAdmin


@admin.register(AgentGroup)
class AgentGroupAdmin(ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


@admin.register(Skill)
class SkillAdmin(ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


class AgentSkillInline(TabularInline):
    model = AgentSkill
    extra = 0


@admin.register(Agent)
class AgentAdmin(ModelAdmin):
    list_display = ["number", "user", "group", "state", "state_since", "auto_answer"]
    list_filter = ["group", "state"]
    search_fields = ["number", "user__username", "user__real_name"]
    list_select_related = ["user", "group"]
    autocomplete_fields = ["user"]
    # The state changes only through the state machine, which keeps the work record.
    readonly_fields = ["state", "state_since", "idle_since"]
    inlines = [AgentSkillInline]


@admin.register(Queue)
class QueueAdmin(ModelAdmin):
    list_display = [
        "code",
        "name",
        "skill",
        "category",
        "overflow_to",
        "overflow_seconds",
        "callback_after_seconds",
    ]
    list_select_related = ["skill", "overflow_to"]
    search_fields = ["code", "name"]


@admin.register(IvrPrompt)
class IvrPromptAdmin(ModelAdmin):
    list_display = ["code", "text", "audio"]
    search_fields = ["code", "text"]
    actions = ["synthesise"]

    @action(description=_("按播报内容合成语音（替换现有语音文件）"), permissions=["change"])
    def synthesise(self, request, queryset):
        if not prompts.synthesis_available():
            messages.error(request, _("本机未安装 espeak-ng，无法合成语音；请上传录音。"))
            return
        chosen = list(queryset)
        for prompt in chosen:
            prompts.synthesise(prompt)
        messages.success(request, _("已合成 %(n)s 条语音。") % {"n": len(chosen)})


class IvrChoiceInline(TabularInline):
    model = IvrChoice
    fk_name = "menu"
    extra = 0
    autocomplete_fields = ["submenu", "queue"]


@admin.register(IvrMenu)
class IvrMenuAdmin(ModelAdmin):
    list_display = ["code", "name", "is_entry", "prompt", "timeout_seconds", "max_retries"]
    list_select_related = ["prompt"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["prompt", "invalid_prompt", "failure_queue", "failure_prompt"]
    inlines = [IvrChoiceInline]


class CallLegInline(ReadOnlyMixin, TabularInline):
    model = CallLeg
    extra = 0
    fields = ["agent", "offered_at", "answered_at", "ended_at", "talk_seconds", "outcome"]
    readonly_fields = fields


@admin.register(Call)
class CallAdmin(ReadOnlyAdmin):
    list_display = [
        "offered_at",
        "caller_number",
        "queue",
        "agent",
        "wait_seconds",
        "talk_seconds",
        "outcome",
        "category",
    ]
    list_filter = ["outcome", "category", "direction", "queue", "agent__group"]
    search_fields = ["caller_number", "callee_number", "agent__number"]
    date_hierarchy = "offered_at"
    list_select_related = ["queue", "agent"]
    inlines = [CallLegInline]


@admin.register(AgentEvent)
class AgentEventAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "agent", "from_state", "to_state", "seconds_in_from_state"]
    list_filter = ["to_state", "agent__group"]
    search_fields = ["agent__number"]
    date_hierarchy = "created_at"
    list_select_related = ["agent"]


@admin.register(Recording)
class RecordingAdmin(ReadOnlyAdmin):
    list_display = ["started_at", "agent", "call", "seconds", "path"]
    list_filter = ["agent__group"]
    search_fields = ["agent__number", "call__caller_number"]
    date_hierarchy = "started_at"
    list_select_related = ["agent", "call"]
