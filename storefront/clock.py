"""Time: stored in UTC, reasoned about and shown in Asia/Ho_Chi_Minh."""
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def utcnow() -> datetime:
    """Naive UTC, the form every timestamp column stores."""
    return datetime.now(timezone.utc).replace(tzinfo=None)


def today() -> date:
    """Today's date in Quảng Ngãi: the date certificate validity is judged by."""
    return datetime.now(LOCAL_TZ).date()


def to_local(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(LOCAL_TZ)


def local_date(moment: datetime) -> date:
    return to_local(moment).date()


def end_of_local_day_utc(day: date) -> datetime:
    """The first UTC instant after `day` ends in Quảng Ngãi (naive UTC)."""
    next_midnight = datetime.combine(day + timedelta(days=1), time.min, tzinfo=LOCAL_TZ)
    return next_midnight.astimezone(timezone.utc).replace(tzinfo=None)


def add_months(day: date, months: int) -> date:
    """The same day `months` later, clamped to the month's last day (29/02 → 28/02)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=candidate)
        except ValueError:
            continue
    raise AssertionError("unreachable")
