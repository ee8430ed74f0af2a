"""Shopper pages of the community features: favorites, product questions, out-of-stock
registration, the message board, surveys and sharing."""

from django.urls import path

from rongcheng.storefront.views import board, favorites, questions, restock, sharing, surveys

urlpatterns = [
    path("member/favorites/", favorites.favorites, name="member_favorites"),
    path("favorites/add/", favorites.favorite_add_view, name="favorite_add"),
    path("favorites/marks/", favorites.favorite_marks_view, name="favorite_marks"),
    path(
        "member/favorites/<int:favorite_id>/remove/",
        favorites.favorite_remove_view,
        name="favorite_remove",
    ),
    path("member/favorites/move/", favorites.favorites_move_view, name="favorites_move"),
    path("member/favorites/folders/", favorites.folder_action, name="favorite_folder"),
    path(
        "product/<int:product_id>/questions/",
        questions.product_questions_page,
        name="product_questions",
    ),
    path(
        "product/<int:product_id>/questions/ask/",
        questions.question_ask_view,
        name="question_ask",
    ),
    path(
        "product/<int:product_id>/questions/<int:question_id>/answer/",
        questions.answer_view,
        name="question_answer",
    ),
    path("member/questions/", questions.my_questions, name="member_questions"),
    path("restock/<int:sku_id>/", restock.restock_form, name="restock"),
    path("member/restock/", restock.my_registrations, name="member_restock"),
    path(
        "member/restock/<int:registration_id>/cancel/",
        restock.registration_cancel,
        name="restock_cancel",
    ),
    path("board/", board.board, name="board"),
    path("board/new/", board.board_new, name="board_new"),
    path("surveys/", surveys.survey_list, name="surveys"),
    path("surveys/<int:survey_id>/", surveys.survey_answer, name="survey"),
    path("surveys/<int:survey_id>/results/", surveys.survey_results, name="survey_results"),
    path("share/product/<int:product_id>/qr.svg", sharing.product_qr, name="share_product_qr"),
    path("share/store/<int:store_id>/qr.svg", sharing.store_qr, name="share_store_qr"),
]
