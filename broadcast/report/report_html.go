package report

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io"
)

//go:embed report.html.tmpl
var templateFS embed.FS

// pageTemplate is parsed when the program starts: a broken template fails
// the start, not a user's export.
var pageTemplate = template.Must(template.ParseFS(templateFS, "report.html.tmpl"))

// htmlRowLimit bounds each table on the page; the files hold every row.
const htmlRowLimit = 200

type htmlTable struct {
	ID, Title string
	Headers   []string
	Rows      [][]htmlCell
	Total     []htmlCell
	More      string // "… and N more rows", when cut
	Wide      bool   // printed on a landscape page
}

type htmlCell struct {
	Text string
	Num  bool // right-aligned
}

type htmlPage struct {
	Lang, Title, Ward                   string
	PeriodLabel, Period, PeriodRange    string
	GeneratedLabel, Generated, ZoneNote string
	LateNote                            string
	Charts                              []template.HTML
	Tables                              []htmlTable
	SignDate, Maker, Leader, SignHint   string
}

// WriteHTML writes a printable A4 page in lang ("vi", or "en"): ward,
// period, generation time in the ward's zone, the tables, SVG charts
// (airtime by topic and by month, compliance by station) and a sign-off
// block.
func WriteHTML(w io.Writer, r *Report, lang string) error {
	if lang != "en" {
		lang = "vi"
	}
	loc := zoneOf(r)
	gen := r.GeneratedAt.In(loc)
	p := htmlPage{
		Lang: lang, Title: label(lang, "report_title"), Ward: r.Ward,
		PeriodLabel: label(lang, "period"), Period: r.Period.name(lang), PeriodRange: dmy(r.Period.From) + " – " + dmy(r.Period.To),
		GeneratedLabel: label(lang, "generated"), Generated: gen.Format("02/01/2006 15:04"), ZoneNote: label(lang, "zone_note"),
		LateNote: fmt.Sprintf(label(lang, "late_margin"), int(r.LateMargin)/1e9),
		Charts:   Charts(r, lang), Maker: label(lang, "signoff_maker"), Leader: label(lang, "signoff_leader"), SignHint: label(lang, "signoff_hint"),
		SignDate: fmt.Sprintf(label(lang, "signoff_place"), gen.Format("02/01/2006")),
	}
	if lang == "vi" {
		p.SignDate = fmt.Sprintf("ngày %02d tháng %02d năm %d", gen.Day(), gen.Month(), gen.Year())
	}
	for _, t := range Tables(r, lang) {
		p.Tables = append(p.Tables, htmlTableOf(t, lang, r))
	}
	var buf bytes.Buffer // rendered whole first: a failure leaves no half page
	if err := pageTemplate.Execute(&buf, p); err != nil {
		return fmt.Errorf("render html: %w", err)
	}
	_, err := buf.WriteTo(w)
	return err
}

func htmlTableOf(t Table, lang string, r *Report) htmlTable {
	loc := zoneOf(r)
	h := htmlTable{ID: t.ID, Title: t.Title, Wide: len(t.Columns) > 8}
	for _, c := range t.Columns {
		h.Headers = append(h.Headers, c.Label)
	}
	conv := func(cells []Cell) []htmlCell {
		out := make([]htmlCell, len(cells))
		for i, c := range cells {
			out[i] = htmlCell{Text: c.Format(loc), Num: c.Numeric()}
		}
		return out
	}
	for i, cells := range t.Rows {
		if i == htmlRowLimit {
			h.More = fmt.Sprintf(label(lang, "more_rows"), len(t.Rows)-htmlRowLimit)
			break
		}
		h.Rows = append(h.Rows, conv(cells))
	}
	if t.Total != nil {
		h.Total = conv(t.Total)
	}
	return h
}
