package report

import (
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"go.etcd.io/bbolt"

	"loa/broadcast/ledger"
	"loa/playlist/library"
)

var hcm = mustZone("Asia/Ho_Chi_Minh")

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

func openLedger(t testing.TB) *ledger.Store {
	t.Helper()
	db, err := bbolt.Open(filepath.Join(t.TempDir(), "loa.db"), 0o600, &bbolt.Options{NoFreelistSync: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	l, err := ledger.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// memPlan is the planned side held in memory: the test seam for the
// playlist store.
type memPlan []DayPlan

func (p memPlan) PlannedDays(from, to library.Date, fn func(DayPlan) error) error {
	for _, d := range p {
		if d.Date.Within(from, to) {
			if err := fn(d); err != nil {
				return err
			}
		}
	}
	return nil
}

func (p memPlan) PlannedCounts(from, to library.Date) (map[string]int, error) {
	counts := map[string]int{}
	err := p.PlannedDays(from, to, func(d DayPlan) error { counts[d.Station] += len(d.Items); return nil })
	return counts, err
}

var testDir = Directory{
	Ward: "Phường An Phú",
	Stations: []Station{
		{ID: "tdp-01", Name: "Tổ dân phố 1", Groups: []string{"khu-a"}},
		{ID: "tdp-02", Name: "Tổ dân phố 2", Groups: []string{"khu-a"}},
		{ID: "tdp-03", Name: "Tổ dân phố 3", Groups: []string{"khu-b"}},
	},
	Groups: []Group{{ID: "khu-a", Name: "Khu phố A"}, {ID: "khu-b", Name: "Khu phố B"}},
	Topics: []library.Topic{
		{ID: "cchc-tthc", Name: "Thủ tục hành chính và cơ chế một cửa, một cửa liên thông", NameEn: "Administrative procedures and the one-stop shop", CCHC: true},
		{ID: "cchc-chuyen-doi-so", Name: "Chuyển đổi số", NameEn: "Digital transformation", CCHC: true},
		{ID: "tin-tuc", Name: "Tin tức chung", NameEn: "General news"},
		{ID: "thien-tai", Name: "Phòng chống thiên tai, khẩn cấp", NameEn: "Disaster and emergency"},
	},
}

// items the fixture plays: segment, title, topic, duration.
var fixtureItems = []struct {
	seg, title, topic string
	dur               time.Duration
}{
	{"11", "Hướng dẫn nộp hồ sơ trực tuyến trên Cổng dịch vụ công", "cchc-tthc", 3 * time.Minute},
	{"12", "Cài đặt và kích hoạt tài khoản định danh điện tử VNeID", "cchc-chuyen-doi-so", 2*time.Minute + 30*time.Second},
	{"13", "Bản tin thời sự của phường", "tin-tuc", 5 * time.Minute},
}

// fixture records a small, varied history: Q2 and Q3 2026 on three
// stations, every outcome, an emergency broadcast, and item 11 renamed
// after 15/08. It returns the plan of Q3 (one item more than reported on
// tdp-03, never reported).
func fixture(t testing.TB, l *ledger.Store) memPlan {
	t.Helper()
	var events []ledger.Event
	var plan memPlan
	n := 0
	for _, d := range []string{"2026-05-20", "2026-07-01", "2026-08-15", "2026-08-16", "2026-09-30"} {
		date := library.Date(d)
		midnight, _ := date.Time(hcm)
		for si, st := range testDir.Stations {
			dp := DayPlan{Station: st.ID, Date: date}
			for ii, it := range fixtureItems {
				n++
				planned := midnight.Add(time.Duration(6+ii) * time.Hour).Add(time.Duration(si) * time.Minute)
				if d == "2026-09-30" && ii == 2 {
					planned = midnight.Add(23*time.Hour + 58*time.Minute) // last minutes of the quarter
				}
				itemID := fmt.Sprintf("%d-%s", planned.UnixMilli(), it.seg)
				dp.Items = append(dp.Items, PlannedItem{ID: itemID, SegmentID: it.seg, Title: it.title, Topic: it.topic, Start: planned, Duration: it.dur})
				e := ledger.Event{StationID: st.ID, ID: fmt.Sprintf("ev-%04d", n), ItemID: itemID, SegmentID: it.seg,
					Title: it.title, Topic: it.topic, Level: "ordinary", Groups: st.Groups, Duration: it.dur,
					Planned: planned, Started: planned.Add(200 * time.Millisecond), Played: it.dur, Outcome: "completed"}
				if it.seg == "11" && d > "2026-08-15" {
					e.Title = "Hướng dẫn nộp hồ sơ trực tuyến (bản mới)"
				}
				switch n % 9 {
				case 2:
					e.Started = planned.Add(95 * time.Second) // late
				case 4:
					e.Played = it.dur / 2 // cut short
				case 5: // the codes agents send, and one no table knows
					e.Outcome, e.Played, e.Reason = "missed", 0, []string{"agent_not_running", "late"}[n/9%2]
				case 7:
					e.Outcome, e.Played, e.Reason = "failed", 0, []string{"audio_missing", "output_stalled", "disk_full"}[n/9%3]
				}
				if e.Outcome == "completed" && e.Played > 0 {
					e.Ended = e.Started.Add(e.Played)
				}
				if !(st.ID == "tdp-03" && ii == 2 && d == "2026-08-16") { // never reported
					events = append(events, e)
				}
			}
			plan = append(plan, dp)
		}
		// An emergency broadcast interrupts the news at tdp-01.
		if d == "2026-08-15" {
			at := midnight.Add(8*time.Hour + time.Minute)
			events = append(events, ledger.Event{StationID: "tdp-01", ID: "em-1", CommandID: "cmd-1",
				Title: "Thông báo khẩn: bão số 3 đổ bộ", Topic: "thien-tai", Level: "emergency", Groups: []string{"khu-a"},
				Duration: 90 * time.Second, Planned: at, Started: at, Ended: at.Add(90 * time.Second), Played: 90 * time.Second,
				Outcome: "completed"})
			for i := range events {
				if events[i].StationID == "tdp-01" && events[i].SegmentID == "13" && events[i].Planned.Before(at.Add(time.Minute)) && events[i].Planned.After(at.Add(-time.Hour)) {
					events[i].Outcome, events[i].Played, events[i].Reason = "interrupted", time.Minute, "emergency"
				}
			}
		}
	}
	for i := range events {
		events[i].Received = events[i].Planned.Add(10 * time.Minute)
	}
	if _, err := l.Record(events); err != nil {
		t.Fatal(err)
	}
	return plan
}
