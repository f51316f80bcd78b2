"""What needs doing: each app registers a provider; the dashboard shows what they return.

Apps stand above org, so they register here from their AppConfig.ready() and org never imports them.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Todo:
    text: str
    url: str = ""
    due: date | None = None
    late: bool = False
    community: str = ""


Provider = Callable[..., list[Todo]]
_providers: list[Provider] = []


def register(provider: Provider) -> Provider:
    """Add a provider `provider(*, user, communities) -> list[Todo]`."""
    if provider not in _providers:
        _providers.append(provider)
    return provider


def todos_for(*, user, communities) -> list[Todo]:
    todos = [todo for provider in _providers for todo in provider(user=user, communities=communities)]
    return sorted(todos, key=lambda t: (not t.late, t.due or date.max, t.community, t.text))
