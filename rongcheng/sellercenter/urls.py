from django.urls import include, path

import rongcheng.core.url_converters  # noqa: F401 - registers <id:…>
from rongcheng.sellercenter.views import cash, chat, letters, listings, orders, overview, stock

app_name = "sellercenter"

urlpatterns = [
    path("", overview.index, name="index"),
    path("", include("rongcheng.sellercenter.community_urls")),
    path("<id:store_id>/listings/", listings.listings, name="listings"),
    path("<id:store_id>/listings/update/", listings.listings_update, name="listings_update"),
    path("<id:store_id>/stock/", stock.stock, name="stock"),
    path("<id:store_id>/stock/receive/", stock.stock_receive_view, name="stock_receive"),
    path("<id:store_id>/stock/adjust/", stock.stock_adjust_view, name="stock_adjust"),
    path("<id:store_id>/stock/movements/", stock.movements, name="movements"),
    path("<id:store_id>/orders/", orders.order_list, name="orders"),
    path("<id:store_id>/orders/<slug:number>/", orders.order_detail, name="order"),
    path(
        "<id:store_id>/orders/<slug:number>/cancellation/",
        orders.cancellation_answer,
        name="cancellation_answer",
    ),
    path("<id:store_id>/chat/", chat.store_workspace, name="chat"),
    path("<id:store_id>/chat/seat/", chat.store_action, {"action": "seat"}, name="chat_seat"),
    path("<id:store_id>/chat/canned/", chat.store_action, {"action": "canned"}, name="chat_canned"),
    *(
        path(
            f"<id:store_id>/chat/<id:conversation_id>/{action}/",
            chat.store_action,
            {"action": action},
            name=f"chat_{action}",
        )
        for action in chat.CONVERSATION_ACTIONS
    ),
    path("<id:store_id>/messages/", letters.store_letters, name="letters"),
    path("<id:store_id>/messages/<id:letter_id>/", letters.store_letter, name="letter"),
    path("<id:store_id>/cash/", cash.counter, name="cash"),
    path("<id:store_id>/cash/<slug:number>/", cash.counter_pay, name="cash_pay"),
]
