"""A real SIP call on loopback through the lab engine: the caller hears the IVR's welcome,
presses 2, is queued, the signed-in agent's phone (auto-answer) takes the call and transfers
it to a second agent; both legs are recorded."""

import pjsua2 as pj
import pytest
from django.utils import timezone

from rongcheng.callcenter import cti
from rongcheng.callcenter.lab import LabEngine
from rongcheng.callcenter.lab_proxy import free_port
from rongcheng.callcenter.models import Agent, Call, CallLeg, Recording
from rongcheng.callcenter.prompts import synthesis_available
from rongcheng.callcenter.tests.factories import make_agent
from rongcheng.callcenter.tests.sip_phones import AgentPhone, Phone, account, peak
from rongcheng.demo.hotline import load_hotline

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not synthesis_available(), reason="espeak-ng speaks the prompts"),
]


def test_a_real_call_hears_the_menu_presses_2_reaches_the_agent_and_is_transferred(
    media_root, tmp_path
):
    load_hotline()
    agent = make_agent("1001", state=Agent.State.IDLE, skills={"consult": 3})
    second = make_agent("1002", state=Agent.State.IDLE, skills={"service": 3})
    port = free_port()
    lab = LabEngine(port=port, media_dir=media_root, agents_host=f"127.0.0.1:{port}")
    lab.start()

    def handle(event):
        cti.handle(event, engine=lab)

    try:
        phone = account(AgentPhone(), f"sip:1001@127.0.0.1:{port}")
        second_phone = account(AgentPhone(), f"sip:1002@127.0.0.1:{port}")
        caller_account = account(pj.Account(), f"sip:031966667777@127.0.0.1:{port}")
        caller = Phone(caller_account, heard=tmp_path / "heard.wav")
        caller.makeCall(f"sip:4008001234@127.0.0.1:{port}", pj.CallOpParam(True))
        lab.run_for(3, handle)  # the welcome plays
        caller.dialDtmf("2")
        lab.run_for(3, handle)  # queued, the agent's phone rings and answers
        cti.transfer(Call.objects.get(), to=second, engine=lab, now=timezone.now())
        lab.run_for(3, handle)  # the second agent's phone rings and answers
        caller.hangup(pj.CallOpParam())
        lab.run_for(1.5, handle)
        caller.recorder = None  # finishes the file
        lab.endpoint.hangupAllCalls()
        lab.run_for(0.5, handle)
        answered_by_phones = (len(phone.calls), len(second_phone.calls))
        del caller, phone, second_phone, caller_account
    finally:
        lab.stop()

    assert peak(tmp_path / "heard.wav") > 1000  # the spoken menu crossed RTP
    call = Call.objects.select_related("queue").get()
    assert (call.caller_number, call.callee_number, call.queue.code, call.category) == (
        "031966667777",
        "4008001234",
        "consult",
        "consultation",
    )
    assert (call.agent, call.outcome, call.hangup_cause) == (second, "answered", "NORMAL_CLEARING")
    assert answered_by_phones == (1, 1)
    legs = CallLeg.objects.order_by("id")
    assert [(leg.agent, leg.outcome) for leg in legs] == [
        (agent, "transferred"),
        (second, "completed"),
    ]
    recordings = Recording.objects.order_by("leg_id")
    assert [r.leg for r in recordings] == list(legs)
    for recording in recordings:
        assert (media_root / recording.path).stat().st_size > 44  # more than a WAV header
    assert list(Agent.objects.order_by("number").values_list("state", flat=True)) == [
        Agent.State.IDLE,
        Agent.State.WRAP_UP,
    ]
