from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QuestionsConfig(AppConfig):
    name = "rongcheng.questions"
    label = "questions"
    verbose_name = _("商品咨询")

    def ready(self):
        from rongcheng.accounts import roles

        # Customer service reads, hides and answers questions on every product.
        roles.register_baseline_grants(
            roles.CS_AGENT,
            [
                *roles.model_permissions("questions", ["question"], ("view",)),
                "questions.answer_question",
            ],
        )
