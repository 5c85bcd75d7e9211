"""`@value` (sekretar/core/values.py): a frozen dataclass built cheaply must
behave exactly like `@dataclass(frozen=True)`."""
import dataclasses

import pytest

from sekretar.core.values import value
from sekretar.grammar.command import Command, Recipient, When


@value
class Sample:
    a: int
    b: str = "x"
    self: bool = False  # a field may be called "self" (Recipient has one)


def test_a_value_is_a_frozen_dataclass():
    s = Sample(1, self=True)
    assert (s.a, s.b, s.self) == (1, "x", True)
    assert dataclasses.is_dataclass(s) and s == Sample(1, "x", True) and hash(s) == hash(Sample(1, "x", True))
    with pytest.raises(dataclasses.FrozenInstanceError):
        s.a = 2
    assert dataclasses.replace(s, b="y") == Sample(1, "y", True)
    assert repr(s) == "Sample(a=1, b='x', self=True)"
    with pytest.raises(TypeError):
        Sample()  # a field without a default is required
    with pytest.raises(TypeError):
        Sample(1, c=2)


def test_what_a_value_cannot_be_is_refused_when_the_class_is_made():
    with pytest.raises(TypeError):
        @value
        class WithFactory:
            a: list = dataclasses.field(default_factory=list)


@pytest.mark.parametrize("cls", [Command, Recipient, When])
def test_the_parser_results_stay_immutable(cls):
    obj = cls(**({"start": None} if cls is When else {}))
    field = dataclasses.fields(cls)[0].name
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(obj, field, None)
