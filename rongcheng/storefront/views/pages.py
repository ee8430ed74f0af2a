from django.conf import settings
from django.shortcuts import render


def terms(request):
    return render(request, "pages/terms.html")


def privacy(request):
    return render(request, "pages/privacy.html")


def wallet_terms(request):
    """The written terms of the wallet 绒易付 (LAW-6), open to everyone before they top up."""
    rules = settings.RONGCHENG
    context = {
        "WALLET_TOPUP_MAX": rules["WALLET_TOPUP_MAX"],
        "PAYMENT_PASSWORD_MAX_FAILURES": rules["PAYMENT_PASSWORD_MAX_FAILURES"],
    }
    return render(request, "pages/wallet_terms.html", context)
