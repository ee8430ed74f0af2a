"""The demo call center: the hotline's agent group, skills and the four IVR queues (CALL-6), and
the agents of the demo logins `cs_agent` (1001) and `cs_supervisor` (9001). Idempotent."""

from rongcheng.accounts.models import User
from rongcheng.callcenter.models import Agent, AgentGroup, AgentSkill, Queue, Skill

# (code, name, IVR key, call category): "服务请按1，咨询请按2，投诉建议请按3，其它服务请按0".
QUEUES = [
    ("service", "服务", "1", "service"),
    ("consultation", "咨询", "2", "consultation"),
    ("complaint", "投诉建议", "3", "complaint"),
    ("other", "其它服务", "0", "other"),
]
# (login, agent number, skill level)
AGENTS = [("cs_agent", "1001", 3), ("cs_supervisor", "9001", 5)]


def load_demo_callcenter() -> list[tuple[str, str]]:
    """Create what is missing; return (login, agent number) of the demo agents."""
    group = AgentGroup.objects.get_or_create(code="hotline", defaults={"name": "热线一组"})[0]
    skills = []
    for code, name, digit, category in QUEUES:
        skill = Skill.objects.get_or_create(code=code, defaults={"name": name})[0]
        skills.append(skill)
        if not Queue.objects.filter(code=code).exists() and not (
            Queue.objects.filter(ivr_digit=digit).exists()
        ):
            Queue.objects.create(
                code=code, name=name, ivr_digit=digit, skill=skill, category=category
            )
    created = []
    for login, number, level in AGENTS:
        user = User.objects.filter(username=login).first()
        if user is None or Agent.objects.filter(user=user).exists():
            continue
        agent = Agent.objects.create(user=user, number=number, group=group)
        AgentSkill.objects.bulk_create(
            AgentSkill(agent=agent, skill=skill, level=level) for skill in skills
        )
        created.append((login, number))
    return created
