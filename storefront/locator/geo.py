"""Positions: distances by the haversine formula, and reading a position a visitor gives."""
import math
from dataclasses import dataclass

EARTH_RADIUS_KM = 6371.0088  # the mean radius (IUGG)

# Vietnam's mainland and islands lie within this box (about 8.2–23.4 °N, 102.1–117.9 °E, the
# eastern edge taking in the Trường Sa islands), widened by about 50 km: a position further out is
# not a visitor of Quảng Ngãi's sales points but a typo or a swapped pair.
VIETNAM_BOUNDS = (7.7, 23.9, 101.6, 118.4)

# A visitor whose nearest place is further than this is not about to walk in: "My position" says how far
# the nearest is instead of zooming the map out across a country or a continent. The province (with
# former Kon Tum) is about 250 km across, and its sales points lie within about 100 km of one another.
FAR_KM = 150.0


def haversine_km(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """The great-circle distance between two positions, in kilometres."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    d_phi = phi2 - phi1
    d_lambda = math.radians(lng2 - lng1)
    a = math.sin(d_phi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(d_lambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


@dataclass(frozen=True)
class Position:
    latitude: float
    longitude: float

    def distance_km(self, latitude: float, longitude: float) -> float:
        return haversine_km(self.latitude, self.longitude, latitude, longitude)


class BadPosition(ValueError):
    """Why a position was refused: "not_number", "out_of_range" or "outside_vietnam"."""


def in_vietnam(latitude: float, longitude: float) -> bool:
    south, north, west, east = VIETNAM_BOUNDS
    return south <= latitude <= north and west <= longitude <= east


def parse_position(lat: str, lng: str) -> Position:
    """A position to sort the locator's lists from: in Vietnam (see VIETNAM_BOUNDS)."""
    position = parse_coordinates(lat, lng)
    if not in_vietnam(position.latitude, position.longitude):
        raise BadPosition("outside_vietnam")
    return position


def parse_coordinates(lat: str, lng: str) -> Position:
    """Any position on Earth, as a browser may report it abroad."""
    try:
        latitude, longitude = float(lat.strip()), float(lng.strip())
    except (ValueError, AttributeError):
        raise BadPosition("not_number") from None
    if not (math.isfinite(latitude) and math.isfinite(longitude)) or len(lat) > 20 or len(lng) > 20:
        raise BadPosition("not_number")
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        raise BadPosition("out_of_range")
    return Position(latitude, longitude)


def format_distance(km: float, lang: str) -> str:
    """"850 m", "3,2 km" (vi) / "3.2 km" (en), "45 km", "9.420 km" (vi) / "9,420 km" (en) from abroad."""
    if km < 1:
        return f"{max(10, round(km * 1000, -1)):.0f}\u00a0m"
    if km >= 1000:
        text = f"{km:,.0f}"
        return f"{text.replace(',', '.') if lang == 'vi' else text}\u00a0km"
    text = f"{km:.1f}" if km < 10 else f"{km:.0f}"
    return f"{text.replace('.', ',') if lang == 'vi' else text}\u00a0km"
