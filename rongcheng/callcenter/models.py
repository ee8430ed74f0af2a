"""The contact center's records: agents and their skills, queues, calls and their legs, the
agents' work records and the recordings index (CALL-1, CALL-2, CALL-4, CALL-7, CALL-8)."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from rongcheng.core.models import AppendOnlyModel, BaseModel
from rongcheng.core.uploads import validate_audio_upload


class AgentGroup(BaseModel):
    """A team of agents; records and reports are filtered by it."""

    code = models.SlugField(_("编码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=50)

    class Meta:
        verbose_name = _("坐席组")
        verbose_name_plural = _("坐席组")

    def __str__(self) -> str:
        return self.name


class Skill(BaseModel):
    code = models.SlugField(_("编码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=50)

    class Meta:
        verbose_name = _("技能")
        verbose_name_plural = _("技能")

    def __str__(self) -> str:
        return self.name


class Agent(BaseModel):
    """A staff user who takes calls. `state` is written only by `callcenter.state`."""

    class State(models.TextChoices):
        SIGNED_OUT = "signed_out", _("未签入")
        IDLE = "idle", _("空闲")
        RINGING = "ringing", _("振铃")
        TALKING = "talking", _("通话中")
        WRAP_UP = "wrap_up", _("话后整理")
        BUSY = "busy", _("忙碌")
        LEAVE = "leave", _("暂离")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("用户"), on_delete=models.PROTECT
    )
    number = models.CharField(_("工号"), max_length=8, unique=True)
    group = models.ForeignKey(
        AgentGroup, verbose_name=_("坐席组"), on_delete=models.PROTECT, related_name="agents"
    )
    auto_answer = models.BooleanField(_("自动应答"), default=False)
    state = models.CharField(
        _("状态"), max_length=12, choices=State.choices, default=State.SIGNED_OUT
    )
    state_since = models.DateTimeField(_("进入状态时间"), null=True, blank=True)
    # When the agent last became idle: the ACD offers a call to the longest-idle agent first.
    idle_since = models.DateTimeField(_("空闲起始时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("坐席")
        verbose_name_plural = _("坐席")
        indexes = [
            models.Index(fields=["state", "idle_since"], name="agent_state_idle_idx"),
            # The tick looks for wrap-ups that have lasted their time.
            models.Index(fields=["state", "state_since"], name="agent_state_since_idx"),
        ]

    def __str__(self) -> str:
        return self.number


class AgentSkill(models.Model):
    agent = models.ForeignKey(Agent, on_delete=models.CASCADE, related_name="skills")
    skill = models.ForeignKey(Skill, verbose_name=_("技能"), on_delete=models.PROTECT)
    level = models.PositiveSmallIntegerField(
        _("熟练等级"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )

    class Meta:
        verbose_name = _("坐席技能")
        verbose_name_plural = _("坐席技能")
        constraints = [
            models.UniqueConstraint(fields=["agent", "skill"], name="agent_skill_unique"),
            models.CheckConstraint(
                condition=models.Q(level__gte=1, level__lte=5), name="agent_skill_level_1_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.skill} {self.level}"


class CallCategory(models.TextChoices):
    UNSPECIFIED = "", _("未分类")
    SERVICE = "service", _("服务")
    CONSULTATION = "consultation", _("咨询")
    COMPLAINT = "complaint", _("投诉建议")
    OTHER = "other", _("其它")


class Queue(BaseModel):
    """Where an IVR choice sends a call; the skill decides which agents may take it."""

    code = models.SlugField(_("编码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=50)
    skill = models.ForeignKey(Skill, verbose_name=_("所需技能"), on_delete=models.PROTECT)
    # The category the IVR choice gives the calls of this queue (CALL-6).
    category = models.CharField(
        _("来电类别"), max_length=16, choices=CallCategory.choices, blank=True
    )
    overflow_to = models.ForeignKey(
        "self",
        verbose_name=_("溢出到"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    overflow_seconds = models.PositiveIntegerField(_("溢出等待秒数"), default=60)
    callback_after_seconds = models.PositiveIntegerField(
        _("提供回电的预计等待秒数"),
        null=True,
        blank=True,
        help_text=_("预计等待达到此秒数时，播报中提示来电者按1登记回电；留空则不提供回电。"),
    )

    class Meta:
        verbose_name = _("队列")
        verbose_name_plural = _("队列")

    def __str__(self) -> str:
        return self.name


class IvrPrompt(BaseModel):
    """A sentence the IVR speaks: synthesised from its text (`callcenter.prompts`), or a
    recording uploaded in its place."""

    code = models.SlugField(_("编码"), max_length=32, unique=True)
    text = models.TextField(_("播报内容"))
    audio = models.FileField(
        _("语音文件"),
        upload_to="callcenter/ivr/",
        blank=True,
        validators=[validate_audio_upload],
        help_text=_("WAV，PCM 单声道 8 kHz 或 16 kHz；留空时可由播报内容合成。"),
    )

    class Meta:
        verbose_name = _("IVR 语音")
        verbose_name_plural = _("IVR 语音")

    def __str__(self) -> str:
        return self.code


class IvrMenu(BaseModel):
    """A node of the IVR tree (CALL-6): its prompt offers choices (`IvrChoice`), each key
    leading to a submenu or a queue. A timeout or an unknown key repeats the menu up to
    `max_retries` times; then the caller goes to `failure_queue`, or hears `failure_prompt`
    and is hung up."""

    code = models.SlugField(_("编码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=50)
    is_entry = models.BooleanField(_("入口菜单"), default=False)
    prompt = models.ForeignKey(
        IvrPrompt, verbose_name=_("菜单语音"), on_delete=models.PROTECT, related_name="+"
    )
    invalid_prompt = models.ForeignKey(
        IvrPrompt,
        verbose_name=_("按键无效语音"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    timeout_seconds = models.PositiveSmallIntegerField(
        _("等待按键秒数"), default=5, validators=[MinValueValidator(1), MaxValueValidator(60)]
    )
    max_retries = models.PositiveSmallIntegerField(
        _("最多重播次数"), default=2, validators=[MaxValueValidator(9)]
    )
    failure_queue = models.ForeignKey(
        Queue,
        verbose_name=_("重播用尽后转入队列"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    failure_prompt = models.ForeignKey(
        IvrPrompt,
        verbose_name=_("重播用尽后播放并挂机"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("IVR 菜单")
        verbose_name_plural = _("IVR 菜单")
        constraints = [
            models.UniqueConstraint(
                fields=["is_entry"],
                condition=models.Q(is_entry=True),
                name="ivr_one_entry",
                violation_error_message=_("已有入口菜单，只能有一个。"),
            )
        ]

    def __str__(self) -> str:
        return self.name


class IvrChoice(models.Model):
    """One key of a menu: it leads to a submenu or to a queue, never both."""

    KEYS = [(key, key) for key in "1234567890*"]

    menu = models.ForeignKey(IvrMenu, on_delete=models.CASCADE, related_name="choices")
    digit = models.CharField(_("按键"), max_length=1, choices=KEYS)
    submenu = models.ForeignKey(
        IvrMenu,
        verbose_name=_("子菜单"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    queue = models.ForeignKey(
        Queue, verbose_name=_("队列"), null=True, blank=True, on_delete=models.PROTECT
    )

    class Meta:
        verbose_name = _("菜单按键")
        verbose_name_plural = _("菜单按键")
        constraints = [
            models.UniqueConstraint(fields=["menu", "digit"], name="ivr_choice_digit_unique"),
            models.CheckConstraint(
                condition=models.Q(submenu__isnull=True) ^ models.Q(queue__isnull=True),
                name="ivr_choice_one_target",
                violation_error_message=_("每个按键指向一个子菜单或一个队列，二者选一。"),
            ),
        ]

    def __str__(self) -> str:
        return self.digit


class Call(BaseModel):
    """One customer call from offer to hang-up (CALL-2)."""

    class Direction(models.TextChoices):
        INBOUND = "inbound", _("呼入")
        OUTBOUND = "outbound", _("呼出")

    class Outcome(models.TextChoices):
        WAITING = "waiting", _("排队中")
        ANSWERED = "answered", _("已接听")
        ABANDONED = "abandoned", _("放弃")
        MISSED = "missed", _("未接")
        # The caller left the queue asking to be called back (`CallbackRequest`).
        CALLBACK = "callback", _("转为回电")

    engine_call_id = models.CharField(_("引擎呼叫标识"), max_length=64, unique=True)
    direction = models.CharField(_("方向"), max_length=8, choices=Direction.choices)
    caller_number = models.CharField(_("主叫号码"), max_length=20)
    callee_number = models.CharField(_("被叫号码"), max_length=20)
    caller = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("会员"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    is_vip = models.BooleanField(_("VIP 会员"), default=False)
    is_long_distance = models.BooleanField(_("长途来电"), default=False)
    # Where the caller is in the IVR tree, and how often the menu failed (timeout, bad key).
    ivr_menu = models.ForeignKey(
        IvrMenu, verbose_name=_("IVR 菜单"), null=True, blank=True, on_delete=models.SET_NULL
    )
    ivr_attempts = models.PositiveSmallIntegerField(_("菜单失败次数"), default=0)
    queue = models.ForeignKey(
        Queue, verbose_name=_("队列"), null=True, blank=True, on_delete=models.PROTECT
    )
    agent = models.ForeignKey(
        Agent, verbose_name=_("坐席"), null=True, blank=True, on_delete=models.PROTECT
    )
    offered_at = models.DateTimeField(_("来电时间"))
    queued_at = models.DateTimeField(_("入队时间"), null=True, blank=True)
    # When the call entered its present queue: overflow counts from here.
    queue_entered_at = models.DateTimeField(_("进入当前队列时间"), null=True, blank=True)
    answered_at = models.DateTimeField(_("接听时间"), null=True, blank=True)
    # A transfer nobody answered put the caller back at the head of the queue at this time.
    returned_at = models.DateTimeField(_("转接未接回到队首时间"), null=True, blank=True)
    # The last announcement of the caller's place in the queue, and when a call back was first
    # offered (pressing 1 then asks for one).
    announced_at = models.DateTimeField(_("排队播报时间"), null=True, blank=True)
    callback_offered_at = models.DateTimeField(_("提供回电时间"), null=True, blank=True)
    # The caller hears hold music since; the workspace shows it after a page reload.
    held_at = models.DateTimeField(_("保持开始时间"), null=True, blank=True)
    ended_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    wait_seconds = models.PositiveIntegerField(_("等待秒数"), default=0)
    talk_seconds = models.PositiveIntegerField(_("通话秒数"), default=0)
    outcome = models.CharField(
        _("结果"), max_length=10, choices=Outcome.choices, default=Outcome.WAITING
    )
    hangup_cause = models.CharField(_("挂机原因"), max_length=40, blank=True)
    category = models.CharField(_("类别"), max_length=16, choices=CallCategory.choices, blank=True)

    class Meta:
        verbose_name = _("通话记录")
        verbose_name_plural = _("通话记录")
        permissions = [("supervise_calls", _("监控话务（监听、密语、强插、强拆）"))]
        indexes = [
            models.Index(fields=["offered_at"], name="call_offered_idx"),
            models.Index(fields=["caller_number", "offered_at"], name="call_caller_idx"),
            models.Index(fields=["agent", "offered_at"], name="call_agent_idx"),
            models.Index(
                fields=["queue", "queued_at"],
                condition=models.Q(outcome="waiting"),
                name="call_waiting_idx",
            ),
            # The tick announces again to callers whose last announcement is old.
            models.Index(
                fields=["announced_at"],
                condition=models.Q(outcome="waiting"),
                name="call_announce_idx",
            ),
            # The wait estimate reads a queue's latest answered calls.
            models.Index(
                fields=["queue", "answered_at"],
                condition=models.Q(outcome="answered"),
                name="call_answered_idx",
            ),
            models.Index(
                fields=["queue", "returned_at"],
                condition=models.Q(returned_at__isnull=False, ended_at__isnull=True),
                name="call_returned_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.caller_number} → {self.callee_number}"


class CallLeg(BaseModel):
    """One agent's part of a call: a transfer ends one leg and offers the next."""

    class Outcome(models.TextChoices):
        RINGING = "ringing", _("振铃中")
        ANSWERED = "answered", _("已接听")
        REJECTED = "rejected", _("拒接")
        MISSED = "missed", _("未接")
        TRANSFERRED = "transferred", _("已转接")
        COMPLETED = "completed", _("已完成")

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="legs")
    agent = models.ForeignKey(Agent, verbose_name=_("坐席"), on_delete=models.PROTECT)
    engine_leg_id = models.CharField(_("引擎通道标识"), max_length=64, unique=True)
    # The leg a transfer ended to offer this one: unanswered, the caller goes back to its agent.
    transferred_from = models.ForeignKey(
        "self",
        verbose_name=_("转接自"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    offered_at = models.DateTimeField(_("振铃时间"))
    answered_at = models.DateTimeField(_("接听时间"), null=True, blank=True)
    ended_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    talk_seconds = models.PositiveIntegerField(_("通话秒数"), default=0)
    outcome = models.CharField(
        _("结果"), max_length=12, choices=Outcome.choices, default=Outcome.RINGING
    )

    class Meta:
        verbose_name = _("通话分段")
        verbose_name_plural = _("通话分段")
        indexes = [
            models.Index(fields=["agent", "offered_at"], name="callleg_agent_idx"),
            # The tick looks for legs ringing too long.
            models.Index(
                fields=["offered_at"],
                condition=models.Q(answered_at__isnull=True, ended_at__isnull=True),
                name="callleg_ringing_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.engine_leg_id


class CallbackRequest(BaseModel):
    """A caller who pressed 1 in the queue to be called back (CALL-7). The tick offers it to a
    free agent of the queue as a call out once no caller waits there; `callcenter.callbacks`
    is the only writer of `status`."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("等待回电")
        CALLING = "calling", _("回电中")
        DONE = "done", _("已回电")
        FAILED = "failed", _("回电失败")

    number = models.CharField(_("回电号码"), max_length=20)
    queue = models.ForeignKey(Queue, verbose_name=_("队列"), on_delete=models.PROTECT)
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("会员"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The queued call that asked for it (one request per call), and the latest call back.
    call = models.OneToOneField(
        Call, verbose_name=_("来电"), on_delete=models.PROTECT, related_name="callback_request"
    )
    last_call = models.ForeignKey(
        Call,
        verbose_name=_("回电通话"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    agent = models.ForeignKey(
        Agent, verbose_name=_("坐席"), null=True, blank=True, on_delete=models.PROTECT
    )
    requested_at = models.DateTimeField(_("登记时间"))
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.WAITING
    )
    attempts = models.PositiveSmallIntegerField(_("回电次数"), default=0)

    class Meta:
        verbose_name = _("回电请求")
        verbose_name_plural = _("回电请求")
        indexes = [
            models.Index(fields=["status", "requested_at"], name="callback_status_idx"),
            models.Index(fields=["agent", "requested_at"], name="callback_agent_idx"),
            models.Index(fields=["requested_at"], name="callback_requested_idx"),
        ]

    def __str__(self) -> str:
        return self.number


class CallbackEvent(AppendOnlyModel):
    """Each step of a callback request: from, to, when, the call back it concerned."""

    callback = models.ForeignKey(CallbackRequest, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(
        _("原状态"), max_length=10, choices=CallbackRequest.Status.choices
    )
    to_status = models.CharField(_("新状态"), max_length=10, choices=CallbackRequest.Status.choices)
    call = models.ForeignKey(
        Call, verbose_name=_("通话"), null=True, blank=True, on_delete=models.PROTECT
    )
    created_at = models.DateTimeField(_("时间"))

    class Meta:
        verbose_name = _("回电记录")
        verbose_name_plural = _("回电记录")

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status}"


class AgentEvent(AppendOnlyModel):
    """The work record (CALL-1): every state change of an agent, with how long the state it
    left lasted. Sign-in periods run from a step out of `signed_out` to the step back in."""

    agent = models.ForeignKey(Agent, on_delete=models.PROTECT, related_name="events")
    from_state = models.CharField(_("原状态"), max_length=12, choices=Agent.State.choices)
    to_state = models.CharField(_("新状态"), max_length=12, choices=Agent.State.choices)
    seconds_in_from_state = models.PositiveIntegerField(_("原状态持续秒数"), default=0)
    call = models.ForeignKey(
        Call, verbose_name=_("通话"), null=True, blank=True, on_delete=models.PROTECT
    )
    reason = models.CharField(_("原因"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("时间"))

    class Meta:
        verbose_name = _("工作记录")
        verbose_name_plural = _("工作记录")
        indexes = [models.Index(fields=["agent", "created_at"], name="agentevent_agent_idx")]

    def __str__(self) -> str:
        return f"{self.from_state} → {self.to_state}"


class Recording(BaseModel):
    """The index of a recorded leg (CALL-4). The engine writes the file, never an upload: `path`
    is its name in the media storage, `callcenter/recordings/<yyyy>/<mm>/<dd>/<leg>.wav`."""

    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="recordings")
    leg = models.ForeignKey(CallLeg, on_delete=models.PROTECT, related_name="recordings")
    agent = models.ForeignKey(Agent, verbose_name=_("坐席"), on_delete=models.PROTECT)
    path = models.CharField(_("录音文件"), max_length=200, unique=True)
    started_at = models.DateTimeField(_("开始时间"))
    seconds = models.PositiveIntegerField(_("时长秒数"), default=0)

    class Meta:
        verbose_name = _("录音")
        verbose_name_plural = _("录音")
        indexes = [models.Index(fields=["agent", "started_at"], name="recording_agent_idx")]

    def __str__(self) -> str:
        return self.path


class RecordingPlayback(AppendOnlyModel):
    """Who played which recording, when (CALL-4): one row per playback started in the browser
    (the first byte asked for), not per byte range the player fetches afterwards."""

    recording = models.ForeignKey(Recording, on_delete=models.PROTECT, related_name="playbacks")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("收听人"), on_delete=models.PROTECT
    )
    created_at = models.DateTimeField(_("时间"))

    class Meta:
        verbose_name = _("录音收听记录")
        verbose_name_plural = _("录音收听记录")
        indexes = [models.Index(fields=["recording", "created_at"], name="playback_recording_idx")]

    def __str__(self) -> str:
        return f"{self.recording_id} · {self.user_id}"
