"""The community routers (favorites, questions, 到货通知, the message board, surveys), added
to the API in one place."""

from ninja import NinjaAPI

from rongcheng.api import board, favorites, questions, restock, surveys


def add_routers(api: NinjaAPI) -> None:
    api.add_router("/favorites", favorites.router)
    api.add_router("/questions", questions.router)
    api.add_router("/restock", restock.router)
    api.add_router("/board", board.router)
    api.add_router("/surveys", surveys.router)
