package playlist

import (
	"errors"
	"fmt"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"go.etcd.io/bbolt"

	"loa/playlist/library"
)

// plannedDay builds a station's day of items starting at 06:00 local, one
// every five minutes, with the given titles.
func plannedDay(station string, d library.Date, titles ...string) Playlist {
	start, _ := d.Time(hcmZone())
	pl := Playlist{Station: station, Date: d, Zone: "Asia/Ho_Chi_Minh", BuiltAt: time.Now()}
	for i, title := range titles {
		ms := start.Add(6*time.Hour + time.Duration(i)*5*time.Minute).UnixMilli()
		pl.Items = append(pl.Items, Item{ID: station + "-" + string(d) + "-" + title, SegmentID: uint64(100 + i), Title: title,
			Topic: "cchc-tthc", Level: library.LevelOrdinary, Kind: ItemAudio, StartMs: ms, DurationMs: int64(30_000 + i),
			GainDB: -3.5, AudioSHA256: strings.Repeat("a", 64), AudioSize: 1 << 20, Programme: "sang", Slot: "tin"})
	}
	return pl
}

func hcmZone() *time.Location {
	loc, err := time.LoadLocation("Asia/Ho_Chi_Minh")
	if err != nil {
		panic(err)
	}
	return loc
}

// summaryOf is what PlannedBetween should say of a stored playlist.
func summaryOf(pl Playlist) PlannedDay {
	d := PlannedDay{Station: pl.Station, Date: pl.Date, Version: pl.Version}
	for _, it := range pl.Items {
		d.Items = append(d.Items, PlannedItem{ID: it.ID, SegmentID: it.SegmentID, StartMs: it.StartMs,
			DurationMs: it.DurationMs, Level: it.Level, Topic: it.Topic, Title: it.Title})
	}
	return d
}

func plannedBetween(t *testing.T, st *Store, from, to library.Date, stations ...string) []PlannedDay {
	t.Helper()
	var out []PlannedDay
	err := st.PlannedBetween(from, to, stations, func(d *PlannedDay) error {
		c := *d
		c.Items = append([]PlannedItem(nil), d.Items...)
		out = append(out, c)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestPlannedSummaryIsTheLatestVersion: a report reading the summaries sees
// exactly the items of each day's newest playlist, within the dates and
// stations it asks for, and the counts agree.
func TestPlannedSummaryIsTheLatestVersion(t *testing.T) {
	t.Parallel()
	st := openTestStore(t)
	first := []Playlist{
		plannedDay("tdp-01", "2026-06-30", "cuối quý 2"),
		plannedDay("tdp-01", "2026-07-01", "a"),
		plannedDay("tdp-01", "2026-07-02", "a", "b"),
		plannedDay("tdp-02", "2026-07-01", "a", "b", "c"),
		plannedDay("tdp-02", "2026-10-01", "quý 4"),
	}
	if _, _, err := st.SavePlaylists(first); err != nil {
		t.Fatal(err)
	}
	// A rebuild changes 02/07 of tdp-01 and keeps the rest as it was.
	rebuilt := plannedDay("tdp-01", "2026-07-02", "a", "b mới", "c")
	saved, changed, err := st.SavePlaylists([]Playlist{rebuilt, first[3]})
	if err != nil || !changed[0] || changed[1] || saved[0].Version != 2 {
		t.Fatalf("rebuild: %v %v %v", saved, changed, err)
	}

	latest := func(station string, d library.Date) PlannedDay {
		pl, err := st.Playlist(station, d)
		if err != nil {
			t.Fatal(err)
		}
		return summaryOf(pl)
	}
	want := []PlannedDay{latest("tdp-01", "2026-07-01"), latest("tdp-01", "2026-07-02"), latest("tdp-02", "2026-07-01")}
	if got := plannedBetween(t, st, "2026-07-01", "2026-09-30"); !reflect.DeepEqual(got, want) {
		t.Errorf("Q3, every station:\n got %+v\nwant %+v", got, want)
	}
	if got := plannedBetween(t, st, "2026-07-01", "2026-09-30", "tdp-02", "tdp-01"); !reflect.DeepEqual(got, []PlannedDay{want[2], want[0], want[1]}) {
		t.Errorf("Q3, tdp-02 then tdp-01: %+v", got)
	}
	if got := plannedBetween(t, st, "2026-07-02", "2026-07-02", "tdp-01", "tdp-09"); !reflect.DeepEqual(got, want[1:2]) {
		t.Errorf("one day of tdp-01 (tdp-09 has none): %+v", got)
	}
	if got := want[1].Items[1]; got.Title != "b mới" || got.SegmentID != 101 || got.DurationMs != 30_001 || got.Level != library.LevelOrdinary {
		t.Errorf("rebuilt item %+v", got)
	}
	counts, err := st.PlannedCounts("2026-07-01", "2026-09-30")
	if err != nil || !reflect.DeepEqual(counts, map[string]int{"tdp-01": 4, "tdp-02": 3}) {
		t.Errorf("counts %v (%v)", counts, err)
	}
	counts, err = st.PlannedCounts("2026-06-01", "2026-12-31", "tdp-02")
	if err != nil || !reflect.DeepEqual(counts, map[string]int{"tdp-02": 4}) {
		t.Errorf("counts of tdp-02 %v (%v)", counts, err)
	}
}

// TestAFailedSaveLeavesNeitherPlaylistNorSummary: when one playlist of a
// batch cannot be stored, the batch's other playlists and their summaries
// are not stored either.
func TestAFailedSaveLeavesNeitherPlaylistNorSummary(t *testing.T) {
	t.Parallel()
	st := openTestStore(t)
	good := plannedDay("tdp-01", "2026-07-01", "a")
	tooLong := plannedDay(strings.Repeat("x", bbolt.MaxKeySize), "2026-07-01", "a")
	if _, _, err := st.SavePlaylists([]Playlist{good, tooLong}); err == nil {
		t.Fatal("a station id longer than a key was stored")
	}
	if _, err := st.Playlist("tdp-01", "2026-07-01"); !errors.Is(err, ErrNotFound) {
		t.Errorf("the good playlist: %v, want not found", err)
	}
	if got := plannedBetween(t, st, "2026-01-01", "2026-12-31"); len(got) != 0 {
		t.Errorf("summaries of a failed save: %+v", got)
	}
}

// TestOpeningAnOlderStoreBackfillsSummaries: a store written before the
// summaries existed (schema 1), or their counts (schema 2), gets them for
// the latest version of every day when it is opened, and the schema
// version moves on.
func TestOpeningAnOlderStoreBackfillsSummaries(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "loa.db")
	db, err := bbolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	st, err := Open(db)
	if err != nil {
		t.Fatal(err)
	}
	for _, titles := range [][]string{{"a"}, {"a", "b"}} {
		if _, _, err := st.SavePlaylists([]Playlist{plannedDay("tdp-01", "2026-07-01", titles...),
			plannedDay("tdp-02", "2026-07-01", "c"), plannedDay("tdp-01", "2026-07-03", titles...)}); err != nil {
			t.Fatal(err)
		}
	}
	want := plannedBetween(t, st, "2026-07-01", "2026-07-31")
	if len(want) != 3 || len(want[0].Items) != 2 || want[0].Version != 2 {
		t.Fatalf("before: %+v", want)
	}
	// Make it a store of an older schema: schema 1 had no summaries,
	// schema 2 no counts.
	older := map[uint64][][]byte{1: {bucketPlanned, bucketPlannedCounts}, 2: {bucketPlannedCounts}}
	for _, version := range []uint64{1, 2} {
		err = db.Update(func(tx *bbolt.Tx) error {
			for _, name := range older[version] {
				if err := tx.DeleteBucket(name); err != nil {
					return err
				}
			}
			return schema.SetVersion(tx, version)
		})
		if err != nil {
			t.Fatal(err)
		}
		st, err = Open(db)
		if err != nil {
			t.Fatal(err)
		}
		if got := plannedBetween(t, st, "2026-07-01", "2026-07-31"); !reflect.DeepEqual(got, want) {
			t.Errorf("from schema %d:\n got %+v\nwant %+v", version, got, want)
		}
		counts, err := st.PlannedCounts("2026-07-01", "2026-07-31")
		if err != nil || !reflect.DeepEqual(counts, map[string]int{"tdp-01": 4, "tdp-02": 1}) {
			t.Errorf("counts from schema %d: %v (%v)", version, counts, err)
		}
		db.View(func(tx *bbolt.Tx) error {
			if v := schema.Stored(tx); v != schema.Version() {
				t.Errorf("schema version %d, want %d", v, schema.Version())
			}
			return nil
		})
	}
}

// TestADamagedSummaryIsAnErrorNotAPanic cuts a summary short at every byte.
func TestADamagedSummaryIsAnErrorNotAPanic(t *testing.T) {
	t.Parallel()
	pl := plannedDay("tdp-01", "2026-07-01", "Thông báo lịch tiếp công dân", "b")
	pl.Version = 300
	k, v := plannedKey(pl.Station, pl.Date), appendPlanned(nil, &pl)
	var d PlannedDay
	if err := decodePlanned(k, v, &d); err != nil || !reflect.DeepEqual(d, summaryOf(pl)) {
		t.Fatalf("whole summary: %+v (%v)", d, err)
	}
	for n := range len(v) {
		if err := decodePlanned(k, v[:n], &d); !errors.Is(err, errBadSummary) {
			t.Fatalf("cut at %d of %d: %v", n, len(v), err)
		}
	}
}

// BenchmarkSavePlaylists stores a week ahead for 300 stations (2,100
// playlists of 30 items) in one SavePlaylists, into a new file each time,
// synced as the server's is: what the plan summaries add to a night's
// build is their share of this.
func BenchmarkSavePlaylists(b *testing.B) {
	var week []Playlist
	for s := range 300 {
		for d := range 7 {
			titles := make([]string, 30)
			for i := range titles {
				titles[i] = "Tuyên truyền cải cách hành chính số " + strconv.Itoa(i)
			}
			week = append(week, plannedDay(fmt.Sprintf("tdp-%03d", s), library.Date(fmt.Sprintf("2026-12-%02d", d+1)), titles...))
		}
	}
	for b.Loop() {
		b.StopTimer()
		// A server's file has long reached its size; a new one would be
		// re-mapped as it grows, and each re-map copies every node the
		// transaction holds, which is not what a night costs.
		db, err := bbolt.Open(filepath.Join(b.TempDir(), "loa.db"), 0o600, &bbolt.Options{InitialMmapSize: 1 << 30})
		if err != nil {
			b.Fatal(err)
		}
		st, err := Open(db)
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		if _, _, err := st.SavePlaylists(week); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		db.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N*len(week)), "µs/playlist")
}
