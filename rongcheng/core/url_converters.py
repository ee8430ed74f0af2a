"""Path converters for the pages' own addresses."""

from django.urls import register_converter
from django.urls.converters import IntConverter


class IdConverter(IntConverter):
    """A row's id: at most 18 digits, so every id it matches fits a database integer (a
    longer one is no page: SQLite could not even bind it, PostgreSQL would find nothing)."""

    regex = "[0-9]{1,18}"


register_converter(IdConverter, "id")
