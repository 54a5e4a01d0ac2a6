package report

import (
	"fmt"
	"path/filepath"
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
	if len(got) != 1 || len(got[0].Items) != 2 || got[0].Items[1].SegmentID != "2" || got[0].Items[1].Duration != 30*time.Second {
		t.Fatalf("planned days %+v", got)
	}
	dir, err := DirectoryOf("Phường An Phú", reg, lib)
	if err != nil {
		t.Fatal(err)
	}
	if len(dir.Stations) != 1 || dir.Stations[0].Name != "Tổ dân phố 1" || dir.Groups[0].Name != "Khu phố A" || len(dir.Topics) == 0 {
		t.Fatalf("directory %+v", dir)
	}
}

// BenchmarkPlaylistPlanQuarter reads the planned side of a quarter from the
// playlist store: 300 stations × 92 days of 30 items, one version each.
func BenchmarkPlaylistPlanQuarter(b *testing.B) {
	db, err := bbolt.Open(filepath.Join(b.TempDir(), "loa.db"), 0o600, &bbolt.Options{NoSync: true})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	pls, err := playlist.Open(db)
	if err != nil {
		b.Fatal(err)
	}
	ids := make([]string, benchStations)
	q3 := Quarter(2026, 3)
	for s := range ids {
		ids[s] = fmt.Sprintf("tdp-%03d", s)
		var days []playlist.Playlist
		for d := range q3.Days() {
			date := library.Date(day(q3.From).AddDate(0, 0, d).Format(time.DateOnly))
			pl := playlist.Playlist{Station: ids[s], Date: date, Zone: "Asia/Ho_Chi_Minh"}
			start, _ := date.Time(hcm)
			for i := range 30 {
				ms := start.Add(6*time.Hour + time.Duration(i)*5*time.Minute).UnixMilli()
				pl.Items = append(pl.Items, playlist.Item{ID: fmt.Sprintf("%d-%d", ms, i), SegmentID: uint64(i + 1),
					Title: "Tuyên truyền cải cách hành chính số " + fmt.Sprint(i), Topic: "cchc-tthc", Kind: playlist.ItemAudio,
					StartMs: ms, DurationMs: 120_000, AudioSHA256: fmt.Sprintf("%064d", i), AudioSize: 1 << 20})
			}
			days = append(days, pl)
		}
		if _, _, err := pls.SavePlaylists(days); err != nil {
			b.Fatal(err)
		}
	}
	plan := PlaylistPlan{Store: pls, Stations: func() ([]string, error) { return ids, nil }}
	b.ResetTimer()
	for b.Loop() {
		items := 0
		err := plan.PlannedDays(q3.From, q3.To, func(d DayPlan) error { items += len(d.Items); return nil })
		if err != nil || items != benchStations*q3.Days()*30 {
			b.Fatal(items, err)
		}
	}
}
