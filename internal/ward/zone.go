package ward

import "time"

// ZoneName is the ward's zone: where days start and end, and the zone every
// time is shown in.
const ZoneName = "Asia/Ho_Chi_Minh"

// Zone returns the ward's location. Vietnam has kept UTC+7 without daylight
// saving since 1975, so a fixed zone is exact where the system has no zone
// database.
func Zone() *time.Location {
	if loc, err := time.LoadLocation(ZoneName); err == nil {
		return loc
	}
	return time.FixedZone("ICT", 7*3600)
}
