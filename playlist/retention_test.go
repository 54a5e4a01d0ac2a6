package playlist

import (
	"fmt"
	"reflect"
	"testing"
	"time"

	"loa/playlist/library"
)

// TestDeleteVersionsBeforeKeepsEveryDaysPlan stores several versions of
// days either side of the cutoff for three stations and checks that only
// the superseded versions of the older days go: every day still has the
// plan the reports reconcile against, and the younger days keep their
// whole history. A tiny batch makes it work over many transactions.
func TestDeleteVersionsBeforeKeepsEveryDaysPlan(t *testing.T) {
	st := openTestStore(t)
	days := []library.Date{"2025-10-21", "2025-10-22", "2025-10-23", "2025-10-24"}
	cutoff := library.Date("2025-10-23")
	stationIDs := []string{"tdp-01", "tdp-02", "thon-1"}
	for v := range 4 {
		var pls []Playlist
		for _, s := range stationIDs {
			for _, d := range days {
				pls = append(pls, Playlist{Station: s, Date: d, Zone: "Asia/Ho_Chi_Minh", BuiltAt: time.Now(),
					Items: []Item{{ID: fmt.Sprintf("%s-%s-v%d", s, d, v), Title: "Bản tin", StartMs: int64(v)}}})
			}
		}
		if _, _, err := st.SavePlaylists(pls); err != nil {
			t.Fatal(err)
		}
	}
	plansBefore := map[string][]Playlist{}
	for _, s := range stationIDs {
		plansBefore[s], _ = st.PlaylistsFor(s, days[0])
	}
	summariesBefore := plannedBetween(t, st, days[0], days[len(days)-1])

	n, err := st.deleteVersionsBefore(cutoff, 4)
	if err != nil {
		t.Fatal(err)
	}
	if want := len(stationIDs) * 2 * 3; n != want {
		t.Errorf("deleted %d versions, want %d (3 superseded of 2 older days, 3 stations)", n, want)
	}
	// The summaries the reports read are those of the plans, which stay.
	if got := plannedBetween(t, st, days[0], days[len(days)-1]); len(got) != len(stationIDs)*len(days) ||
		!reflect.DeepEqual(got, summariesBefore) || got[0].Version != 4 {
		t.Errorf("summaries after retention: %d days, first %+v", len(got), got[0])
	}
	for _, s := range stationIDs {
		if plans, _ := st.PlaylistsFor(s, days[0]); !reflect.DeepEqual(plans, plansBefore[s]) {
			t.Errorf("%s: the plans changed", s)
		}
		for _, d := range days {
			vs, err := st.Versions(s, d)
			if err != nil {
				t.Fatalf("%s %s: %v", s, d, err)
			}
			want := []uint64{1, 2, 3, 4}
			if d < cutoff {
				want = []uint64{4}
			}
			var got []uint64
			for _, v := range vs {
				got = append(got, v.Version)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%s %s: versions %v, want %v", s, d, got, want)
			}
		}
	}
	if n, err := st.DeleteVersionsBefore(cutoff); n != 0 || err != nil {
		t.Errorf("a second pass deleted %d (%v)", n, err)
	}
	// The next build of an older day is still numbered after its plan.
	saved, _, err := st.SavePlaylists([]Playlist{{Station: "tdp-01", Date: days[0], Zone: "Asia/Ho_Chi_Minh",
		Items: []Item{{ID: "moi", Title: "Bản tin mới"}}}})
	if err != nil || saved[0].Version != 5 {
		t.Errorf("a rebuild after retention: version %d (%v), want 5", saved[0].Version, err)
	}
}
