package web

import (
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"loa/broadcast/report"
)

// reportsData is the reports page: the period chosen, the report's tables
// and charts, and the links to the files.
type reportsData struct {
	Available bool
	Choices   []periodChoice
	Code      string // the period as ParsePeriod reads it
	From, To  string // a custom range as typed
	BadPeriod bool
	Report    *report.Report
	Name      string // the period's name in the page's language
	PrevName  string
	TopicBars []chartBar
	MonthBars []chartBar
}

type periodChoice struct{ Code, Name string }

// chartBar is one bar of a chart, its length in per-mille of the longest.
type chartBar struct {
	Label, Value string
	Len          int
}

func (s *Server) reportsPage(r *http.Request, p *pageData) (string, error) {
	q := r.URL.Query()
	now := s.now().In(s.fmt.loc)
	d := &reportsData{Code: strings.TrimSpace(q.Get("period")), From: strings.TrimSpace(q.Get("from")), To: strings.TrimSpace(q.Get("to"))}
	d.Choices = periodChoices(now, p.Lang)
	p.Title, p.Data = "rep.title", d
	if s.report == nil || s.report.Builder == nil {
		return "reports", nil
	}
	d.Available = true
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
	dir, err := s.report.Directory()
	if err != nil {
		return "", err
	}
	if d.Report, err = s.report.Builder.Build(period, dir); err != nil {
		return "", err
	}
	d.Name, d.PrevName = period.Name(p.Lang), period.Previous().Name(p.Lang)
	d.charts(p.Lang)
	return "reports", nil
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

func (d *reportsData) charts(lang string) {
	r := d.Report
	var longest time.Duration
	for _, t := range r.Topics {
		longest = max(longest, time.Duration(t.Airtime))
	}
	for _, t := range r.Topics {
		name := t.Name
		if lang == "en" && t.NameEn != "" {
			name = t.NameEn
		}
		d.TopicBars = append(d.TopicBars, chartBar{Label: name, Value: t.Airtime.HMS(), Len: perMille(time.Duration(t.Airtime), longest)})
	}
	longest = 0
	for _, m := range r.Months {
		longest = max(longest, time.Duration(m.Airtime))
	}
	for _, m := range r.Months {
		d.MonthBars = append(d.MonthBars, chartBar{Label: m.Month, Value: m.Airtime.HMS(), Len: perMille(time.Duration(m.Airtime), longest)})
	}
}

func perMille(v, of time.Duration) int {
	if of <= 0 {
		return 0
	}
	return int(v * 1000 / of)
}

// TopicName names a topic id the way the report's topic table does.
func (d *reportsData) TopicName(id, lang string) string {
	for _, t := range d.Report.Topics {
		if t.ID == id {
			if lang == "en" && t.NameEn != "" {
				return t.NameEn
			}
			return t.Name
		}
	}
	return id
}

// FileURL is where the report of the period downloads in format.
func (d *reportsData) FileURL(format, lang string) string {
	return "/api/reports/" + url.PathEscape(d.Code) + "?format=" + format + "&lang=" + lang
}

// Percent writes a share (0–1) as a percentage; a negative share (nothing
// planned) is blank.
func (d *reportsData) Percent(v float64) string {
	if v < 0 {
		return "—"
	}
	return strings.Replace(strings.TrimSuffix(strings.TrimSuffix(formatFloat(v*100, 1), "0"), "."), ".", ",", 1) + " %"
}
