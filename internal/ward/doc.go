// Package ward says what a day is for the ward: its zone (one setting,
// Asia/Ho_Chi_Minh) and the calendar day (Day), the unit of playlists,
// rollups and reports. Packages that mean "a day" take a Day, not an
// instant whose location would silently decide which day it is.
//
// It is plumbing shared by playlist, broadcast, stations, web and cmd: it
// imports nothing of ours and knows nothing of storage or HTTP.
//
//loa:imports
package ward
