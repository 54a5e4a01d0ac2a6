package web

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// TestReportSettingsAreTheLetterhead: an administrator sets the ward, office
// and signer; the printed report carries them; bad input is refused in
// words, with nothing stored.
func TestReportSettingsAreTheLetterhead(t *testing.T) {
	t.Parallel()
	ts := newReportServer(t)
	admin := ts.signIn(t, "admin")
	_, page := admin.get("/api/reports/2026-Q3?format=html")
	if !strings.Contains(string(page), `class="unset"`) {
		t.Error("the printed report does not say that the settings are missing")
	}
	body := map[string]any{"ward": "Phường An Phú", "office": "Phòng Văn hóa – Xã hội", "place": "An Phú", "symbol": "BC-VHXH",
		"signer_title": "Trưởng phòng", "signer_name": "Nguyễn Thị Lan", "recipients": "UBND phường (để báo cáo);\nLưu: VT, VHXH."}
	if resp := admin.json("PUT", "/api/report-settings", body, nil); resp.StatusCode != 200 {
		t.Fatalf("PUT settings: %s", resp.Status)
	}
	_, page = admin.get("/api/reports/2026-Q3?format=html")
	for _, want := range []string{"UBND PHƯỜNG AN PHÚ", "PHÒNG VĂN HÓA – XÃ HỘI", "Số:        /BC-VHXH", "Lưu: VT, VHXH.", "TRƯỞNG PHÒNG", "Nguyễn Thị Lan"} {
		if !strings.Contains(string(page), want) {
			t.Errorf("the printed report lacks %q", want)
		}
	}
	var e apiErr
	bad := map[string]any{"ward": strings.Repeat("x", 201), "office": "Phòng", "signer_title": "x", "signer_name": "y"}
	if resp := admin.json("PUT", "/api/report-settings", bad, &e); resp.StatusCode != http.StatusUnprocessableEntity || e.Error.Field != "ward" || !strings.Contains(e.Error.Message, "200 ký tự") {
		t.Errorf("a too-long ward: %s %+v", resp.Status, e)
	}
	var got map[string]any
	admin.json("GET", "/api/report-settings", nil, &got)
	if got["ward"] != "Phường An Phú" {
		t.Errorf("the refused settings changed what is stored: %v", got)
	}
	if resp := ts.signIn(t, "xem").json("PUT", "/api/report-settings", body, nil); resp.StatusCode != http.StatusForbidden {
		t.Errorf("a viewer sets the settings: %s", resp.Status)
	}
}

// TestPrintedReportsStylesheetIsAllowedByTheCSP: the page links a static
// stylesheet (no inline style, which the CSP blocks) that the server
// serves and the CSP allows.
func TestPrintedReportsStylesheetIsAllowedByTheCSP(t *testing.T) {
	t.Parallel()
	ts := newReportServer(t)
	c := ts.signIn(t, "xem")
	resp, page := c.get("/api/reports/2026-Q3?format=html")
	if !strings.Contains(string(page), `<link rel="stylesheet" href="/static/report-print.css">`) || strings.Contains(string(page), "<style") {
		t.Fatal("the printed report does not link its static stylesheet")
	}
	if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "style-src 'self'") {
		t.Errorf("CSP %q", csp)
	}
	css, body := c.get("/static/report-print.css")
	if css.StatusCode != 200 || !strings.HasPrefix(css.Header.Get("Content-Type"), "text/css") || !strings.Contains(string(body), "size: A4") ||
		!strings.Contains(string(body), "Times New Roman") {
		t.Errorf("stylesheet: %s %s", css.Status, css.Header.Get("Content-Type"))
	}
}

// TestReportAsWordDownload: the report downloads as a Word document.
func TestReportAsWordDownload(t *testing.T) {
	t.Parallel()
	ts := newReportServer(t)
	resp, body := ts.signIn(t, "xem").get("/api/reports/2026-Q3?format=docx")
	if resp.StatusCode != 200 || !strings.HasPrefix(string(body), "PK") ||
		!strings.Contains(resp.Header.Get("Content-Disposition"), "bao-cao-phat-thanh-2026-Q3.docx") ||
		resp.Header.Get("Content-Type") != "application/vnd.openxmlformats-officedocument.wordprocessingml.document" {
		t.Errorf("docx: %s %q %q", resp.Status, resp.Header.Get("Content-Type"), resp.Header.Get("Content-Disposition"))
	}
}

// TestAiredLogExports: the log's CSV has the rows the page shows, the bad
// inputs are refused in words.
func TestAiredLogExports(t *testing.T) {
	t.Parallel()
	ts := newReportServer(t)
	c := ts.signIn(t, "xem")
	resp, body := c.get("/api/airlog?format=csv&from=2026-07-01&to=2026-09-30&station=tdp-01")
	if resp.StatusCode != 200 || !strings.Contains(resp.Header.Get("Content-Disposition"), "nhat-ky-phat-song-2026-07-01..2026-09-30.csv") {
		t.Fatalf("csv: %s %q", resp.Status, resp.Header.Get("Content-Disposition"))
	}
	recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(string(body), "\uFEFF"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 1+4 || recs[0][0] != "Giờ phát dự kiến" || recs[1][0] != "01/07/2026 07:00:00" || recs[3][10] != "Bỏ lỡ" {
		t.Errorf("log CSV %q", recs)
	}
	resp, body = c.get("/api/airlog?format=xlsx&period=2026-Q3")
	if resp.StatusCode != 200 || !strings.HasPrefix(string(body), "PK") {
		t.Errorf("xlsx: %s", resp.Status)
	}
	for _, bad := range []struct{ path, code string }{
		{"/api/airlog?format=csv&date=31/02/2026", "bad_period"},
		{"/api/airlog?format=csv&period=2026", "log_too_long"},
		{"/api/airlog?format=pdf", "bad_report_format"},
	} {
		var e apiErr
		if resp := c.json("GET", bad.path, nil, &e); resp.StatusCode != http.StatusBadRequest || e.Error.Code != bad.code {
			t.Errorf("%s: %s %+v", bad.path, resp.Status, e)
		}
	}
}

// TestAiredLogFilesHaveTheSameRows: the quarter's log as XLSX (made a day
// at a time) lists the rows of its CSV, in the same order.
func TestAiredLogFilesHaveTheSameRows(t *testing.T) {
	t.Parallel()
	ts := newReportServer(t)
	c := ts.signIn(t, "xem")
	_, body := c.get("/api/airlog?format=csv&period=2026-Q3")
	recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(string(body), "\uFEFF"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	resp, book := c.get("/api/airlog?format=xlsx&period=2026-Q3")
	if resp.StatusCode != 200 {
		t.Fatalf("xlsx: %s", resp.Status)
	}
	f, err := excelize.OpenReader(bytes.NewReader(book))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("Nhật ký phát sóng")
	if err != nil {
		t.Fatal(err)
	}
	rows = rows[5:] // below the heading: the column headers, as the CSV starts, then the rows
	if len(recs) < 3 || len(rows) != len(recs) {
		t.Fatalf("the sheet has %d rows, the CSV %d", len(rows), len(recs))
	}
	for i := range rows {
		if rows[i][0] != recs[i][0] || rows[i][3] != recs[i][3] || rows[i][10] != recs[i][10] {
			t.Errorf("row %d: sheet %q, CSV %q", i, rows[i], recs[i])
		}
	}
}

// TestAiredLogTimelineBars: the day's timeline has a planned bar for each
// item of the plan and a bar for what became of each, placed on the day
// and titled with the item.
func TestAiredLogTimelineBars(t *testing.T) {
	t.Parallel()
	ts := airlogDay(t)
	_, page := ts.signIn(t, "xem").get("/airlog?date=2026-07-31&station=tdp-01")
	if n := strings.Count(string(page), `<rect class="tl-planned"`); n != 6 {
		t.Errorf("%d planned bars, want the 6 items of the plan", n)
	}
	if n := strings.Count(string(page), `<rect class="st-`); n != 7 {
		t.Errorf("%d bars of what aired, want 7 (6 items and the emergency)", n)
	}
	emergency := `<rect class="st-emergency" x="354" y="14" width="2" height="10"><title>Thông báo khẩn: bão số 3</title></rect>`
	if !strings.Contains(string(page), emergency) {
		t.Errorf("the emergency's bar at 08:30 for 2 minutes is not %s", emergency)
	}
}

// TestAiredLogPageOfARange: a range's page, counted a day at a time, shows
// the rows and the counts of the log made at once (the JSON).
func TestAiredLogPageOfARange(t *testing.T) {
	t.Parallel()
	ts := airlogDay(t)
	c := ts.signIn(t, "xem")
	var log struct{ Rows []struct{ Status string } }
	if resp := c.json("GET", "/api/airlog?format=json&from=2026-07-01&to=2026-07-31&station=tdp-01", nil, &log); resp.StatusCode != 200 {
		t.Fatalf("json: %s", resp.Status)
	}
	_, page := c.get("/airlog?from=2026-07-01&to=2026-07-31&station=tdp-01")
	if n := strings.Count(string(page), `<tr class="log-`); n != len(log.Rows) || n < 5 {
		t.Errorf("the page lists %d rows, the log %d", n, len(log.Rows))
	}
	overdue := 0
	for _, r := range log.Rows {
		if r.Status == "overdue" {
			overdue++
		}
	}
	if want := fmt.Sprintf(`<span class="badge st-overdue">Quá giờ chưa báo cáo: %d</span>`, overdue); overdue == 0 || !strings.Contains(string(page), want) {
		t.Errorf("the page does not count %d overdue: want %s", overdue, want)
	}
}
