import pytest
from django.urls import reverse

from rongcheng.core.testing.factories import UserFactory
from rongcheng.messaging import letters, services

pytestmark = pytest.mark.django_db


def test_the_back_office_reads_conversations_and_letters(client, member):
    conversation = services.conversation_open(member=member)
    services.message_send(sender=member, conversation_id=conversation.pk, body="发票怎么开？")
    letter = letters.letter_to_platform(
        sender=member, kind="suggestion", subject="多些尺码", body="希望有 XXL"
    )
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    listing = client.get(reverse("admin:messaging_conversation_changelist")).content.decode()
    assert "张三" in listing or member.username in listing
    page = client.get(reverse("admin:messaging_conversation_change", args=[conversation.pk]))
    assert "发票怎么开？" in page.content.decode()
    letter_page = client.get(reverse("admin:messaging_letter_change", args=[letter.pk]))
    assert "希望有 XXL" in letter_page.content.decode()
    assert client.get(reverse("admin:messaging_letter_add")).status_code == 403
