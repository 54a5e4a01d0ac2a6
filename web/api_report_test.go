package web

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"loa/broadcast/ledger"
	"loa/broadcast/report"
	"loa/playlist"
	"loa/stations"
)

// newReportServer is a real server with the report API wired to a real
// ledger, station registry and playlist store on one bbolt file. Station
// tdp-01 aired 4 items in Q3 2026 (one missed) and 1 in Q2.
func newReportServer(t *testing.T) *testServer {
	t.Helper()
	return newReportServerSeeded(t, nil)
}

// newReportServerSeeded is newReportServer with seed given the playlist
// store and the ledger before the server starts.
func newReportServerSeeded(t *testing.T, seed func(*playlist.Store, *ledger.Store)) *testServer {
	t.Helper()
	ts := newTestServer(t)
	if _, _, err := ts.app.Stations.Create(stations.New("tdp-01", "Tổ dân phố 1"), time.Now()); err != nil {
		t.Fatal(err)
	}
	var events []ledger.Event
	for i, day := range []int{0, 30, 60, 90, -5} {
		at := time.Date(2026, 7, 1, 7, 0, 0, 0, hcmZone).AddDate(0, 0, day)
		e := ledger.Event{StationID: "tdp-01", ID: fmt.Sprint("ev", i), ItemID: fmt.Sprint("it", i), SegmentID: "3",
			Title: "Dịch vụ công trực tuyến", Topic: "cchc-dvc-truc-tuyen", Level: "ordinary", Duration: time.Minute,
			Planned: at, Started: at, Ended: at.Add(time.Minute), Played: time.Minute, Outcome: "completed"}
		if i == 2 {
			e.Outcome, e.Started, e.Ended, e.Played, e.Reason = "missed", time.Time{}, time.Time{}, 0, "offline"
		}
		events = append(events, e)
	}
	if _, err := ts.app.Ledger.Record(events); err != nil {
		t.Fatal(err)
	}
	if seed != nil {
		seed(ts.app.Playlists, ts.app.Ledger)
	}
	ts.addUser(t, "xem", RoleViewer)
	return ts
}

// get fetches path and returns the response with its body read.
func (c *client) get(path string) (*http.Response, []byte) {
	c.t.Helper()
	resp, err := c.http.Get(c.base + path)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp, body
}

func TestViewerGetsTheQuarterlyReport(t *testing.T) {
	t.Parallel()
	ts := newReportServer(t)
	c := ts.signIn(t, "xem")
	var r struct {
		Ward   string
		Totals struct{ Plays, Missed int }
		Period struct {
			NameVi string `json:"name_vi"`
		}
		PreviousTotals struct{ Plays int } `json:"previous_totals"`
	}
	if resp := c.json("GET", "/api/reports/2026-Q3", nil, &r); resp.StatusCode != 200 {
		t.Fatalf("%s", resp.Status)
	}
	if r.Ward != "Phường An Phú" || r.Totals.Plays != 3 || r.Totals.Missed != 1 || r.PreviousTotals.Plays != 1 || r.Period.NameVi != "Quý III/2026" {
		t.Fatalf("report %+v", r)
	}

	resp, body := c.get("/api/reports/2026-Q3?format=xlsx")
	if resp.StatusCode != 200 || resp.Header.Get("Content-Disposition") != `attachment; filename="bao-cao-phat-thanh-2026-Q3.xlsx"` {
		t.Fatalf("%s %v", resp.Status, resp.Header)
	}
	f, err := excelize.OpenReader(bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if plays, _ := f.GetCellValue("Tổng hợp", "B7"); plays != "3" {
		t.Fatalf("the workbook says %q plays", plays)
	}
	for _, format := range []string{"csv", "html"} {
		if resp, body := c.get("/api/reports/2026-07?format=" + format); resp.StatusCode != 200 || !bytes.Contains(body, []byte("Tổ dân phố 1")) {
			t.Errorf("%s: %s %q", format, resp.Status, body[:min(len(body), 200)])
		}
	}
}

func TestReportErrorsAreWordedForPeople(t *testing.T) {
	t.Parallel()
	ts := newReportServer(t)
	if resp, _ := ts.client(t).get("/api/reports/2026-Q3"); resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("anonymous: %s", resp.Status)
	}
	c := ts.signIn(t, "xem")
	for _, tc := range []struct {
		path, code, message string
	}{
		{"/api/reports/2026-Q5", "bad_period", "Kỳ báo cáo không hợp lệ (ví dụ: 2026-Q3, 2026-H1, 2026, 2026-07 hoặc 2026-07-01..2026-09-30)"},
		{"/api/reports/2026-Q5?lang=en", "bad_period", "Invalid period (for example 2026-Q3, 2026-H1, 2026, 2026-07 or 2026-07-01..2026-09-30)"},
		{"/api/reports/2026-Q3?format=pdf", "bad_report_format", "Định dạng báo cáo không hợp lệ (xlsx, csv, json, html hoặc docx)"},
		{"/api/reports/2026/items", "period_too_long", "Đối soát từng bản tin chỉ làm cho tối đa 62 ngày"},
	} {
		var e apiErr
		if resp := c.json("GET", tc.path, nil, &e); resp.StatusCode != 400 || e.Error.Code != tc.code || e.Error.Message != tc.message {
			t.Errorf("%s: %s %+v", tc.path, resp.Status, e.Error)
		}
	}
}

func TestReportItemsGiveEveryEventItsStatus(t *testing.T) {
	t.Parallel()
	ts := newReportServer(t)
	c := ts.signIn(t, "xem")
	var out struct {
		Items []report.Line
	}
	if resp := c.json("GET", "/api/reports/2026-08-01..2026-08-31/items?station=tdp-01", nil, &out); resp.StatusCode != 200 {
		t.Fatalf("%s", resp.Status)
	}
	if len(out.Items) != 1 || out.Items[0].Status != "missed" || out.Items[0].Reason != "offline" {
		t.Fatalf("items %+v", out.Items)
	}
}
