package web

import (
	"maps"
	"math"
	"slices"

	"loa/broadcast/alert"
	"loa/stations"
)

// The overview's map of the ward: a schematic SVG of the areas (station
// groups) with their stations, each coloured by its state. Map tiles are
// not reachable offline, so it is drawn from the stations' positions
// (their location setting, latitude and longitude) when some have one,
// and otherwise lays the areas out as a grid of boxes with their stations
// inside.

// Station states on the map.
const (
	mapPlaying = "playing"
	mapIdle    = "idle"
	mapOverdue = "overdue" // online but silent: items overdue
	mapOffline = "offline"
)

// mapStates are the states in the legend's order, with their colours
// (SVG presentation attributes: the pages allow no inline style).
var mapStates = []mapState{
	{mapPlaying, "#1b7f3b"}, {mapIdle, "#2563a8"}, {mapOverdue, "#c77700"}, {mapOffline, "#b42318"},
}

type mapState struct{ State, Colour string }

// Map geometry, in the SVG's user units.
const (
	mapW      = 1000
	mapPad    = 40  // around the drawing and inside an area's box
	mapCell   = 150 // a station's room in a grid
	mapHeader = 44  // an area box's title band
	mapDot    = 16
)

// stationMap is what the template draws.
type stationMap struct {
	W, H     int
	Areas    []mapArea
	Stations []mapStation
	Legend   []mapState
	Geo      bool // drawn from positions
	Unplaced int  // stations without a position on a map drawn from positions
	LooseY   int  // the line above their row
}

type mapArea struct {
	Name       string
	X, Y, W, H int
}

// LX and LY place the area's name.
func (a mapArea) LX() int { return a.X + 12 }
func (a mapArea) LY() int { return a.Y + 30 }

type mapStation struct {
	ID, Name, State, Colour string
	X, Y                    int
}

// LY places the station's name, under its dot.
func (st mapStation) LY() int { return st.Y + mapDot + 24 }

// R is the dot's radius.
func (mapStation) R() int { return mapDot }

// stationMap draws the ward from the overview's stations and alerts.
func (s *Server) stationMap(sd *stationsData, alerts []alert.Alert, noArea string) stationMap {
	overdue := map[string]bool{}
	for _, a := range alerts {
		if a.Kind == alert.KindOverdue {
			overdue[a.Station] = true
		}
	}
	m := stationMap{Legend: mapStates}
	areas := areasOf(sd, noArea)
	for _, st := range sd.Stations {
		if st.Location != nil {
			m.Geo = true
		}
	}
	if m.Geo {
		m.placeGeo(areas)
	} else {
		m.placeGrid(areas)
	}
	colour := map[string]string{}
	for _, ms := range mapStates {
		colour[ms.State] = ms.Colour
	}
	state := map[string]string{}
	for _, st := range sd.Stations {
		state[st.ID] = mapStateOf(st, overdue[st.ID])
	}
	for i := range m.Stations {
		m.Stations[i].State = state[m.Stations[i].ID]
		m.Stations[i].Colour = colour[m.Stations[i].State]
	}
	return m
}

// mapStateOf is a station's colour on the map.
func mapStateOf(st stationRow, overdue bool) string {
	switch {
	case !st.Online:
		return mapOffline
	case overdue:
		return mapOverdue
	case st.Presence != nil && st.Presence.NowPlaying != nil:
		return mapPlaying
	}
	return mapIdle
}

// mapGroup is one area with its stations; a station in several areas is
// drawn in the first.
type mapGroup struct {
	name     string
	stations []stationRow
}

func areasOf(sd *stationsData, noArea string) []mapGroup {
	index := map[string]int{}
	out := make([]mapGroup, len(sd.Groups))
	for i, g := range sd.Groups {
		index[g.ID], out[i].name = i, g.Name
	}
	loose := mapGroup{name: noArea}
	for _, st := range sd.Stations {
		if i, ok := firstGroup(st.Groups, index); ok {
			out[i].stations = append(out[i].stations, st)
		} else {
			loose.stations = append(loose.stations, st)
		}
	}
	out = append(out, loose)
	return slices.DeleteFunc(out, func(g mapGroup) bool { return len(g.stations) == 0 })
}

func firstGroup(groups []string, index map[string]int) (int, bool) {
	for _, g := range groups {
		if i, ok := index[g]; ok {
			return i, true
		}
	}
	return 0, false
}

// placeGrid lays the areas out as boxes in rows, each with its stations
// in a small grid.
func (m *stationMap) placeGrid(areas []mapGroup) {
	cols := max(1, int(math.Ceil(math.Sqrt(float64(len(areas))))))
	boxW := (mapW - mapPad*(cols+1)) / cols
	y, rowH := mapPad, 0
	for i, a := range areas {
		if i > 0 && i%cols == 0 {
			y, rowH = y+rowH+mapPad, 0
		}
		x := mapPad + (i%cols)*(boxW+mapPad)
		per := max(1, boxW/mapCell)
		rows := (len(a.stations) + per - 1) / per
		h := mapHeader + rows*mapCell
		m.Areas = append(m.Areas, mapArea{Name: a.name, X: x, Y: y, W: boxW, H: h})
		for j, st := range a.stations {
			m.Stations = append(m.Stations, mapStation{ID: st.ID, Name: st.Name,
				X: x + (j%per)*mapCell + mapCell/2, Y: y + mapHeader + (j/per)*mapCell + mapCell/3})
		}
		rowH = max(rowH, h)
	}
	m.W, m.H = mapW, y+rowH+mapPad
}

// placeGeo places the stations with a position by it (an equirectangular
// projection of their extent, fine at a ward's size), each area as the box
// around its stations, and the stations without one in a row below.
func (m *stationMap) placeGeo(areas []mapGroup) {
	minLat, maxLat, minLon, maxLon := math.Inf(1), math.Inf(-1), math.Inf(1), math.Inf(-1)
	for _, a := range areas {
		for _, st := range a.stations {
			if l := st.Location; l != nil {
				minLat, maxLat = min(minLat, l.Lat), max(maxLat, l.Lat)
				minLon, maxLon = min(minLon, l.Lon), max(maxLon, l.Lon)
			}
		}
	}
	kx := math.Cos((minLat + maxLat) / 2 * math.Pi / 180)
	spanX, spanY := max((maxLon-minLon)*kx, 1e-6), max(maxLat-minLat, 1e-6)
	inner := float64(mapW - 2*(mapPad+mapCell/2))
	scale := inner / max(spanX, spanY)
	off := mapPad + mapCell/2
	project := func(l *stations.Location) (int, int) {
		return off + int((l.Lon-minLon)*kx*scale), off + mapHeader + int((maxLat-l.Lat)*scale)
	}
	bottom := off + mapHeader + int(spanY*scale)
	var loose []stationRow
	for _, a := range areas {
		box := mapArea{Name: a.name, X: math.MaxInt, Y: math.MaxInt}
		x2, y2 := 0, 0
		for _, st := range a.stations {
			if st.Location == nil {
				loose = append(loose, st)
				continue
			}
			x, y := project(st.Location)
			m.Stations = append(m.Stations, mapStation{ID: st.ID, Name: st.Name, X: x, Y: y})
			box.X, box.Y, x2, y2 = min(box.X, x-mapCell/2), min(box.Y, y-mapHeader-mapDot), max(x2, x+mapCell/2), max(y2, y+mapCell/2)
		}
		if x2 > 0 {
			box.W, box.H = x2-box.X, y2-box.Y
			m.Areas = append(m.Areas, box)
		}
	}
	m.W, m.H = mapW, bottom+mapCell/2+mapPad
	per, y := (mapW-2*mapPad)/mapCell, m.H+mapDot
	for j, st := range loose {
		m.Stations = append(m.Stations, mapStation{ID: st.ID, Name: st.Name,
			X: mapPad + (j%per)*mapCell + mapCell/2, Y: y + (j/per)*mapCell})
	}
	if m.Unplaced = len(loose); m.Unplaced > 0 {
		m.LooseY = m.H - mapPad/2
		m.H = y + ((m.Unplaced-1)/per)*mapCell + mapCell/2 + mapPad
	}
}

// positionFill is a station's position for the edit form: empty fields
// when it has none (the dialog serves every station in turn).
func positionFill(l *stations.Location) map[string]any {
	if l == nil {
		return map[string]any{"lat": "", "lon": ""}
	}
	return map[string]any{"lat": l.Lat, "lon": l.Lon}
}

func init() { maps.Copy(catalogue, mapWords) }

var mapWords = map[string]message{
	"st.position":          {"Vị trí trên bản đồ (không bắt buộc)", "Position on the map (optional)"},
	"st.position_hint":     {"Vĩ độ và kinh độ, ví dụ 10.7912 và 106.7204 (bấm chuột phải vào điểm trên Google Maps để lấy). Để trống: trạm được xếp theo khu vực.", "Latitude and longitude, e.g. 10.7912 and 106.7204 (right-click the place in a web map to copy them). Empty: the station is laid out by area."},
	"st.lat":               {"Vĩ độ", "Latitude"},
	"st.lon":               {"Kinh độ", "Longitude"},
	"map.title":            {"Bản đồ trạm", "Station map"},
	"map.desc":             {"Sơ đồ các khu vực và trạm của phường, tô màu theo tình trạng.", "A schematic of the ward's areas and stations, coloured by state."},
	"map.state.playing":    {"Đang phát", "Playing"},
	"map.state.idle":       {"Trực tuyến, đang chờ", "Online, idle"},
	"map.state.overdue":    {"Im lặng, có bản tin quá hạn", "Silent, items overdue"},
	"map.state.offline":    {"Mất kết nối", "Offline"},
	"map.unplaced":         {"Trạm chưa đặt vị trí (%d), xếp ở hàng dưới.", "Stations without a position (%d), in the row below."},
	"map.grid_hint":        {"Chưa trạm nào có vị trí nên các trạm được xếp theo khu vực. Quản trị viên đặt vị trí (vĩ độ, kinh độ) của trạm ở trang Trạm.", "No station has a position yet, so they are laid out by area. An administrator sets a station's position (latitude, longitude) on the Stations page."},
	"js.map.state.playing": {"Đang phát", "Playing"},
	"js.map.state.idle":    {"Trực tuyến, đang chờ", "Online, idle"},
	"js.map.state.overdue": {"Im lặng, có bản tin quá hạn", "Silent, items overdue"},
	"js.map.state.offline": {"Mất kết nối", "Offline"},
}
