"""Offline gazetteer of birthplaces built from GeoNames data (see data/README.md for the credit)."""

from users.places.index import Place, PlaceIndex, PlaceMatch, get_index, utc_offset

__all__ = ["Place", "PlaceIndex", "PlaceMatch", "get_index", "utc_offset"]
