"""Views of the elections app, one module per stage; the start page lives in setup."""

from .setup import index  # noqa: F401 - elections/urls.py routes views.index
