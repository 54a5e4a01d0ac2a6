package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"loa/internal/apptest"
)

// TestServeWarnsUntilTheReportSettingsAreSet: every start says what the
// printed report lacks; --ward fills the ward's name; complete settings
// end the warning.
func TestServeWarnsUntilTheReportSettingsAreSet(t *testing.T) {
	a := apptest.Open(t, apptest.Config(t))
	var out bytes.Buffer
	warnReportSettings(a, "Phường An Phú", &out)
	if !strings.Contains(out.String(), "/report-settings") {
		t.Fatalf("no warning: %q", out.String())
	}
	st, err := a.ReportSettings.Get()
	if err != nil || st.Ward != "Phường An Phú" {
		t.Fatalf("--ward did not become the setting: %+v %v", st, err)
	}
	st.SignerTitle, st.SignerName = "Trưởng phòng", "Nguyễn Thị Lan"
	if _, err := a.ReportSettings.Put(st); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	warnReportSettings(a, "", &out)
	if out.Len() != 0 {
		t.Errorf("a warning with the settings complete: %q", out.String())
	}
}

// TestLoaReportHTMLFileCarriesItsStyle: an A4 report written to a file
// opens styled with no server (the server's copy links the static sheet).
func TestLoaReportHTMLFileCarriesItsStyle(t *testing.T) {
	t.Parallel()
	data := reportDataDir(t)
	var stdout, stderr bytes.Buffer
	if code := run(context.Background(), []string{"report", "--period", "2026-Q3", "--format", "html", "--out", "-", "--data", data, "--ward", "Phường An Phú"}, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	page := stdout.String()
	if !strings.Contains(page, "<style>") || !strings.Contains(page, "size: A4") || strings.Contains(page, "/static/report-print.css") ||
		!strings.Contains(page, "UBND PHƯỜNG AN PHÚ") {
		t.Errorf("the file's page: %.300s", page)
	}
}
