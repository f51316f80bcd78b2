"""What a service did, with the warnings of an act that stands though it is late or irregular."""

from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Outcome(Generic[T]):
    """A service's result and the warnings the clerk must see (the act is done; the law lets it through)."""

    value: T
    warnings: tuple[str, ...] = ()

    @classmethod
    def of(cls, value: T, *warnings: str | None) -> "Outcome[T]":
        """The result with the warnings that were raised (None for a check that found nothing)."""
        return cls(value, tuple(w for w in warnings if w))
