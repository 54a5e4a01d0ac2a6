package playlist

import (
	"context"
	"errors"
	"log/slog"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"loa/internal/testclock"
	"loa/playlist/library"
)

type plannerFixture struct {
	planner  *Planner
	store    *Store
	lib      []library.Segment
	mu       sync.Mutex
	notified [][]string
}

func newPlannerFixture(t *testing.T) *plannerFixture {
	t.Helper()
	f := &plannerFixture{store: openTestStore(t), lib: wardLibrary()}
	for _, p := range wardProgrammes() {
		if _, _, err := f.store.PutProgramme(p, 0); err != nil {
			t.Fatal(err)
		}
	}
	src := Sources{
		Stations: func() ([]Station, error) { return wardStations(), nil },
		Segments: func() ([]library.Segment, error) {
			f.mu.Lock()
			defer f.mu.Unlock()
			return slices.Clone(f.lib), nil
		},
		History: wardHistory(),
	}
	f.planner = NewPlanner(f.store, src, DefaultPlannerConfig(hcm), func(ids []string) {
		f.mu.Lock()
		defer f.mu.Unlock()
		f.notified = append(f.notified, ids)
	}, slog.New(slog.DiscardHandler))
	return f
}

func (f *plannerFixture) lastNotified() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.notified) == 0 {
		return nil
	}
	return f.notified[len(f.notified)-1]
}

// 23:30 on 29 November in Vietnam: "today" is still the 29th there.
var plannerNow = time.Date(2026, 11, 29, 16, 30, 0, 0, time.UTC)

// The week built is today and the six days after it in the ward, at any
// hour (LOA_TEST_NOW; by default Monday 06:30) and in any machine zone.
func TestNightlyBuildsSevenDaysForEveryStation(t *testing.T) {
	f := newPlannerFixture(t)
	now := testclock.Now(t)
	res, err := f.planner.BuildAhead(context.Background(), now)
	if err != nil {
		t.Fatal(err)
	}
	if res.Stations != 30 || res.Playlists != 30*7 || len(res.Changed) != 30 || len(f.lastNotified()) != 30 {
		t.Fatalf("result %+v, notified %d", res, len(f.lastNotified()))
	}
	today := library.Date(now.In(time.FixedZone("ICT", 7*3600)).Format(time.DateOnly))
	ahead, err := f.store.PlaylistsFor("to-07", today)
	if err != nil || len(ahead) != 7 || ahead[0].Date != today || ahead[6].Date != today.AddDays(6) {
		t.Fatalf("to-07 holds %d days from %v, want 7 from %s: %v", len(ahead), ahead[0].Date, today, err)
	}
	if before, err := f.store.PlaylistsFor("to-07", today.AddDays(-1)); err != nil || len(before) != 7 {
		t.Fatalf("a day before %s was built: %d days", today, len(before))
	}
	// The same night again (the same instant: a minute later may be
	// tomorrow, with a new week): nothing changed, nothing sent.
	res, err = f.planner.BuildAhead(context.Background(), now)
	if err != nil || len(res.Changed) != 0 || len(f.notified) != 1 {
		t.Fatalf("second build: %+v, %v, notified %d times", res, err, len(f.notified))
	}
}

func TestOneBadStationDoesNotStopTheNight(t *testing.T) {
	f := newPlannerFixture(t)
	f.planner.src.Stations = func() ([]Station, error) {
		return append(wardStations()[:3], Station{ID: "to-khong-mui-gio"}), nil
	}
	res, err := f.planner.BuildAhead(context.Background(), plannerNow)
	if err != nil || len(res.Changed) != 3 || !slices.Equal(res.Failed, []string{"to-khong-mui-gio"}) {
		t.Fatalf("result %+v, %v", res, err)
	}
}

func TestAFailedRebuildIsRetried(t *testing.T) {
	f := newPlannerFixture(t)
	stations := f.planner.src.Stations
	f.planner.src.Stations = func() ([]Station, error) { return nil, errors.New("registry unavailable") }
	f.planner.Changed("to-04")
	if _, err := f.planner.RebuildPending(context.Background(), plannerNow); err == nil {
		t.Fatal("want the registry's error")
	}
	f.planner.src.Stations = stations
	res, err := f.planner.RebuildPending(context.Background(), plannerNow)
	if err != nil || !slices.Equal(res.Changed, []string{"to-04"}) {
		t.Fatalf("retry: %+v %v", res, err)
	}
}

func TestChangesRebuildOnlyAffectedStationsCoalesced(t *testing.T) {
	f := newPlannerFixture(t)
	if _, err := f.planner.BuildAhead(context.Background(), plannerNow); err != nil {
		t.Fatal(err)
	}
	if res, _ := f.planner.RebuildPending(context.Background(), plannerNow); res.Stations != 0 {
		t.Fatalf("nothing pending, yet %d stations rebuilt", res.Stations)
	}
	// A priority bulletin for khu-3 is approved, and a station's own item
	// archived: two changes, one rebuild.
	urgent := seg(50, "Lịch tiêm chủng khu 3", "tin-tuc", 90_000, library.Targets{Groups: []string{"khu-3"}})
	urgent.Level = library.LevelPriority
	f.mu.Lock()
	f.lib = append(f.lib, urgent)
	f.mu.Unlock()
	f.planner.ChangedTargets(urgent.Targets)
	f.planner.Changed("to-02")
	res, err := f.planner.RebuildPending(context.Background(), plannerNow)
	if err != nil {
		t.Fatal(err)
	}
	if res.Stations != 11 || !slices.Contains(res.Changed, "to-21") || slices.Contains(res.Changed, "to-05") {
		t.Fatalf("rebuild %+v: want khu-3 (to-21…to-30) and to-02 only", res)
	}
	pl, err := f.store.Playlist("to-25", "2026-11-30")
	if err != nil || pl.Version != 2 || !slices.ContainsFunc(pl.Items, func(it Item) bool { return it.SegmentID == 50 }) {
		t.Fatalf("to-25 on 30/11: version %d, %v", pl.Version, err)
	}
	if got := f.lastNotified(); !slices.Equal(got, res.Changed) {
		t.Fatalf("notified %v, changed %v", got, res.Changed)
	}
}

// Run wires the same bodies into gocron: it builds at start and picks up a
// change within the coalescing interval. The bubble's clock is fake, so the
// test waits for nothing real.
func TestRunBuildsAtStartAndOnChange(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newPlannerFixture(t)
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() { done <- f.planner.Run(ctx) }()
		waitFor(t, func() bool { return len(f.lastNotified()) == 30 })
		f.mu.Lock()
		f.lib = append(f.lib, seg(60, "Mới cho tổ 9", "tin-tuc", 60_000, library.Targets{Stations: []string{"to-09"}}))
		f.mu.Unlock()
		f.planner.Changed("to-09")
		waitFor(t, func() bool { return slices.Equal(f.lastNotified(), []string{"to-09"}) })
		cancel()
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	})
}

// Under Run, a burst of marks is one rebuild, Coalesce after the first;
// an idle planner builds nothing; a failed rebuild is tried again without
// another mark.
func TestRunCoalescesABurstAndRetriesAFailure(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newPlannerFixture(t)
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() { done <- f.planner.Run(ctx) }()
		waitFor(t, func() bool { return len(f.lastNotified()) == 30 })
		builds := func() int {
			f.mu.Lock()
			defer f.mu.Unlock()
			return len(f.notified)
		}
		after := builds()
		time.Sleep(time.Hour)
		if n := builds(); n != after {
			t.Fatalf("an idle hour built %d times", n-after)
		}

		f.mu.Lock()
		f.lib = append(f.lib, seg(60, "Mới cho tổ 9", "tin-tuc", 60_000, library.Targets{Stations: []string{"to-09"}}),
			seg(61, "Mới cho tổ 8", "tin-tuc", 60_000, library.Targets{Stations: []string{"to-08"}}))
		f.mu.Unlock()
		start := time.Now()
		f.planner.Changed("to-09")
		time.Sleep(f.planner.cfg.Coalesce / 2)
		f.planner.Changed("to-08")
		synctest.Wait()
		waitFor(t, func() bool { return builds() > after })
		if n, got := builds(), f.lastNotified(); n != after+1 || !slices.Equal(got, []string{"to-08", "to-09"}) {
			t.Fatalf("%d builds, the last for %v: want one for to-08 and to-09", n-after, got)
		}
		if took := time.Since(start); took < f.planner.cfg.Coalesce {
			t.Errorf("rebuilt %v after the first mark, before the coalescing interval", took)
		}

		stations := f.planner.src.Stations
		var failing atomic.Bool
		failing.Store(true)
		f.planner.src.Stations = func() ([]Station, error) {
			if failing.Load() {
				return nil, errors.New("registry unavailable")
			}
			return stations()
		}
		f.mu.Lock()
		f.lib = append(f.lib, seg(62, "Mới cho tổ 7", "tin-tuc", 60_000, library.Targets{Stations: []string{"to-07"}}))
		f.mu.Unlock()
		f.planner.Changed("to-07")
		time.Sleep(10 * f.planner.cfg.Coalesce)
		failing.Store(false)
		waitFor(t, func() bool { return slices.Equal(f.lastNotified(), []string{"to-07"}) })
		cancel()
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	})
}

// waitFor checks cond once a (fake) second, for at most a (fake) hour.
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	for range 3600 {
		if cond() {
			return
		}
		time.Sleep(time.Second)
	}
	t.Fatal("condition not reached within an hour")
}

func TestWeekSharesPlannedAgainstAired(t *testing.T) {
	f := newPlannerFixture(t)
	if _, err := f.planner.BuildAhead(context.Background(), plannerNow); err != nil {
		t.Fatal(err)
	}
	// Segment 3 aired twice on Monday 30 November at to-01, nothing else.
	aired := NewPlayLog([]Play{{"to-01", 3, time.Date(2026, 11, 29, 23, 5, 0, 0, time.UTC)}, {"to-01", 3, time.Date(2026, 11, 30, 10, 40, 0, 0, time.UTC)}})
	ws, err := f.store.WeekShares("to-01", "2026-12-02", aired)
	if err != nil || ws.From != "2026-11-30" || ws.To != "2026-12-06" {
		t.Fatalf("%+v %v", ws, err)
	}
	var planned int
	var sum float64
	for _, s := range ws.Shares {
		planned += s.Planned
		sum += s.PlannedShare
		if s.SegmentID == 3 && (s.Aired != 2 || s.AiredShare != 1) {
			t.Fatalf("segment 3: %+v", s)
		}
	}
	if planned == 0 || sum < 0.999 || sum > 1.001 {
		t.Fatalf("planned %d plays, shares sum to %v", planned, sum)
	}
	if _, err := f.store.WeekShares("to-01", "2027-03-01", nil); !errors.Is(err, ErrNotFound) {
		t.Fatalf("a week never built: %v", err)
	}
}
