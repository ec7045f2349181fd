"""Opening hours: a week of intervals plus dated exceptions, in Asia/Ho_Chi_Minh time.

Times are minutes after local midnight. An interval whose closing time is at or before its opening
time runs past midnight into the next day (a night market open 18:00–02:00). The exceptions of a date
replace that date's weekly intervals: closed all day (Tết), or open at special hours. Whether a place
is open at a moment is asked of the interval that started that day and of the one that started the
day before and runs past midnight.
"""
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from ..clock import LOCAL_TZ

MINUTES_PER_DAY = 24 * 60


@dataclass(frozen=True, slots=True)
class Interval:
    opens: int
    closes: int  # ≤ opens: on the next day

    @property
    def crosses_midnight(self) -> bool:
        return self.closes <= self.opens

    @property
    def length(self) -> int:
        return self.closes - self.opens + (MINUTES_PER_DAY if self.crosses_midnight else 0)


@dataclass(frozen=True, slots=True)
class Exception_:
    day: date
    closed: bool
    interval: Interval | None
    note_vi: str = ""
    note_en: str | None = None


@dataclass(frozen=True)
class Status:
    """Whether a place is open at a moment, and when that changes (local datetimes)."""

    is_open: bool
    until: datetime | None = None  # open: when it closes
    next_opening: datetime | None = None  # closed: when it opens next (within a fortnight)
    known: bool = True  # False: the place publishes no hours


@dataclass(frozen=True)
class Schedule:
    weekly: tuple[tuple[Interval, ...], ...] = ((),) * 7  # by weekday, Monday first
    exceptions: dict[date, tuple[Exception_, ...]] = field(default_factory=dict)

    @property
    def is_known(self) -> bool:
        return any(self.weekly)

    def upcoming_exceptions(self, day: date, limit: int = 8) -> list[tuple[date, tuple[Exception_, ...]]]:
        """The special days from `day` on, soonest first."""
        return sorted((d, rows) for d, rows in self.exceptions.items() if d >= day)[:limit]

    def intervals_on(self, day: date) -> tuple[Interval, ...]:
        """The intervals that start on `day` (local), after its exceptions."""
        special = self.exceptions.get(day)
        if special is not None:
            return tuple(e.interval for e in special if not e.closed and e.interval is not None)
        return self.weekly[day.weekday()]

    def _spans(self, day: date):
        """(start, end) local datetimes of the intervals starting on `day`."""
        midnight = datetime.combine(day, datetime.min.time())
        for interval in self.intervals_on(day):
            start = midnight + timedelta(minutes=interval.opens)
            yield start, start + timedelta(minutes=interval.length)

    def status_at(self, moment: datetime) -> Status:
        """`moment`: aware, or naive local time."""
        if not self.is_known and not self.exceptions:
            return Status(False, known=False)
        local = moment.astimezone(LOCAL_TZ).replace(tzinfo=None) if moment.tzinfo else moment
        day = local.date()
        for start, end in sorted(s for d in (day - timedelta(days=1), day) for s in self._spans(d)):
            if start <= local < end:
                return Status(True, until=self._closing_after(end))
        for offset in range(0, 15):
            for start, _end in sorted(self._spans(day + timedelta(days=offset))):
                if start > local:
                    return Status(False, next_opening=start)
        return Status(False)

    def _closing_after(self, end: datetime) -> datetime:
        """The end of an opening, following intervals that begin exactly where it ends (23:00–24:00, 00:00–02:00)."""
        for _ in range(14):
            following = [e for d in (end.date() - timedelta(days=1), end.date())
                         for s, e in self._spans(d) if s == end]
            if not following:
                return end
            end = max(following)
        return end


def format_minutes(minutes: int) -> str:
    minutes %= MINUTES_PER_DAY
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def format_interval(interval: Interval) -> str:
    closes = "24:00" if interval.closes == MINUTES_PER_DAY else format_minutes(interval.closes)
    return f"{format_minutes(interval.opens)}–{closes}"


def parse_time(text: str) -> int:
    """"07:30" → 450; "24:00" → 1440."""
    hours, _, minutes = text.strip().partition(":")
    if not (hours.isdigit() and minutes.isdigit() and len(minutes) == 2):
        raise ValueError(f"not a time: {text!r}")
    value = int(hours) * 60 + int(minutes)
    if not 0 <= value <= MINUTES_PER_DAY or int(minutes) >= 60:
        raise ValueError(f"not a time: {text!r}")
    return value


def schedule_from_rows(hours, exceptions) -> Schedule:
    """A Schedule from OpeningHours and OpeningException rows (or anything with their attributes)."""
    weekly = [[] for _ in range(7)]
    for row in hours:
        weekly[row.weekday].append(Interval(row.opens, row.closes))
    by_day: dict[date, list[Exception_]] = {}
    for row in exceptions:
        interval = None if row.closed else Interval(row.opens, row.closes)
        by_day.setdefault(row.day, []).append(Exception_(row.day, row.closed, interval, row.note_vi, row.note_en))
    return Schedule(tuple(tuple(sorted(day, key=lambda i: i.opens)) for day in weekly),
                    {day: tuple(rows) for day, rows in by_day.items()})
