"""Positions the locator tests measure from."""
# One kilometre north is 1/111.195 of a degree of latitude (2πR / 360 km per degree).
KM_NORTH = 1 / 111.195
ORIGIN = (15.1000, 108.8000)
