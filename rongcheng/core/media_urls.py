"""The address of a stored file, which a list page asks for 40–90 times."""

from django.core.files.storage import FileSystemStorage, storages
from django.utils.encoding import filepath_to_uri


def media_url(name: str | None) -> str:
    """`default_storage.url(name)`, "" for no file. On local disk that is the media address and
    the quoted name, which FileSystemStorage.url() reaches through urljoin at several times
    the cost; any other storage is asked."""
    if not name:
        return ""
    storage = storages["default"]
    if type(storage) is FileSystemStorage and storage.base_url:
        return storage.base_url + filepath_to_uri(name).lstrip("/")
    return storage.url(name)


def media_base() -> str:
    """The address every stored file's address starts with."""
    storage = storages["default"]
    if type(storage) is FileSystemStorage and storage.base_url:
        return storage.base_url
    return storage.url("")
