package web

import (
	"io"
	"net/http"
	"strings"
	"testing"
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
