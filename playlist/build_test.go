package playlist

import (
	"reflect"
	"sync"
	"testing"
)

// A Builder hands its scratch from one Build to the next and serves
// concurrent builds: whatever it built before, each station's week must be
// what a fresh Builder gives.
func TestBuildsShareNothing(t *testing.T) {
	shared := NewBuilder(DefaultConfig(), wardProgrammes(), wardLibrary())
	stations := wardStations()
	got := make([][]Playlist, len(stations))
	var wg sync.WaitGroup
	for w := range 3 {
		wg.Go(func() {
			for i := w; i < len(stations); i += 3 {
				pls, err := shared.Build(Request{Station: stations[i], From: "2026-11-30", Days: 7, Now: ruleNow})
				if err != nil {
					t.Error(err)
				}
				got[i] = pls
			}
		})
	}
	wg.Wait()
	for i, st := range stations {
		want, err := NewBuilder(DefaultConfig(), wardProgrammes(), wardLibrary()).Build(Request{Station: st, From: "2026-11-30", Days: 7, Now: ruleNow})
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got[i], want) {
			t.Fatalf("%s: the shared builder's week differs from a fresh builder's", st.ID)
		}
	}
}
