"""Seller-center pages of the community features: product questions and 到货通知."""

from django.urls import path

from rongcheng.sellercenter.views import questions, restock

urlpatterns = [
    path("<int:store_id>/questions/", questions.question_list, name="questions"),
    path(
        "<int:store_id>/questions/<int:question_id>/answer/",
        questions.question_answer,
        name="question_answer",
    ),
    path("<int:store_id>/restock/", restock.registration_list, name="restock"),
    *(
        path(
            f"<int:store_id>/restock/<int:registration_id>/{action}/",
            restock.registration_action,
            {"action": action},
            name=f"restock_{action}",
        )
        for action in restock.ACTIONS
    ),
]
