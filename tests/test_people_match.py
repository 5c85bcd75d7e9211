"""Directory matching, data-driven (tests/data/people_match.yaml) against
the demo directory, plus Latin directories and the morphology path."""
import csv
from pathlib import Path

import pytest
import yaml
from sekretar.grammar.command import Recipient
from sekretar.integrations.people import Directory, normalize, surname_stem, transliterate

from sekretar.core.types import Person

DATA = Path(__file__).parent / "data"
CASES = yaml.safe_load((DATA / "people_match.yaml").read_text(encoding="utf-8"))
DEMO = Path(__file__).parent.parent / "integrations" / "data" / "demo_people.csv"


@pytest.fixture(scope="session")
def demo_directory():
    with open(DEMO, encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    people = [Person(str(i), *r["name"].split(" ", 1)) for i, r in enumerate(rows, 1)]
    return Directory(people)


@pytest.fixture(scope="session")
def morph():
    pymorphy3 = pytest.importorskip("pymorphy3")
    return pymorphy3.MorphAnalyzer()


def _recipient(case):
    return Recipient(first=case.get("first"), last=case.get("last"), middle=case.get("middle"),
                     self=case.get("self", False), span=case.get("span"))


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_match(demo_directory, case):
    assert [p.name for p in demo_directory.match(_recipient(case))] == case["expect"]


def test_latin_directory_matches_russian_speech():
    d = Directory([Person("7", "Sergey", "Ivanov"), Person("8", "Anna", "Petrova"),
                   Person("9", "Nastya", "Smirnova"), Person("10", "Aleksandr", "Kuznetsov")])
    assert [p.id for p in d.match(Recipient("Сергей", "Иванов"))] == ["7"]
    assert [p.id for p in d.match(Recipient("Аня"))] == ["8"]
    assert [p.id for p in d.match(Recipient(None, "Петрова"))] == ["8"]
    assert [p.id for p in d.match(Recipient("Анастасия"))] == ["9"]
    assert [p.id for p in d.match(Recipient("Саша"))] == ["10"]


def test_directory_with_diminutive_as_first_name():
    d = Directory([Person("1", "Саша", "Белый"), Person("2", "Александр", "Серый")])
    assert [p.id for p in d.match(Recipient("Саша"))] == ["1"]        # exact first
    assert [p.id for p in d.match(Recipient("Александр"))] == ["2"]
    assert [p.id for p in d.match(Recipient("Александр", "Белый"))] == ["1"]  # full name for a Саша


def test_patronymic_separates_namesakes():
    d = Directory([Person("1", "Сергей", "Иванов", "Петрович"), Person("2", "Сергей", "Иванов", "Андреевич")])
    assert [p.id for p in d.match(Recipient("Сергей", "Иванов"))] == ["1", "2"]
    assert [p.id for p in d.match(Recipient("Сергей", "Иванов", "Андреевич"))] == ["2"]


def test_gender_from_the_person_record_wins():
    d = Directory([Person("1", "Женя", "Петров", gender="m"), Person("2", "Женя", "Петрова", gender="f")])
    assert [p.id for p in d.match(Recipient(None, "Петрова"))] == ["2"]
    assert [p.id for p in d.match(Recipient("Женя"))] == ["1", "2"]


def test_inflected_span_with_morph(demo_directory, morph):
    d = Directory(demo_directory.people, morph=morph)
    assert [p.name for p in d.match(Recipient(span="Сергею Иванову"))] == ["Сергей Иванов"]
    assert [p.name for p in d.match(Recipient(span="Анне Петровой"))] == ["Анна Петрова"]
    assert [p.name for p in d.match(Recipient(None, "Петров", span="Петровой"))] == ["Анна Петрова"]


def test_empty_directory_and_empty_recipient():
    assert Directory([]).match(Recipient("Сергей")) == []
    assert Directory([Person("1", "Сергей", "Иванов")]).match(Recipient()) == []
    assert Directory([Person("1", "Сергей", "Иванов")]).match(None) == []


@pytest.mark.parametrize("latin, cyrillic", [
    ("Sergey", "сергей"), ("Nastya", "настя"), ("Kuznetsov", "кузнецов"), ("Shchukin", "щукин"),
    ("Dmitry", "дмитрий"), ("Alexey", "алексей"), ("Yekaterina", "екатерина"), ("Zhukov", "жуков"),
    ("Сергей", "сергей"),
])
def test_transliterate(latin, cyrillic):
    assert transliterate(latin) == cyrillic


def test_normalize_and_stem():
    assert normalize("Серёжа") == normalize("Сережа") == "сережа"
    assert normalize("Sergei") == normalize("Сергей")
    assert normalize("Ольга") == normalize("Olga")
    assert surname_stem("иванова") == surname_stem("ивановои") == "иванов"
    assert surname_stem("соколовская") == surname_stem("соколовскии") == "соколовск"
