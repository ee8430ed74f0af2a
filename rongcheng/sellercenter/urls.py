from django.urls import include, path

from rongcheng.sellercenter.views import listings, orders, overview, stock

app_name = "sellercenter"

urlpatterns = [
    path("", overview.index, name="index"),
    path("", include("rongcheng.sellercenter.community_urls")),
    path("<int:store_id>/listings/", listings.listings, name="listings"),
    path("<int:store_id>/listings/update/", listings.listings_update, name="listings_update"),
    path("<int:store_id>/stock/", stock.stock, name="stock"),
    path("<int:store_id>/stock/receive/", stock.stock_receive_view, name="stock_receive"),
    path("<int:store_id>/stock/adjust/", stock.stock_adjust_view, name="stock_adjust"),
    path("<int:store_id>/stock/movements/", stock.movements, name="movements"),
    path("<int:store_id>/orders/", orders.order_list, name="orders"),
    path("<int:store_id>/orders/<slug:number>/", orders.order_detail, name="order"),
    path(
        "<int:store_id>/orders/<slug:number>/cancellation/",
        orders.cancellation_answer,
        name="cancellation_answer",
    ),
]
