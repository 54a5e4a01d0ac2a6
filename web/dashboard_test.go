package web

import (
	"io"
	"net/http"
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
// ward's time: playing an item since when (and, once agents report it,
// waiting for one at when).
func TestPagesSayWhatTheAgentDoes(t *testing.T) {
	now := testclock.Now(t)
	started := now.Add(-2 * time.Minute)
	w := newOpsWardAt(t, now, func(w *opsWard) {
		w.addStation(t, "tdp-01", true)
		p := stations.Presence{StationID: "tdp-01", LastSeen: now.Add(-5 * time.Second), StatusAt: now.Add(-5 * time.Second),
			NowPlaying: &stations.NowPlaying{ItemID: "it-1", Title: "Thông báo CCHC", StartedAt: started}}
		if err := w.st.PutPresence(p); err != nil {
			t.Fatal(err)
		}
	})
	for _, path := range []string{"/overview", "/stations"} {
		for lang, want := range map[string]string{"vi": "Đang phát «Thông báo CCHC» từ ", "en": "Playing “Thông báo CCHC” since "} {
			want += started.In(ward.Zone()).Format("15:04")
			if code, body := w.get(t, path+"?lang="+lang); code != 200 || !strings.Contains(body, `<td data-live="doing">`+want+`</td>`) {
				t.Errorf("%s in %s: %d, lacks %q", path, lang, code, want)
			}
		}
	}
}
