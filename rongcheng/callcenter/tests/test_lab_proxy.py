"""A real call through Kamailio: the agent's phone registers with it, the caller dials the
hotline through it, presses 2 and, with no agent free, hears the hold music while queued;
the agent becomes ready and the lab engine rings the phone through Kamailio's location; the
agent holds the caller, who hears the music again, and resumes."""

import shutil
import subprocess

import pjsua2 as pj
import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from rongcheng.callcenter import cti, lab_proxy, lab_runner
from rongcheng.callcenter.lab import LabEngine
from rongcheng.callcenter.lab_proxy import free_port, installed, running
from rongcheng.callcenter.models import Agent, Call
from rongcheng.callcenter.prompts import synthesis_available
from rongcheng.callcenter.tests.factories import make_agent
from rongcheng.callcenter.tests.sip_phones import AgentPhone, Phone, account, peak
from rongcheng.demo.hotline import load_hotline

pytestmark = pytest.mark.django_db
SIPP = shutil.which("sipp")


@pytest.mark.telephony
@pytest.mark.skipif(not installed(), reason="needs Debian's kamailio and rtpengine-daemon")
@pytest.mark.skipif(not synthesis_available(), reason="espeak-ng speaks the prompts")
def test_a_queued_caller_hears_hold_music_until_the_registered_agent_answers(media_root, tmp_path):
    load_hotline()
    agent = make_agent("1001", state=Agent.State.BUSY, skills={"consult": 3})
    port = free_port()
    with running(hotline_port=port) as proxy:
        lab = LabEngine(port=port, media_dir=media_root, agents_host=proxy.domain)
        lab.start()

        def handle(event):
            cti.handle(event, engine=lab)

        try:
            registrar = f"sip:{proxy.domain}"
            phone = account(AgentPhone(), f"sip:1001@{proxy.domain}", registrar=registrar)
            caller_account = account(pj.Account(), f"sip:031966667777@{proxy.domain}")
            caller = Phone(caller_account, heard=tmp_path / "menu.wav")
            caller.makeCall(f"sip:4008001234@{proxy.domain}", pj.CallOpParam(True))
            lab.run_for(2.5, handle)  # the welcome plays; the phone has registered
            registered = phone.getInfo().regIsActive
            caller.dialDtmf("2")
            lab.run_for(0.5, handle)  # queued: the prompt stops, the music starts
            caller.listen(tmp_path / "queued.wav")
            lab.run_for(2, handle)
            caller.listen(tmp_path / "agent.wav")
            cti.agent_ready(Agent.objects.get(), engine=lab, now=timezone.now())
            lab.run_for(2, handle)  # rung through Kamailio, answered, bridged
            lab.hold(Call.objects.get().engine_call_id)  # the agent holds the caller
            lab.run_for(0.3, handle)
            caller.listen(tmp_path / "held.wav")
            lab.run_for(2, handle)
            call = Call.objects.get()
            lab.bridge(call.engine_call_id, call.legs.get().engine_leg_id)  # and resumes
            lab.run_for(0.3, handle)
            caller.listen(tmp_path / "resumed.wav")
            lab.run_for(1, handle)
            caller.hangup(pj.CallOpParam())
            lab.run_for(1, handle)
            caller.recorder = None  # finishes the file
            lab.endpoint.hangupAllCalls()
            lab.run_for(0.5, handle)
            answered_by_phone = len(phone.calls)
            del caller, phone, caller_account
        finally:
            lab.stop()

    assert registered
    assert peak(tmp_path / "menu.wav") > 1000  # the spoken menu through Kamailio
    assert peak(tmp_path / "queued.wav") > 1000  # music, not silence, while queued
    assert peak(tmp_path / "held.wav") > 1000  # music while held
    assert peak(tmp_path / "resumed.wav") < 100  # the silent agent phone again (codec noise)
    call = Call.objects.select_related("queue").get()
    assert (call.queue.code, call.agent, call.outcome) == ("consult", agent, "answered")
    assert call.wait_seconds >= 2
    assert answered_by_phone == 1


def test_the_lab_command_says_when_the_lab_is_not_installed(monkeypatch):
    monkeypatch.setattr(lab_proxy, "installed", lambda: False)
    with pytest.raises(CommandError, match="The call center lab is not installed"):
        call_command("callcenter_lab", "--check")


@pytest.mark.telephony
@pytest.mark.skipif(not installed() or not SIPP, reason="needs Debian's kamailio, rtpengine, sipp")
@pytest.mark.skipif(not synthesis_available(), reason="espeak-ng speaks the prompts")
@pytest.mark.django_db(transaction=True)  # the loop drops connections as between requests
def test_the_lab_worker_loop_serves_a_sip_caller_of_another_process(media_root, settings):
    """What `make run-callcenter` runs, with sipp's caller from the bench: answered, the
    welcome, key 2 in RFC 2833, queued, hung up."""
    load_hotline()
    with lab_runner.lab(hotline_port=free_port()) as (proxy, engine):
        caller = subprocess.Popen(
            [
                SIPP,
                proxy.domain,
                "-sf",
                str(settings.BASE_DIR / "bench" / "sipp" / "hotline-caller.xml"),
                "-s",
                "4008001234",
                "-i",
                "127.0.0.1",
                "-p",
                str(free_port()),
                "-mi",
                "127.0.0.1",
                "-mp",
                str(free_port()),
                "-m",
                "1",
                "-d",
                "1000",
                "-timeout",
                "30s",
                "-nostdin",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        lab_runner.serve(engine, stopping=lambda: caller.poll() is not None)
        engine.run_for(0.5, lambda event: cti.handle(event, engine=engine))

    assert caller.returncode == 0  # sipp completed its call
    call = Call.objects.select_related("queue").get()
    assert (call.caller_number, call.queue.code, call.outcome) == ("03191", "consult", "abandoned")
    assert call.hangup_cause == "NORMAL_CLEARING"
