"""Distances on the Earth's surface, for 'stores near me' (NEAR-1)."""

import math

EARTH_RADIUS_KM = 6371.0088


def haversine_km(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlambda = math.radians(lng2 - lng1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def bounding_box(lat: float, lng: float, radius_km: float) -> tuple[float, float, float, float]:
    """(min_lat, max_lat, min_lng, max_lng) of the smallest box holding every point within
    radius_km (the exact spherical extent, after J. P. Matuschek).

    The box is only a prefilter on indexed columns; the exact distance decides.
    """
    angle = radius_km / EARTH_RADIUS_KM
    phi = math.radians(lat)
    min_phi, max_phi = phi - angle, phi + angle
    if min_phi <= -math.pi / 2 or max_phi >= math.pi / 2:  # a pole is inside: every longitude
        return (
            math.degrees(max(min_phi, -math.pi / 2)),
            math.degrees(min(max_phi, math.pi / 2)),
            -180.0,
            180.0,
        )
    dlng = math.degrees(math.asin(math.sin(angle) / math.cos(phi)))
    return math.degrees(min_phi), math.degrees(max_phi), lng - dlng, lng + dlng
