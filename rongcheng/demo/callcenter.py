"""The demo call center: the hotline's agent group and the agents of the demo logins `cs_agent`
(1001) and `cs_supervisor` (9001), skilled for every queue of the hotline's IVR (built first by
`demo.hotline`). Idempotent."""

from rongcheng.accounts.models import User
from rongcheng.callcenter.models import Agent, AgentGroup, AgentSkill, Skill

# (login, agent number, skill level)
AGENTS = [("cs_agent", "1001", 3), ("cs_supervisor", "9001", 5)]


def load_demo_callcenter() -> list[tuple[str, str]]:
    """Create what is missing; return (login, agent number) of the demo agents."""
    group = AgentGroup.objects.get_or_create(code="hotline", defaults={"name": "热线一组"})[0]
    skills = list(Skill.objects.filter(queue__isnull=False).distinct())
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
