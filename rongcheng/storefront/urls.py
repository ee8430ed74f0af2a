from django.urls import path

from rongcheng.storefront.views import (
    auth,
    bag,
    brands,
    catalog,
    checkout,
    city,
    home,
    member,
    orders,
    pages,
    product,
    recovery,
    sale,
    security,
    stores,
)
from rongcheng.storefront.views import search as search_views

app_name = "storefront"

urlpatterns = [
    path("", home.home, name="home"),
    path("terms/", pages.terms, name="terms"),
    path("privacy/", pages.privacy, name="privacy"),
    path("city/", city.city_picker, name="city"),
    path("city/switch/", city.city_switch, name="city_switch"),
    path("login/", auth.login_view, name="login"),
    path("logout/", auth.logout_view, name="logout"),
    path("register/", auth.register_view, name="register"),
    path("member/", member.member_home, name="member"),
    path("password/forgot/", recovery.forgot_by_sms, name="password_forgot"),
    path("password/forgot/email/", recovery.forgot_by_email, name="password_forgot_email"),
    path("password/forgot/question/", recovery.forgot_by_question, name="password_forgot_question"),
    path("password/reset/<uidb64>/<token>/", recovery.reset_by_link, name="password_reset_link"),
    path("member/password/", security.password_change_view, name="member_password"),
    path(
        "member/security-question/",
        security.security_question_view,
        name="member_security_question",
    ),
    path("member/profile/", member.profile_edit, name="member_profile"),
    path("member/username/", member.username_change, name="member_username"),
    path("member/addresses/", member.address_book, name="member_addresses"),
    path("member/addresses/new/", member.address_new, name="member_address_new"),
    path("member/addresses/<int:address_id>/", member.address_edit, name="member_address_edit"),
    path(
        "member/addresses/<int:address_id>/delete/",
        member.address_remove,
        name="member_address_delete",
    ),
    path(
        "member/addresses/<int:address_id>/default/",
        member.address_make_default,
        name="member_address_default",
    ),
    path("member/privacy/", member.privacy_center, name="member_privacy"),
    path("member/privacy/export/", member.data_export, name="member_export"),
    path("member/privacy/close/", member.account_close, name="member_close"),
    path("search/", search_views.search, name="search"),
    path("stores/", stores.nearby, name="stores"),
    path("store/<int:store_id>/", stores.store, name="store"),
    path("categories/", catalog.categories, name="categories"),
    path("category/<int:category_id>-<slug:slug>/", catalog.category, name="category"),
    path("brands/", brands.hall, name="brands"),
    path("brand/<int:brand_id>/", brands.brand, name="brand"),
    path("sale/", sale.special_sale_page, name="sale"),
    path("product/<int:product_id>/", product.detail, name="product"),
    path("bag/", bag.bag, name="bag"),
    path("bag/token/", bag.bag_token, name="bag_token"),
    path("bag/add/", bag.bag_add, name="bag_add"),
    path("bag/update/", bag.bag_update, name="bag_update"),
    path("checkout/", checkout.checkout, name="checkout"),
    path("pay/<slug:number>/", checkout.pay, name="pay"),
    path("pay/<slug:number>/result/", checkout.pay_result, name="pay_result"),
    path("member/orders/", orders.order_list, name="member_orders"),
    path("member/orders/<slug:number>/", orders.order_detail, name="member_order"),
    path(
        "member/orders/<slug:number>/cancel/", orders.order_cancel_view, name="member_order_cancel"
    ),
    path(
        "member/orders/<slug:number>/change/", orders.order_change_view, name="member_order_change"
    ),
    path(
        "member/orders/<slug:number>/cancel-request/",
        orders.order_cancel_request_view,
        name="member_order_cancel_request",
    ),
]
