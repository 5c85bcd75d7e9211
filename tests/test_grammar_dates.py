"""find_when over the phrase tables in tests/data/dates_{ru,en}.yaml, the
token spans it consumes, and hostile input."""
from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml
from sekretar.grammar.dates import DateSpan, find_when
from sekretar.grammar.dates.lex import date_lexicon
from sekretar.grammar.tokens import clean, tokenize

DATA = Path(__file__).parent / "data"

# pytest escapes non-ASCII ids (\u0437\u0430...): ids are transliterated to stay readable
_LAT = dict(zip("абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
                "a b v g d e e zh z i y k l m n o p r s t u f kh ts ch sh shch ' y ' e yu ya".split()))


def translit(text: str) -> str:
    return "".join(_LAT.get(c, _LAT.get(c.lower(), c).upper() if c.lower() in _LAT else c) for c in text)


def _rows(lang: str):
    table = yaml.safe_load((DATA / f"dates_{lang}.yaml").read_text(encoding="utf-8"))
    zone = ZoneInfo(table["tz"])
    for row in table["cases"]:
        now = datetime.fromisoformat(row.get("now", table["now"])).replace(tzinfo=zone)
        yield pytest.param(lang, now, row, id=f"{lang}:{translit(row['text'][:70]) or '<empty>'}")


ROWS = list(_rows("ru")) + list(_rows("en"))


def _left(tokens, span: DateSpan) -> str:
    return " ".join(t.text for k, t in enumerate(tokens) if not any(s <= k < e for s, e in span.spans))


@pytest.fixture(scope="session")
def date_words():
    """Words that only ever mean a date: none may stay outside the spans."""
    out = set()
    for lang in ("ru", "en"):
        lex = date_lexicon(lang)
        for table in (lex.months, lex.weekdays):
            out |= {w for w in table.firsts() if w not in lex.need_marker}
    return out | {"сегодня", "завтра", "послезавтра", "today", "tomorrow", "tonight"}


@pytest.mark.parametrize("lang,now,row", ROWS)
def test_phrase(lang, now, row, date_words):
    tokens = tokenize(clean(row["text"]))
    span = find_when(tokens, now, lang, answer=row.get("answer", False))
    if row["start"] is None:
        assert span is None, f"unexpected {span}"
        return
    assert span is not None
    start = datetime.fromisoformat(row["start"])
    assert span.start.tzinfo is now.tzinfo
    assert span.start.replace(tzinfo=None) == start
    end = row.get("end")
    if end is None:
        assert span.end is None
    else:
        end = datetime.fromisoformat(end)
        assert span.end.replace(tzinfo=None) == end
        assert span.end_has_time == row.get("end_time", end.time() != datetime.min.time())
    assert span.has_date == row.get("date", True)
    assert span.has_time == row.get("time", start.time() != datetime.min.time())
    assert span.all_day == row.get("all_day", False)
    left = _left(tokens, span)
    assert left == row.get("left", "")
    if "left" in row and row["text"] != "встреча завтра завтра":
        assert not {t.norm for t in tokenize(left)} & date_words


def test_spans_are_sorted_and_disjoint():
    now = datetime(2019, 3, 25, 12, 28, tzinfo=ZoneInfo("Europe/Moscow"))
    tokens = tokenize("Поставь задачу на Сергея Иванова на следующий вторник в 13:15 и назови ее отчет")
    span = find_when(tokens, now, "ru")
    assert span.spans == ((5, 10),)
    assert [t.text for t in tokens[5:10]] == ["на", "следующий", "вторник", "в", "13:15"]


def test_dst_wall_clock():
    """A time across a DST change keeps its wall clock in the zone."""
    zone = ZoneInfo("Europe/Berlin")
    now = datetime(2019, 3, 25, 12, 0, tzinfo=zone)  # CET, +01:00
    span = find_when(tokenize("12 июля в 10:00"), now, "ru")
    assert span.start.isoformat() == "2019-07-12T10:00:00+02:00"
    span = find_when(tokenize("через 2 часа"), datetime(2019, 3, 31, 1, 30, tzinfo=zone), "ru")
    assert span.start.isoformat() == "2019-03-31T04:30:00+02:00"  # 2 real hours later


def test_fixed_offset_now():
    from datetime import timedelta, timezone
    now = datetime(2019, 3, 25, 12, 28, tzinfo=timezone(timedelta(hours=3)))
    span = find_when(tokenize("завтра в 9 утра"), now, "ru")
    assert span.start.isoformat() == "2019-03-26T09:00:00+03:00"


def test_naive_now_gives_naive_times():
    span = find_when(tokenize("через 2 часа"), datetime(2019, 3, 25, 12, 28), "ru")
    assert span.start == datetime(2019, 3, 25, 14, 28)
    span = find_when(tokenize("завтра в 9"), datetime(2019, 3, 25, 12, 28), "ru")
    assert span.start == datetime(2019, 3, 26, 9, 0)


def test_unknown_language_falls_back_to_russian():
    now = datetime(2019, 3, 25, 12, 28, tzinfo=ZoneInfo("Europe/Moscow"))
    assert find_when(tokenize("завтра"), now, "de").start.day == 26


HOSTILE = [
    "",
    " ",
    "завтра " * 5000,
    "в 5 " * 5000,
    "с " * 5000,
    "с 1 до 2 по " * 3000,
    "пять " * 5000,
    "двадцать " * 5000,
    "тысяча " * 5000,
    "на в к до " * 3000,
    "через " * 5000,
    "🙂" * 50000,
    "\x00\x01\x02завтра\x7f\u200b",
    "1" * 200_000,
    "12.12.12.12.12.12.12.12",
    "99:99 25:00 24:01 -1:00 12:5 1:234",
    "a" * 200_000,
    "следующий следующий следующий вторник",
    "без без без четверти пять",
    "from from from to to to",
    "12" + ".12" * 1000,
]


@pytest.mark.parametrize("text", HOSTILE, ids=lambda t: f"{translit(t[:20])!r}x{len(t)}")
@pytest.mark.parametrize("lang", ["ru", "en"])
def test_hostile_input_returns(text, lang):
    now = datetime(2019, 3, 25, 12, 28, tzinfo=ZoneInfo("Europe/Moscow"))
    tokens = tokenize(clean(text))
    span = find_when(tokens, now, lang)
    assert span is None or isinstance(span, DateSpan)
    if span is not None:
        for s, e in span.spans:
            assert 0 <= s < e <= len(tokens)


# --- fuzz: any mix of our own words never raises and keeps spans in bounds ---
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st

_WORDS = sorted({
    *"с до по в во на к через следующий эту весь день утра вечера часов минут года числа без половине четверти".split(),
    *"завтра сегодня пятницу среду декабря мая ноль пять двенадцатого тридцать одну две тысячи".split(),
    *"from to at on next the day after tomorrow pm am half past quarter in a week hours".split(),
    "13:15", "12.12", "12.12.2019", "99", "31", "0", "24:00", "9999", "12-го", "7pm", "14:00-15:00", ",", "-",
})


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_WORDS), max_size=25), st.sampled_from(["ru", "en"]),
       st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2090, 1, 1)))
def test_fuzz_word_salad(words, lang, naive_now):
    now = naive_now.replace(tzinfo=ZoneInfo("Europe/Moscow"))
    tokens = tokenize(clean(" ".join(words)))
    span = find_when(tokens, now, lang)
    if span is not None:
        assert span.start.tzinfo is not None
        assert all(0 <= s < e <= len(tokens) for s, e in span.spans)
        assert list(span.spans) == sorted(span.spans)
