package web

import (
	"strconv"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"loa/internal/testclock"
	"loa/internal/ward"
	"loa/playlist"
	"loa/playlist/library"
	"loa/stations"
)

// mapWard is a ward of two areas and four stations, one in each state:
// tdp-play playing, tdp-idle online and waiting, tdp-quiet online but
// silent with an item 10 minutes overdue, tdp-away offline (no area).
func mapWard(t *testing.T, now time.Time) *opsWard {
	return newOpsWardAt(t, now, func(w *opsWard) {
		for _, g := range []stations.Group{{ID: "an-phu", Name: "Khu An Phú"}, {ID: "binh-minh", Name: "Khu Bình Minh"}} {
			if err := w.st.PutGroup(g); err != nil {
				t.Fatal(err)
			}
		}
		for id, groups := range map[string][]string{"tdp-play": {"an-phu"}, "tdp-quiet": {"an-phu"}, "tdp-idle": {"binh-minh"}, "tdp-away": nil} {
			st := stations.New(id, "Tổ "+id)
			st.Groups = groups
			if _, _, err := w.st.Create(st, now); err != nil {
				t.Fatal(err)
			}
		}
		seen := now.Add(-10 * time.Second)
		err := w.st.PutPresence(
			stations.Presence{StationID: "tdp-play", LastSeen: seen, StatusAt: seen,
				NowPlaying: &stations.NowPlaying{ItemID: "it-1", Title: "Thông báo CCHC", StartedAt: now.Add(-time.Minute)}},
			stations.Presence{StationID: "tdp-idle", LastSeen: seen, StatusAt: seen},
			stations.Presence{StationID: "tdp-quiet", LastSeen: seen, StatusAt: seen},
			stations.Presence{StationID: "tdp-away", LastSeen: now.Add(-90 * time.Minute)},
		)
		if err != nil {
			t.Fatal(err)
		}
		at := now.Add(-10 * time.Minute)
		it := playlist.Item{ID: strconv.FormatInt(at.UnixMilli(), 10) + "-7", SegmentID: 7, Title: "Lịch tiêm chủng", Level: library.LevelOrdinary,
			Kind: "audio", StartMs: at.UnixMilli(), DurationMs: 90_000}
		pl := playlist.Playlist{Station: "tdp-quiet", Date: library.DateOf(now, ward.Zone()), Zone: stations.DefaultZone, BuiltAt: now.Add(-24 * time.Hour), Items: []playlist.Item{it}}
		if _, _, err := w.pls.SavePlaylists([]playlist.Playlist{pl}); err != nil {
			t.Fatal(err)
		}
	})
}

// mapState reads a station's state and centre on the overview's map.
func (b *browser) mapStation(id string) (state string, x, y float64) {
	b.t.Helper()
	sel := `#station-map [data-map-station="` + id + `"]`
	state, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](`document.querySelector(`+jsString(sel)+`).dataset.state`))
	if err != nil {
		b.t.Fatalf("map station %s: %v", id, err)
	}
	xy, err := chromedp.Run(b.ctx, chromedp.Evaluate[[]float64](`(function(){var c=document.querySelector(`+jsString(sel+" circle")+`);return [c.cx.baseVal.value, c.cy.baseVal.value]})()`))
	if err != nil {
		b.t.Fatalf("map station %s: %v", id, err)
	}
	return state, xy[0], xy[1]
}

// Beyond the anchors of issue 17: the overview's map of the ward, as a
// person reads it — the areas with their stations, each coloured by its
// state; laid out by area while no station has a position, drawn from the
// positions once some have one.
func TestOverviewMapInBrowser(t *testing.T) {
	now := testclock.Now(t)
	w := mapWard(t, now)
	w.viewerSession(t) // the viewer "xem"
	b := newBrowser(t, w.url)
	b.signIn("xem", testPassword)
	b.open("/overview", "#station-map svg")
	b.waitText("#station-map svg", "Khu An Phú")
	b.waitText("#station-map svg", "Khu Bình Minh")
	b.waitText("#station-map svg", "Trạm chưa thuộc cụm nào")
	b.waitText("#station-map", "Chưa trạm nào có vị trí")
	for id, want := range map[string]string{"tdp-play": "playing", "tdp-idle": "idle", "tdp-quiet": "overdue", "tdp-away": "offline"} {
		if got, _, _ := b.mapStation(id); got != want {
			t.Errorf("%s on the map: %q, want %q", id, got, want)
		}
	}
	b.waitText(`#station-map [data-map-station="tdp-quiet"] title`, "Im lặng, có bản tin quá hạn")
	b.waitText(".map-legend", "Mất kết nối")
	b.shot("overview-map-grid")

	// Positions for three stations, the first by the administrator in the
	// station's form: drawn where they are; the fourth waits in a row below.
	hash, err := hashPassword(testPassword)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.srv.users.Put(User{Name: "quan-tri", Role: RoleAdmin, PasswordHash: hash}); err != nil {
		t.Fatal(err)
	}
	b.do(chromedp.Click("#logout"), chromedp.WaitVisible("#login-name"))
	b.signIn("quan-tri", testPassword)
	b.open("/stations", `button[data-open="station-dialog"][data-id="tdp-play"]`)
	b.do(chromedp.Click(`button[data-open="station-dialog"][data-id="tdp-play"]`), chromedp.WaitVisible("#sd-lat"))
	b.shot("station-position")
	b.setValue("#sd-lat", "10.795")
	b.setValue("#sd-lon", "106.72")
	b.reloading(chromedp.Click("#station-dialog button.primary"))
	if st, err := w.st.Station("tdp-play"); err != nil || st.Location == nil || st.Location.Lat != 10.795 || len(st.Groups) != 1 {
		t.Fatalf("the form saved %+v (%v)", st, err)
	}
	for id, loc := range map[string]stations.Location{"tdp-quiet": {Lat: 10.793, Lon: 106.722}, "tdp-idle": {Lat: 10.785, Lon: 106.730}} {
		st, err := w.st.Station(id)
		if err != nil {
			t.Fatal(err)
		}
		st.Location = &loc
		if _, err := w.st.Update(st, now); err != nil {
			t.Fatal(err)
		}
	}
	b.open("/overview", "#station-map svg")
	b.waitText("#station-map", "Trạm chưa đặt vị trí (1)")
	_, px, py := b.mapStation("tdp-play")
	_, ix, iy := b.mapStation("tdp-idle")
	_, _, ay := b.mapStation("tdp-away")
	if !(py < iy && px < ix) {
		t.Errorf("tdp-play (north-west of tdp-idle) at %g,%g; tdp-idle at %g,%g", px, py, ix, iy)
	}
	if ay <= iy {
		t.Errorf("the station without a position (y %g) is not below the placed ones (y %g)", ay, iy)
	}
	b.shot("overview-map-positions")
	b.checkConsole()
}
