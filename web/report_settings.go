package web

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"

	"loa/broadcast/report"
)

// The report settings: what the printed report says of the office that
// issues it (the ward, the office, the place, the document's symbol, the
// signer, the recipients). An administrator sets them on /report-settings;
// until the ward and the signer are set, the reports page says so.

var (
	errBadSetting = &apiError{http.StatusUnprocessableEntity, "bad_report_setting", "Mỗi mục tối đa 200 ký tự trên một dòng; tối đa 20 nơi nhận", "Each entry is at most 200 characters on one line; at most 20 recipients", ""}
)

// settingsBody is the settings as the form sends them: recipients one a
// line in a string, or a JSON list.
type settingsBody struct {
	report.Settings
	Recipients lines `json:"recipients"`
}

// lines reads a JSON list of strings or one string of lines.
type lines []string

func (l *lines) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		*l = strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n")
		return nil
	}
	return json.Unmarshal(b, (*[]string)(l))
}

// reportSettings returns the settings (never set: empty but for the
// default office).
func (s *Server) reportSettings() (report.Settings, error) {
	return s.report.Settings.Get()
}

// getReportSettings answers GET /api/report-settings.
func (s *Server) getReportSettings(w http.ResponseWriter, r *http.Request) error {
	st, err := s.reportSettings()
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, st)
	return nil
}

// putReportSettings answers PUT /api/report-settings: the whole settings.
func (s *Server) putReportSettings(w http.ResponseWriter, r *http.Request) error {
	var body settingsBody
	if err := readJSON(w, r, &body); err != nil {
		return err
	}
	before, err := s.report.Settings.Get()
	if err != nil {
		return err
	}
	body.Settings.Recipients = body.Recipients
	after, err := s.report.Settings.Put(body.Settings)
	var bad *report.SettingsError
	if errors.As(err, &bad) {
		return errBadSetting.withField(strings.Split(bad.Field, ".")[0])
	}
	if err != nil {
		return err
	}
	s.audit(r, "report_settings.update", "report_settings", before, after)
	writeJSON(w, http.StatusOK, after)
	return nil
}

// settingsData is the settings page.
type settingsData struct {
	Settings   report.Settings
	Recipients string // one a line, for the text area
}

func (s *Server) reportSettingsPage(r *http.Request, p *pageData) (string, error) {
	d := &settingsData{}
	p.Title, p.Data = "rset.title", d
	st, err := s.reportSettings()
	if err != nil {
		return "", err
	}
	d.Settings, d.Recipients = st, strings.Join(st.Recipients, "\n")
	return "report_settings", nil
}
