"""Project configuration. Importing it pins the time-zone data every process uses."""

import zoneinfo

# zoneinfo reads the host's /usr/share/zoneinfo before the pinned tzdata package, so historical offsets
# (birth moments) would depend on the machine; an empty search path leaves only the pinned data.
zoneinfo.reset_tzpath(to=[])
