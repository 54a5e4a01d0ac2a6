package web

import (
	"bytes"
	"errors"
	"net/http"
	"slices"

	"loa/broadcast/report"
)

// Reports is what the report API works on (parts.go).
type Reports struct {
	Builder   *report.Builder
	Directory func() (report.Directory, error) // names as they are now
	Settings  *report.SettingsStore            // the letterhead and signer
}

// reconcileMaxDays bounds the item-by-item reconciliation, which reads
// every event of its period.
const reconcileMaxDays = 62

// getReport answers GET /api/reports/{period}?format=json|xlsx|csv|html:
// the period's report, the previous period beside it. Files come as
// downloads; JSON and HTML in the page.
func (s *Server) getReport(w http.ResponseWriter, r *http.Request) error {
	_, p, err := s.reportRequest(r)
	if err != nil {
		return err
	}
	format := r.URL.Query().Get("format")
	if format == "" {
		format = "json"
	}
	if !slices.Contains(report.Formats, format) {
		return errBadReportFormat.withField("format")
	}
	rep, err := s.buildReport(p)
	if err != nil {
		return err
	}
	var buf bytes.Buffer // whole first: a failed export is a clean error
	if err := report.Write(&buf, rep, format, lang(r)); err != nil {
		return err
	}
	w.Header().Set("Content-Type", report.ContentType(format))
	if format == "xlsx" || format == "csv" || format == "docx" {
		w.Header().Set("Content-Disposition", `attachment; filename="`+report.FileName(rep, format)+`"`)
	}
	_, err = buf.WriteTo(w)
	return err
}

// reconcileReport answers GET /api/reports/{period}/items?station=ID:
// every planned item of the period (at most 62 days) with its status.
func (s *Server) reconcileReport(w http.ResponseWriter, r *http.Request) error {
	rp, p, err := s.reportRequest(r)
	if err != nil {
		return err
	}
	if p.Days() > reconcileMaxDays {
		return errPeriodTooLong
	}
	lines, err := rp.Builder.ReconcileAt(s.now(), p, r.URL.Query().Get("station"))
	if err != nil {
		return err
	}
	if lines == nil {
		lines = []report.Line{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"period": p.Code(), "items": lines})
	return nil
}

func (s *Server) reportRequest(r *http.Request) (*Reports, report.Period, error) {
	p, err := report.ParsePeriod(r.PathValue("period"))
	if errors.Is(err, report.ErrBadPeriod) {
		return nil, p, errBadPeriod.withField("period")
	}
	return s.report, p, err
}
