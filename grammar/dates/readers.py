"""The table of readers: every form of date or time the grammar knows, one
row each, in the order they are tried at a token. A reader is a Scanner
method `(i, marked) -> Piece | None`; its gate is a cheap test on the first
word (a named set of the lexicon; "digit": a token led by a digit, "clock":
one with a colon, "13:15", which only a time reads), so a token is offered only to
the readers that can start there. Adding a form = one reader + one row
here + its words in data/<lang>.yaml + rows in tests/data/time_*.yaml
(docs/dates.md "Adding a form")."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Reader:
    name: str            # the Scanner method, "_" + name
    gates: tuple[str, ...]  # lexicon word sets (or "digit", "any") its first word may be in
    examples: tuple[str, ...]


READERS: tuple[Reader, ...] = (
    Reader("repeat", ("every", "once_in", "freq_words", "weekday_plurals"),
           ("каждую среду", "по будням", "ежемесячно", "раз в две недели", "every other Thursday", "weekdays")),
    Reader("holiday", ("holidays", "prev", "next", "this"), ("на Новый год", "на майские", "Thanksgiving",
                                                            "Easter Monday", "last Christmas")),
    Reader("month_slice", ("number", "last_word"),
           ("первая неделя марта", "на последней неделе месяца", "во второй половине апреля", "в первой половине года")),
    Reader("nth_week", ("ordinal", "last_word"), ("the first week of March", "the last week of the month",
                                                "the second week of next month")),
    Reader("nth_weekday", ("number", "ordinal", "last_word"),
           ("в первый понедельник апреля", "в последнюю пятницу месяца", "the second Tuesday of next month")),
    Reader("edge_day", ("number", "last_word"), ("в последний день месяца", "the last day of March",
                                                 "first day of next month")),
    Reader("night_of", ("night_of",), ("в ночь на субботу", "в ночь с пятницы на субботу", "в ночь на 1 апреля")),
    Reader("weekend", ("weekend", "prev", "next", "this"), ("this weekend", "next weekend", "this past weekend")),
    Reader("weekday", ("weekday", "prev", "prev2"), ("в пятницу", "в следующий вторник", "в прошлую среду", "this Friday", "last Wed")),
    Reader("period", ("prev", "prev2", "this_period", "next", "this"),
           ("на прошлой неделе", "в позапрошлом году", "в этом квартале", "last month", "this quarter")),
    Reader("month_offset", ("prev", "next", "this"), ("next March", "last April", "this May")),
    Reader("week_of", ("period_units",), ("the week of March 4th", "the week of Christmas")),
    Reader("n_units", ("next_n", "last_n", "one_n"),
           ("ближайшие пять дней", "последние три недели", "в последнюю неделю", "the past 3 weeks")),
    Reader("within", ("within",), ("в течение месяца", "в течение двух часов", "within 3 days")),
    Reader("nth_unit", ("number", "digit", "q", "half_names"), ("во втором квартале", "в первом полугодии 2027 года",
                                                                "Q3", "H2 2020", "the first quarter of next year")),
    Reader("season", ("seasons",), ("летом", "зимой 2027 года", "in the spring")),
    Reader("month_part", ("month_parts", "mid_units"), ("в начале мая", "в конце апреля", "mid-April", "the end of May",
                                            "early next week", "the rest of the month")),
    Reader("year_period", ("digit", "number", "period_units", "year_heads"),
           ("in 2014", "during 2020", "the year 2020", "in twenty twenty", "в 2019 году", "в 2020-м", "2019 год")),
    Reader("ago", ("number", "digit", "count", "units", "half"), ("пять дней назад", "неделю назад", "a month ago")),
    Reader("lead", ("lead", "number", "digit", "count", "half", "units"), ("за 15 минут", "за час до", "10 minutes before")),
    Reader("duration", ("duration_markers", "units"), ("на два часа", "минут на сорок", "for 75 minutes")),
    Reader("duration_adjective", ("adjective",), ("двухчасовое", "three-hour", "30-minute")),
    Reader("after", ("after",), ("через 3 дня", "через полчаса", "in two weeks")),
    Reader("about_after", ("units",), ("минут через десять", "часа через два", "дня три назад")),
    Reader("month_period", ("months", "digit"), ("в апреле", "май 2027", "in April 2027", "2027-04")),
    Reader("slash_date", ("digit",), ("4/25", "4/25/2027", "12/31")),
    Reader("date", ("number", "digit", "months"), ("12 декабря", "12.12.2019", "December 12th", "the 12th")),
    Reader("month", ("months",), ("в мае", "к декабрю")),
    Reader("time", ("number", "digit", "clock", "fraction"), ("в 9 вечера", "16ч30", "1600 hours", "half six", "без четверти пять")),
)

__all__ = ["READERS", "Reader"]
