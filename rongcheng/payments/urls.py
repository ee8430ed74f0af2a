from django.urls import path

from rongcheng.payments import views

app_name = "payments"

urlpatterns = [
    path("notify/<slug:provider>/", views.notify, name="notify"),
    path("sandbox/alipay/gateway.do", views.sandbox_alipay_gateway, name="sandbox_alipay_gateway"),
    path(
        "sandbox/alipay/<slug:out_trade_no>/",
        views.sandbox_alipay_cashier,
        name="sandbox_alipay_cashier",
    ),
    path(
        "sandbox/unionpay/gateway/api/frontTransReq.do",
        views.sandbox_unionpay_front,
        name="sandbox_unionpay_front",
    ),
    path(
        "sandbox/<slug:provider>/<slug:out_trade_no>/",
        views.sandbox_cashier,
        name="sandbox_cashier",
    ),
]
