package report

import (
	"bytes"
	"cmp"
	"embed"
	"fmt"
	"html/template"
	"io"
	"strings"
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
	Lang, Stylesheet                    string
	CSS                                 template.CSS
	Unset                               string // on screen only: what the settings lack
	Parent, Office, Number              string
	Country, Motto, PlaceDate           string
	DocType, Subject, Narrative         string
	PeriodLabel, Period, PeriodRange    string
	GeneratedLabel, Generated, ZoneNote string
	LateNote, ChartsTitle               string
	Charts                              []template.HTML
	Tables                              []htmlTable
	RecipientsLabel                     string
	Recipients                          []string
	SignerTitle, SignHint, SignerName   string
}

// DefaultStylesheet is where the server serves the printed report's
// stylesheet: a static file, so the server's CSP needs no inline style.
const DefaultStylesheet = "/static/report-print.css"

// HTMLOptions say how the printed page gets its style: a link to
// Stylesheet (default DefaultStylesheet), or CSS written into the page for
// a file opened with no server.
type HTMLOptions struct {
	Stylesheet string
	CSS        string
}

// WriteHTML writes the printable A4 report in lang ("vi", or "en"),
// linking the server's stylesheet.
func WriteHTML(w io.Writer, r *Report, lang string) error {
	return WriteHTMLWith(w, r, lang, HTMLOptions{})
}

// WriteHTMLWith writes the report as an administrative document (Nghị định
// 30/2020/NĐ-CP): the issuing body and office with the document's number,
// the national name and motto with the place and date, the title, a
// generated narrative, the charts, the tables (each with the previous
// period beside the current one), the recipients and the signature block.
func WriteHTMLWith(w io.Writer, r *Report, lang string, opts HTMLOptions) error {
	if lang != "en" {
		lang = "vi"
	}
	p := printPage(r, lang)
	p.Stylesheet, p.CSS = cmp.Or(opts.Stylesheet, DefaultStylesheet), template.CSS(opts.CSS)
	p.Charts = Charts(r, lang)
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

// printPage is the administrative form's words, shared by the printed page
// and the Word document: letterhead, title, narrative, recipients, signer.
func printPage(r *Report, lang string) htmlPage {
	loc := zoneOf(r)
	gen := r.GeneratedAt.In(loc)
	is := r.Issuer
	p := htmlPage{
		Lang:   lang,
		Office: strings.ToUpper(cmp.Or(is.Office, DefaultOffice)), Number: fmt.Sprintf(label(lang, "doc_number"), cmp.Or(is.Symbol, "BC")),
		Country: label(lang, "country"), Motto: label(lang, "motto"), PlaceDate: PlaceDate(is.Place, gen, lang),
		DocType: label(lang, "doc_type"), Subject: label(lang, "doc_subject") + " " + r.Period.Phrase(lang),
		Narrative: Narrative(r, lang), PeriodLabel: label(lang, "period"), Period: r.Period.name(lang),
		PeriodRange:    dmy(r.Period.From) + " – " + dmy(r.Period.To),
		GeneratedLabel: label(lang, "generated"), Generated: gen.Format("02/01/2006 15:04"), ZoneNote: label(lang, "zone_note"),
		LateNote: fmt.Sprintf(label(lang, "late_margin"), int(r.LateMargin)/1e9), ChartsTitle: label(lang, "charts"),
		RecipientsLabel: label(lang, "recipients"), Recipients: is.Recipients,
		SignerTitle: strings.ToUpper(is.SignerTitle), SignHint: label(lang, "signoff_hint"), SignerName: is.SignerName,
	}
	if r.Ward != "" {
		p.Parent = strings.ToUpper(label(lang, "people_committee") + " " + r.Ward)
	}
	if !is.Complete() || r.Ward == "" {
		p.Unset = label(lang, "settings_unset")
	}
	if len(p.Recipients) == 0 {
		p.Recipients = []string{label(lang, "recipient_archive")}
	}
	return p
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
