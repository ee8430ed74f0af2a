"""Seller-center pages of the community features: product questions and 到货通知."""

from django.urls import path

from rongcheng.sellercenter.views import questions

urlpatterns = [
    path("<int:store_id>/questions/", questions.question_list, name="questions"),
    path(
        "<int:store_id>/questions/<int:question_id>/answer/",
        questions.question_answer,
        name="question_answer",
    ),
]
