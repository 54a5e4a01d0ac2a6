package web

import (
	"errors"
	"html/template"
	"net/http"
	"net/url"
	"strings"
	"time"

	"loa/broadcast/report"
)

// reportsData is the reports page: the period chosen, the report's tables
// (the report's one table model, as every export renders it) and charts,
// and the links to the files.
type reportsData struct {
	Choices   []periodChoice
	Code      string // the period as ParsePeriod reads it
	From, To  string // a custom range as typed
	BadPeriod bool
	Report    *report.Report
	Name      string // the period's name in the page's language
	PrevName  string
	Tables    []pageTable
	Charts    []template.HTML
	Unset     bool   // the printed report's ward, office or signer is not set
	Airlog    string // the aired log of the period
}

type periodChoice struct{ Code, Name string }

// pageTable is a table of the report as the page shows it; a figure with
// aired-log rows behind it links to them.
type pageTable struct {
	ID, Title string
	Columns   []report.Column
	Rows      [][]pageCell
	Total     []pageCell
}

type pageCell struct {
	Text string
	Num  bool
	Link string
}

func (s *Server) reportsPage(r *http.Request, p *pageData) (string, error) {
	q := r.URL.Query()
	now := s.now().In(s.fmt.loc)
	d := &reportsData{Code: strings.TrimSpace(q.Get("period")), From: strings.TrimSpace(q.Get("from")), To: strings.TrimSpace(q.Get("to"))}
	d.Choices = periodChoices(now, p.Lang)
	p.Title, p.Data = "rep.title", d
	if d.From != "" || d.To != "" {
		d.Code = d.From + ".." + d.To
	}
	if d.Code == "" {
		d.Code = report.Quarter(now.Year(), (int(now.Month())+2)/3).Code()
	}
	period, err := report.ParsePeriod(d.Code)
	if errors.Is(err, report.ErrBadPeriod) {
		d.BadPeriod = true
		return "reports", nil
	}
	if err != nil {
		return "", err
	}
	d.Code = period.Code()
	if d.Report, err = s.buildReport(period); err != nil {
		return "", err
	}
	d.Name, d.PrevName = period.Name(p.Lang), period.Previous().Name(p.Lang)
	for _, t := range report.Tables(d.Report, p.Lang) {
		d.Tables = append(d.Tables, pageTableOf(t, s.fmt.loc))
	}
	d.Charts = report.Charts(d.Report, p.Lang)
	d.Unset = !d.Report.Issuer.Complete()
	if period.Days() > report.MaxLogDays { // the log of a longer period opens on its first month
		period = report.Range(period.From, period.From.AddDays(30))
	}
	d.Airlog = airlogURL(report.LogFilter{Period: period})
	return "reports", nil
}

// buildReport builds the report of period as of the server's clock, with
// the names as they are now.
func (s *Server) buildReport(period report.Period) (*report.Report, error) {
	dir, err := s.report.Directory()
	if err != nil {
		return nil, err
	}
	st, err := s.reportSettings()
	if err != nil {
		return nil, err
	}
	rep, err := s.report.Builder.BuildAt(s.now(), period, dir)
	if err != nil {
		return nil, err
	}
	rep.SetIssuer(st)
	return rep, nil
}

func pageTableOf(t report.Table, loc *time.Location) pageTable {
	conv := func(cells []report.Cell) []pageCell {
		out := make([]pageCell, len(cells))
		for i, c := range cells {
			out[i] = pageCell{Text: c.Format(loc), Num: c.Numeric()}
			if c.Rows != nil && c.Kind == report.CellInt && c.Int > 0 && c.Rows.Period.Days() <= report.MaxLogDays {
				out[i].Link = airlogURL(*c.Rows)
			}
		}
		return out
	}
	pt := pageTable{ID: t.ID, Title: t.Title, Columns: t.Columns}
	for _, r := range t.Rows {
		pt.Rows = append(pt.Rows, conv(r))
	}
	if t.Total != nil {
		pt.Total = conv(t.Total)
	}
	return pt
}

// airlogURL is the aired-log page showing the rows f picks.
func airlogURL(f report.LogFilter) string {
	return "/airlog?" + f.Values().Encode()
}

// periodChoices offers this year's and last year's quarters, halves and
// years, and the last twelve months, newest first.
func periodChoices(now time.Time, lang string) []periodChoice {
	var out []periodChoice
	add := func(p report.Period) { out = append(out, periodChoice{p.Code(), p.Name(lang)}) }
	for y := now.Year(); y >= now.Year()-1; y-- {
		for q := 4; q >= 1; q-- {
			if y < now.Year() || 3*q-2 <= int(now.Month()) {
				add(report.Quarter(y, q))
			}
		}
		for h := 2; h >= 1; h-- {
			if y < now.Year() || 6*h-5 <= int(now.Month()) {
				add(report.Half(y, h))
			}
		}
		add(report.Year(y))
	}
	for i := 0; i < 12; i++ {
		m := now.AddDate(0, -i, 1-now.Day())
		add(report.Month(m.Year(), int(m.Month())))
	}
	return out
}

// FileURL is where the report of the period downloads in format.
func (d *reportsData) FileURL(format, lang string) string {
	return "/api/reports/" + url.PathEscape(d.Code) + "?format=" + format + "&lang=" + lang
}

// Percent writes a share (0–1) as a percentage; a negative share (nothing
// due) is a dash.
func (d *reportsData) Percent(v float64) string {
	if v < 0 {
		return "—"
	}
	return strings.Replace(strings.TrimSuffix(strings.TrimSuffix(formatFloat(v*100, 1), "0"), "."), ".", ",", 1) + " %"
}
