"""Open now: at the edges of the opening hours, across midnight and on holidays, in Quảng Ngãi time (UTC+7)."""
from datetime import date, datetime, timezone

import pytest

from storefront.locator.hours import Exception_, Interval, Schedule, format_interval, parse_time

MONDAY = date(2027, 2, 1)  # a Monday; Tết 2027 falls on Saturday 6 February


def week(*intervals_by_day):
    return tuple(tuple(Interval(parse_time(a), parse_time(b)) for a, b in day) for day in intervals_by_day)


EVERY_DAY_7_TO_21 = Schedule(week(*[[("07:00", "21:00")]] * 7))


def at(day: date, clock: str) -> datetime:
    hours, minutes = map(int, clock.split(":"))
    return datetime(day.year, day.month, day.day, hours, minutes)


@pytest.mark.parametrize("clock, is_open", [
    ("06:59", False), ("07:00", True), ("12:00", True), ("20:59", True), ("21:00", False), ("23:30", False),
])
def test_open_from_the_opening_minute_until_just_before_closing(clock, is_open):
    assert EVERY_DAY_7_TO_21.status_at(at(MONDAY, clock)).is_open is is_open


def test_the_status_says_when_it_closes_or_opens_next():
    assert EVERY_DAY_7_TO_21.status_at(at(MONDAY, "08:00")).until == at(MONDAY, "21:00")
    assert EVERY_DAY_7_TO_21.status_at(at(MONDAY, "21:00")).next_opening == at(date(2027, 2, 2), "07:00")
    assert EVERY_DAY_7_TO_21.status_at(at(MONDAY, "05:00")).next_opening == at(MONDAY, "07:00")


def test_utc_moments_are_judged_in_quang_ngai_time():
    # 00:30 UTC is 07:30 in Quảng Ngãi: open. 14:30 UTC is 21:30: closed.
    assert EVERY_DAY_7_TO_21.status_at(datetime(2027, 2, 1, 0, 30, tzinfo=timezone.utc)).is_open
    assert not EVERY_DAY_7_TO_21.status_at(datetime(2027, 2, 1, 14, 30, tzinfo=timezone.utc)).is_open
    # 23:59 UTC on Sunday 31 January is 06:59 on Monday in Quảng Ngãi: not yet open.
    assert not EVERY_DAY_7_TO_21.status_at(datetime(2027, 1, 31, 23, 59, tzinfo=timezone.utc)).is_open


NIGHT_MARKET = Schedule(week([], [], [], [], [("18:00", "02:00")], [("18:00", "02:00")], []))  # Friday, Saturday


@pytest.mark.parametrize("day, clock, is_open", [
    (date(2027, 2, 5), "17:59", False),  # Friday before opening
    (date(2027, 2, 5), "18:00", True),
    (date(2027, 2, 5), "23:59", True),
    (date(2027, 2, 6), "00:00", True),  # Saturday, after midnight: Friday's opening goes on
    (date(2027, 2, 6), "01:59", True),
    (date(2027, 2, 6), "02:00", False),
    (date(2027, 2, 7), "01:00", True),  # Sunday night: Saturday's opening, although Sunday has none
    (date(2027, 2, 8), "01:00", False),  # Monday night: Sunday had no opening
])
def test_an_opening_that_runs_past_midnight(day, clock, is_open):
    assert NIGHT_MARKET.status_at(at(day, clock)).is_open is is_open


def test_past_midnight_the_closing_time_is_on_the_next_day():
    status = NIGHT_MARKET.status_at(at(date(2027, 2, 5), "22:00"))
    assert status.until == at(date(2027, 2, 6), "02:00")
    assert format_interval(Interval(parse_time("18:00"), parse_time("02:00"))) == "18:00–02:00"
    assert format_interval(Interval(parse_time("08:00"), parse_time("24:00"))) == "08:00–24:00"


TET = date(2027, 2, 6)


def holiday_schedule(base: Schedule) -> Schedule:
    return Schedule(base.weekly, {
        TET: (Exception_(TET, True, None, "Nghỉ Tết"),),
        date(2027, 2, 7): (Exception_(date(2027, 2, 7), False, Interval(parse_time("08:00"), parse_time("12:00"))),),
    })


def test_closed_all_day_on_tet_and_open_at_special_hours_after():
    schedule = holiday_schedule(EVERY_DAY_7_TO_21)
    assert not schedule.status_at(at(TET, "10:00")).is_open
    assert schedule.status_at(at(TET, "10:00")).next_opening == at(date(2027, 2, 7), "08:00")
    assert schedule.status_at(at(date(2027, 2, 7), "11:59")).is_open
    assert not schedule.status_at(at(date(2027, 2, 7), "12:00")).is_open
    assert not schedule.status_at(at(date(2027, 2, 7), "07:30")).is_open  # the weekly 07:00 does not apply
    assert schedule.status_at(at(date(2027, 2, 8), "07:00")).is_open  # back to the week's hours
    assert schedule.intervals_on(TET) == ()


def test_a_holiday_stops_the_night_before_from_running_into_it_only_by_its_own_start():
    # Friday's night opening runs into Tết morning: the exception closes Tết's own opening, not Friday's.
    schedule = holiday_schedule(NIGHT_MARKET)
    assert schedule.status_at(at(TET, "01:00")).is_open
    assert not schedule.status_at(at(TET, "19:00")).is_open  # Saturday's (Tết's) evening opening is cancelled
    assert not schedule.status_at(at(date(2027, 2, 7), "01:00")).is_open


def test_a_lunch_break():
    split = Schedule(week(*[[("07:00", "11:30"), ("13:30", "17:00")]] * 7))
    assert split.status_at(at(MONDAY, "11:29")).is_open
    assert not split.status_at(at(MONDAY, "11:30")).is_open
    assert split.status_at(at(MONDAY, "11:30")).next_opening == at(MONDAY, "13:30")
    assert split.status_at(at(MONDAY, "13:30")).is_open


def test_a_place_open_round_the_clock_closes_never():
    always = Schedule(week(*[[("00:00", "24:00")]] * 7))
    status = always.status_at(at(MONDAY, "03:00"))
    assert status.is_open and status.until >= at(date(2027, 2, 14), "00:00")


def test_no_published_hours_is_unknown_not_closed():
    status = Schedule().status_at(at(MONDAY, "10:00"))
    assert not status.known and not status.is_open


@pytest.mark.parametrize("text", ["7h", "25:00", "07:60", "", "ab:cd", "7:5"])
def test_times_are_read_strictly(text):
    with pytest.raises(ValueError):
        parse_time(text)
