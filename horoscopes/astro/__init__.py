"""The sky engine: planet positions, houses, aspects, the sky of a day, transits and the chart wheel.

Pure Python on top of PyEphem (MIT); no Django and no Telegram in this package.
"""

from .aspects import Aspect
from .chart import Chart, Position, compute_chart, planet_positions
from .constants import ASPECTS, HOUSE_SYSTEMS, MOON_PHASES, PLANETS, SIGNS, sign_of
from .names import sun_sign_at
from .sky import ExactAspect, Ingress, LunarEvent, SkyOfDay, Station, sky_of_day
from .transits import Transit, transits
from .wheel import render_wheel

__all__ = [
    "ASPECTS",
    "HOUSE_SYSTEMS",
    "MOON_PHASES",
    "PLANETS",
    "SIGNS",
    "Aspect",
    "Chart",
    "ExactAspect",
    "Ingress",
    "LunarEvent",
    "Position",
    "SkyOfDay",
    "Station",
    "Transit",
    "compute_chart",
    "planet_positions",
    "render_wheel",
    "sign_of",
    "sky_of_day",
    "sun_sign_at",
    "transits",
]
