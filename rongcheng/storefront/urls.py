from django.urls import path

from rongcheng.storefront.views import (
    auth,
    brands,
    catalog,
    city,
    home,
    member,
    pages,
    product,
    sale,
    stores,
)

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
    path("stores/", stores.nearby, name="stores"),
    path("store/<int:store_id>/", stores.store, name="store"),
    path("categories/", catalog.categories, name="categories"),
    path("category/<int:category_id>-<slug:slug>/", catalog.category, name="category"),
    path("brands/", brands.hall, name="brands"),
    path("brand/<int:brand_id>/", brands.brand, name="brand"),
    path("sale/", sale.special_sale_page, name="sale"),
    path("product/<int:product_id>/", product.detail, name="product"),
]
