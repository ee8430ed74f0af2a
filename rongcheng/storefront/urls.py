from django.urls import path

from rongcheng.storefront.views import auth, city, member, pages
from rongcheng.storefront.views import search as search_views

app_name = "storefront"

urlpatterns = [
    path("", pages.home, name="home"),
    path("terms/", pages.terms, name="terms"),
    path("privacy/", pages.privacy, name="privacy"),
    path("city/", city.city_picker, name="city"),
    path("city/switch/", city.city_switch, name="city_switch"),
    path("login/", auth.login_view, name="login"),
    path("logout/", auth.logout_view, name="logout"),
    path("register/", auth.register_view, name="register"),
    path("member/", member.member_home, name="member"),
    path("search/", search_views.search, name="search"),
]
