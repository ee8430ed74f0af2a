from django.contrib.auth.decorators import login_required
from django.shortcuts import render


@login_required
def member_home(request):
    return render(request, "member/home.html", {"section": "home"})
