"""A store with a clerk and a manager, and a platform agent, for chat and letter tests."""

from dataclasses import dataclass

from django.contrib.auth.models import Permission

from rongcheng.accounts.models import User
from rongcheng.core.testing.factories import UserFactory
from rongcheng.stores.models import Store, StoreMembership
from rongcheng.stores.tests.factories import StoreFactory


@dataclass
class Team:
    store: Store
    clerk: User
    manager: User


def make_store_team(city, **store_fields) -> Team:
    store = StoreFactory(city=city, **store_fields)
    clerk = UserFactory(real_name="李店员")
    manager = UserFactory(real_name="王店长")
    StoreMembership.objects.create(store=store, user=clerk, role=StoreMembership.Role.CLERK)
    StoreMembership.objects.create(store=store, user=manager, role=StoreMembership.Role.MANAGER)
    return Team(store=store, clerk=clerk, manager=manager)


def make_platform_agent(**fields) -> User:
    agent = UserFactory(**fields)
    agent.user_permissions.add(Permission.objects.get(codename="answer_platform_chat"))
    return User.objects.get(pk=agent.pk)  # a fresh object: permissions are cached per object
