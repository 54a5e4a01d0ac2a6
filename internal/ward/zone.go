package ward

import (
	"sync"
	"time"
)

// ZoneName is the ward's zone: where days start and end, and the zone every
// time is shown in.
const ZoneName = "Asia/Ho_Chi_Minh"

// Zone returns the ward's location. Vietnam has kept UTC+7 without daylight
// saving since 1975, so a fixed zone is exact where the system has no zone
// database.
func Zone() *time.Location { return wardZone() }

var wardZone = sync.OnceValue(func() *time.Location {
	if loc, err := Location(ZoneName); err == nil {
		return loc
	}
	return time.FixedZone("ICT", 7*3600)
})

// locations caches Location's answers: time.LoadLocation reads and parses
// the zone file on every call (≈ 25 µs), and the hub, the alerts and the
// agent ask for a station's zone on every status.
var locations sync.Map // name → *time.Location

// Location is time.LoadLocation, remembered: a zone's rules do not change
// while the program runs. A name that fails to load is not remembered.
func Location(name string) (*time.Location, error) {
	if loc, ok := locations.Load(name); ok {
		return loc.(*time.Location), nil
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, err
	}
	locations.Store(name, loc)
	return loc, nil
}
