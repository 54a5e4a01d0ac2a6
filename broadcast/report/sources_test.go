package report

import (
	"bytes"
	"fmt"
	"path/filepath"
	"reflect"
	"strconv"
	"testing"
	"time"

	"go.etcd.io/bbolt"

	"loa/playlist"
	"loa/playlist/library"
	"loa/stations"
)

func TestPlansAndNamesComeFromTheRealStores(t *testing.T) {
	t.Parallel()
	db, err := bbolt.Open(filepath.Join(t.TempDir(), "loa.db"), 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	pls, _ := playlist.Open(db)
	reg, _ := stations.Open(db)
	lib, err := library.Open(db)
	if err != nil || pls == nil || reg == nil {
		t.Fatal("open stores:", err)
	}
	if err := reg.PutGroup(stations.Group{ID: "khu-a", Name: "Khu phố A"}); err != nil {
		t.Fatal(err)
	}
	st := stations.New("tdp-01", "Tổ dân phố 1")
	st.Groups = []string{"khu-a"}
	if _, _, err := reg.Create(st, time.Now()); err != nil {
		t.Fatal(err)
	}
	start := time.Date(2026, 7, 1, 6, 0, 0, 0, hcm).UnixMilli()
	day := func(d library.Date, titles ...string) playlist.Playlist {
		pl := playlist.Playlist{Station: "tdp-01", Date: d, Zone: "Asia/Ho_Chi_Minh"}
		for i, title := range titles {
			pl.Items = append(pl.Items, playlist.Item{ID: "it" + title, SegmentID: uint64(i + 1), Title: title, Topic: "tin-tuc",
				Kind: playlist.ItemAudio, StartMs: start + int64(i)*60_000, DurationMs: 30_000})
		}
		return pl
	}
	// The newest version of 01/07 counts; 02/10 is outside Q3.
	if _, _, err := pls.SavePlaylists([]playlist.Playlist{day("2026-07-01", "a"), day("2026-10-02", "z")}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := pls.SavePlaylists([]playlist.Playlist{day("2026-07-01", "a", "b")}); err != nil {
		t.Fatal(err)
	}
	var got []DayPlan
	plan := PlaylistPlan{Store: pls, Stations: StationIDs(reg)}
	plan.PlannedDays("2026-07-01", "2026-09-30", func(d DayPlan) error { got = append(got, d); return nil })
	if len(got) != 1 || len(got[0].Items) != 2 || got[0].Items[1].SegmentID != "2" || got[0].Items[1].Duration != 30*time.Second ||
		got[0].Items[1].Title != "b" || !got[0].Items[1].Start.Equal(time.UnixMilli(start+60_000)) {
		t.Fatalf("planned days %+v", got)
	}
	if counts, err := plan.PlannedCounts("2026-07-01", "2026-09-30"); err != nil || len(counts) != 1 || counts["tdp-01"] != 2 {
		t.Fatalf("planned counts %v (%v)", counts, err)
	}
	dir, err := DirectoryOf("Phường An Phú", reg, lib)
	if err != nil {
		t.Fatal(err)
	}
	if len(dir.Stations) != 1 || dir.Stations[0].Name != "Tổ dân phố 1" || dir.Groups[0].Name != "Khu phố A" || len(dir.Topics) == 0 {
		t.Fatalf("directory %+v", dir)
	}
}

// TestTheStoredPlanGivesTheSameReport stores the fixture's plan as real
// playlists and builds the report and the reconciliation from the playlist
// store's summaries: they must be exactly those of the plan as given, so
// the golden files hold for the real store too.
func TestTheStoredPlanGivesTheSameReport(t *testing.T) {
	t.Parallel()
	l := openLedger(t)
	plan := fixture(t, l)
	db, err := bbolt.Open(filepath.Join(t.TempDir(), "plans.db"), 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	pls, err := playlist.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	var days []playlist.Playlist
	for _, d := range plan {
		pl := playlist.Playlist{Station: d.Station, Date: d.Date, Zone: "Asia/Ho_Chi_Minh"}
		for _, it := range d.Items {
			seg, _ := strconv.ParseUint(it.SegmentID, 10, 64)
			pl.Items = append(pl.Items, playlist.Item{ID: it.ID, SegmentID: seg, Title: it.Title, Topic: it.Topic,
				Level: library.LevelOrdinary, Kind: playlist.ItemAudio, StartMs: it.Start.UnixMilli(), DurationMs: it.Duration.Milliseconds()})
		}
		days = append(days, pl)
	}
	if _, _, err := pls.SavePlaylists(days); err != nil {
		t.Fatal(err)
	}
	ids := func() ([]string, error) { return []string{"tdp-01", "tdp-02", "tdp-03"}, nil }
	now := func() time.Time { return time.Date(2026, 10, 5, 8, 30, 0, 0, hcm) }
	var out [2]bytes.Buffer
	var lines [2][]Line
	for i, p := range []Plan{plan, PlaylistPlan{Store: pls, Stations: ids}} {
		b := &Builder{Ledger: l, Plan: p, Now: now}
		r, err := b.Build(Quarter(2026, 3), testDir)
		if err != nil {
			t.Fatal(err)
		}
		if err := WriteJSON(&out[i], r); err != nil {
			t.Fatal(err)
		}
		if lines[i], err = b.Reconcile(Quarter(2026, 3), ""); err != nil {
			t.Fatal(err)
		}
	}
	if out[0].String() != out[1].String() {
		t.Errorf("the report from the store differs from the plan's\n%s", firstDiff(out[1].Bytes(), out[0].Bytes()))
	}
	for i := range lines[0] { // the fixture plans in the ward's zone, the store in UTC
		lines[0][i].Planned = lines[0][i].Planned.UTC()
	}
	if !reflect.DeepEqual(lines[0], lines[1]) || len(lines[0]) < 36 {
		t.Errorf("the reconciliation from the store differs: %d lines, %d from the plan", len(lines[1]), len(lines[0]))
		for i := range min(len(lines[0]), len(lines[1])) {
			if !reflect.DeepEqual(lines[0][i], lines[1][i]) {
				t.Fatalf("first difference:\n%+v\n%+v", lines[1][i], lines[0][i])
			}
		}
	}
}

// BenchmarkPlaylistPlanQuarter reads the planned side of a quarter from the
// playlist store: 300 stations × 92 days of 30 items, one version each.
// "decode" is how it was read before the plan summaries (every playlist
// decoded in full), "summaries" what Reconcile reads now (every item), and
// "counts" what a report reads (items per station); "-cold" reopens the
// file after evicting it from the page cache each time.
func BenchmarkPlaylistPlanQuarter(b *testing.B) {
	path := filepath.Join(b.TempDir(), "loa.db")
	db, pls := openPlanBench(b, path)
	q3 := Quarter(2026, 3)
	ids := benchPlan(b, pls, q3)
	want := benchStations * q3.Days() * 30
	plan := func(pls *playlist.Store) PlaylistPlan {
		return PlaylistPlan{Store: pls, Stations: func() ([]string, error) { return ids, nil }}
	}
	all := func(plan Plan) int {
		items := 0
		if err := plan.PlannedDays(q3.From, q3.To, func(d DayPlan) error { items += len(d.Items); return nil }); err != nil {
			b.Fatal(err)
		}
		return items
	}
	read := map[string]func(*playlist.Store) int{
		"decode":    func(pls *playlist.Store) int { return all(decodedPlan{pls, ids}) },
		"summaries": func(pls *playlist.Store) int { return all(plan(pls)) },
		"counts": func(pls *playlist.Store) int {
			counts, err := plan(pls).PlannedCounts(q3.From, q3.To)
			if err != nil {
				b.Fatal(err)
			}
			items := 0
			for _, n := range counts {
				items += n
			}
			return items
		},
	}
	check := func(b *testing.B, items int) {
		if items != want {
			b.Fatalf("%d planned items, want %d", items, want)
		}
	}
	for _, name := range []string{"decode", "summaries", "counts"} {
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				check(b, read[name](pls))
			}
		})
	}
	db.Close()
	for _, name := range []string{"summaries", "counts"} {
		b.Run(name+"-cold", func(b *testing.B) {
			for b.Loop() {
				b.StopTimer()
				evict(b, path)
				b.StartTimer()
				db, pls := openPlanBench(b, path)
				check(b, read[name](pls))
				db.Close()
			}
		})
	}
}

func openPlanBench(b *testing.B, path string) (*bbolt.DB, *playlist.Store) {
	db, err := bbolt.Open(path, 0o600, &bbolt.Options{NoSync: true})
	if err != nil {
		b.Fatal(err)
	}
	pls, err := playlist.Open(db)
	if err != nil {
		db.Close()
		b.Fatal(err)
	}
	return db, pls
}

// benchPlan stores a playlist of 30 items for every station and day of
// period p and returns the station ids.
func benchPlan(b *testing.B, pls *playlist.Store, p Period) []string {
	ids := make([]string, benchStations)
	for s := range ids {
		ids[s] = fmt.Sprintf("tdp-%03d", s)
		var days []playlist.Playlist
		for d := range p.Days() {
			date := library.Date(day(p.From).AddDate(0, 0, d).Format(time.DateOnly))
			pl := playlist.Playlist{Station: ids[s], Date: date, Zone: "Asia/Ho_Chi_Minh"}
			start, _ := date.Time(hcm)
			for i := range 30 {
				ms := start.Add(6*time.Hour + time.Duration(i)*5*time.Minute).UnixMilli()
				pl.Items = append(pl.Items, playlist.Item{ID: fmt.Sprintf("%d-%d", ms, i), SegmentID: uint64(i + 1),
					Title: "Tuyên truyền cải cách hành chính số " + fmt.Sprint(i), Topic: "cchc-tthc", Kind: playlist.ItemAudio,
					Level: library.LevelOrdinary, StartMs: ms, DurationMs: 120_000, AudioSHA256: fmt.Sprintf("%064d", i), AudioSize: 1 << 20})
			}
			days = append(days, pl)
		}
		if _, _, err := pls.SavePlaylists(days); err != nil {
			b.Fatal(err)
		}
	}
	return ids
}

// decodedPlan reads the plan as PlaylistPlan did before the summaries:
// every playlist decoded in full. Benchmarks measure it beside the
// summaries.
type decodedPlan struct {
	store *playlist.Store
	ids   []string
}

func (p decodedPlan) PlannedDays(from, to library.Date, fn func(DayPlan) error) error {
	for _, id := range p.ids {
		pls, err := p.store.PlaylistsFor(id, from)
		if err != nil {
			return err
		}
		for _, pl := range pls {
			if pl.Date > to {
				break
			}
			d := DayPlan{Station: pl.Station, Date: pl.Date, Items: make([]PlannedItem, len(pl.Items))}
			for i, it := range pl.Items {
				d.Items[i] = PlannedItem{ID: it.ID, SegmentID: strconv.FormatUint(it.SegmentID, 10), Title: it.Title,
					Topic: it.Topic, Start: it.Start(), Duration: time.Duration(it.DurationMs) * time.Millisecond}
			}
			if err := fn(d); err != nil {
				return err
			}
		}
	}
	return nil
}

func (p decodedPlan) PlannedCounts(from, to library.Date) (map[string]int, error) {
	counts := map[string]int{}
	err := p.PlannedDays(from, to, func(d DayPlan) error { counts[d.Station] += len(d.Items); return nil })
	return counts, err
}
