package web

import (
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"loa/internal/testclock"
	"loa/internal/ward"
	"loa/stations"
)

// The overview shows the server's own alerts (here: the data disk is
// below the alert threshold) in the reader's language.
func TestOverviewShowsDiskLow(t *testing.T) {
	ts := newTestServer(t)
	ts.web.cfg.Alerts.DiskLowBytes = 1 << 62 // every disk is "low"
	admin := ts.signIn(t, "admin")
	for lang, want := range map[string]string{"vi": "Ổ đĩa dữ liệu sắp đầy", "en": "Data disk low"} {
		req, _ := http.NewRequest("GET", ts.URL+"/overview?lang="+lang, nil)
		resp, err := admin.http.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !strings.Contains(string(body), want) {
			t.Errorf("%s: %s, page lacks %q", lang, resp.Status, want)
		}
	}
}

// The overview and the stations page say what each agent does, in the
// ward's time: playing an item since when, or waiting for one at when
// (with the date when it is not today).
func TestPagesSayWhatTheAgentDoes(t *testing.T) {
	now := testclock.Now(t)
	started := now.Add(-2 * time.Minute)
	next := now.Add(26 * time.Hour) // tomorrow: with its date
	w := newOpsWardAt(t, now, func(w *opsWard) {
		w.addStation(t, "tdp-01", true)
		w.addStation(t, "tdp-02", true)
		err := w.st.PutPresence(stations.Presence{StationID: "tdp-01", LastSeen: now.Add(-5 * time.Second), StatusAt: now.Add(-5 * time.Second),
			NowPlaying: &stations.NowPlaying{ItemID: "it-1", Title: "Thông báo CCHC", StartedAt: started}},
			stations.Presence{StationID: "tdp-02", LastSeen: now.Add(-5 * time.Second), StatusAt: now.Add(-5 * time.Second),
				Waiting: &stations.Waiting{ItemID: "it-2", Title: "Nhạc hiệu", PlannedAt: next, Day: string(ward.DayOf(next, ward.Zone())), PlaylistVersion: 1, PlaylistHash: "ab"}})
		if err != nil {
			t.Fatal(err)
		}
	})
	at, on := started.In(ward.Zone()).Format("15:04"), next.In(ward.Zone()).Format("02/01/2006 15:04")
	for _, path := range []string{"/overview", "/stations"} {
		for lang, want := range map[string][]string{
			"vi": {"Đang phát «Thông báo CCHC» từ " + at, "Chờ phát «Nhạc hiệu» lúc " + on},
			"en": {"Playing “Thông báo CCHC” since " + at, "Waiting to play “Nhạc hiệu” at " + on},
		} {
			code, body := w.get(t, path+"?lang="+lang)
			for _, s := range want {
				cell := regexp.MustCompile(`<td data-live="doing"[^>]*>` + regexp.QuoteMeta(s) + `</td>`) // the live stream updates this cell
				if code != 200 || !cell.MatchString(body) {
					t.Errorf("%s in %s: %d, lacks %q", path, lang, code, s)
				}
			}
		}
	}
}
