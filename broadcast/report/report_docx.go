package report

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"fmt"
	"html/template"
	"image"
	"image/color"
	"image/png"
	"io"
	"strings"
	"time"
)

// WriteDOCX writes the report as a Word document the office edits and
// signs: the same administrative form as the printed page (letterhead,
// national name and motto, place and date, title, the generated narrative
// as an ordinary paragraph to edit, the tables as real Word tables, charts
// as PNG images, Nơi nhận and the signature block), A4 with the margins of
// Nghị định 30/2020/NĐ-CP, Times New Roman 13–14. It is minimal OOXML
// written with archive/zip: no template, no macro.
func WriteDOCX(w io.Writer, r *Report) error {
	var body bytes.Buffer
	d := &docx{body: &body}
	p := printPage(r, "vi")
	d.letterhead(p)
	d.para(p.DocType, pCenter, rBold, rSize(28))
	d.para(p.Subject, pCenter, rBold, rSize(28))
	d.para(p.Narrative, pIndent, rSize(28))
	d.para(p.PeriodLabel+": "+p.Period+" ("+p.PeriodRange+"). "+p.GeneratedLabel+": "+p.Generated+". "+p.LateNote, rItalic, rSize(22))
	for _, c := range docxCharts(r) {
		d.para(c.title, rBold, rSize(24))
		d.image(c)
	}
	if len(r.Heat) > 0 {
		d.para(label("vi", "chart_heat"), rBold, rSize(24))
		d.heatTable(r.Heat, r.Weeks)
	}
	for _, t := range Tables(r, "vi") {
		d.para(t.Title, rBold, rSize(26))
		d.table(t, zoneOf(r))
	}
	d.signoff(p)
	return d.write(w)
}

// docx collects a document's body and its charts.
type docx struct {
	body   *bytes.Buffer
	images []docxChart
}

// Paragraph and run properties, as raw OOXML.
const (
	pCenter = "p:<w:jc w:val=\"center\"/>"
	pIndent = "p:<w:ind w:firstLine=\"720\"/><w:jc w:val=\"both\"/>"
	rBold   = "r:<w:b/>"
	rItalic = "r:<w:i/>"
)

func rSize(halfPoints int) string { return fmt.Sprintf("r:<w:sz w:val=\"%d\"/>", halfPoints) }

// esc escapes text for XML.
func esc(s string) string {
	var b strings.Builder
	xml.EscapeText(&b, []byte(s))
	return b.String()
}

// para writes a paragraph of one run; props are "p:…" and "r:…" pieces.
func (d *docx) para(text string, props ...string) {
	d.body.WriteString(paraXML(text, props...))
}

func paraXML(text string, props ...string) string {
	var pp, rp string
	for _, p := range props {
		if v, ok := strings.CutPrefix(p, "p:"); ok {
			pp += v
		} else {
			rp += strings.TrimPrefix(p, "r:")
		}
	}
	return `<w:p><w:pPr><w:spacing w:after="60"/>` + pp + `</w:pPr><w:r><w:rPr>` + rp + `</w:rPr><w:t xml:space="preserve">` + esc(text) + `</w:t></w:r></w:p>`
}

// cellXML is a table cell holding paragraphs.
func cellXML(width int, paras ...string) string {
	return fmt.Sprintf(`<w:tc><w:tcPr><w:tcW w:w="%d" w:type="dxa"/></w:tcPr>%s</w:tc>`, width, strings.Join(paras, ""))
}

// letterhead is the two-column heading without borders: issuing body and
// office with the number, the national name and motto with place and date.
func (d *docx) letterhead(p htmlPage) {
	left := []string{}
	if p.Parent != "" {
		left = append(left, paraXML(p.Parent, pCenter, rSize(26)))
	}
	left = append(left, paraXML(p.Office, pCenter, rBold, rSize(26)), paraXML(p.Number, pCenter, rSize(26)))
	right := []string{paraXML(p.Country, pCenter, rBold, rSize(24)), paraXML(p.Motto, pCenter, rBold, rSize(26)),
		paraXML(p.PlaceDate, pCenter, rItalic, rSize(26))}
	d.body.WriteString(`<w:tbl><w:tblPr><w:tblW w:w="9070" w:type="dxa"/><w:tblBorders><w:top w:val="nil"/><w:bottom w:val="nil"/><w:insideV w:val="nil"/></w:tblBorders></w:tblPr><w:tblGrid><w:gridCol w:w="3600"/><w:gridCol w:w="5470"/></w:tblGrid><w:tr>`)
	d.body.WriteString(cellXML(3600, left...) + cellXML(5470, right...))
	d.body.WriteString(`</w:tr></w:tbl>`)
}

// table writes t as a Word table with borders, its header row repeated on
// every page and the totals row in bold.
func (d *docx) table(t Table, loc *time.Location) {
	width := 9070 / max1(len(t.Columns))
	b := d.body
	b.WriteString(`<w:tbl><w:tblPr><w:tblW w:w="9070" w:type="dxa"/><w:tblBorders>`)
	for _, side := range []string{"top", "left", "bottom", "right", "insideH", "insideV"} {
		fmt.Fprintf(b, `<w:%s w:val="single" w:sz="4" w:space="0" w:color="000000"/>`, side)
	}
	b.WriteString(`</w:tblBorders></w:tblPr><w:tblGrid>`)
	for range t.Columns {
		fmt.Fprintf(b, `<w:gridCol w:w="%d"/>`, width)
	}
	b.WriteString(`</w:tblGrid><w:tr><w:trPr><w:tblHeader/></w:trPr>`)
	for _, c := range t.Columns {
		b.WriteString(cellXML(width, paraXML(c.Label, pCenter, rBold, rSize(20))))
	}
	b.WriteString(`</w:tr>`)
	for i, cells := range t.all() {
		b.WriteString(`<w:tr>`)
		for _, c := range cells {
			props := []string{rSize(20)}
			if c.Numeric() {
				props = append(props, "p:<w:jc w:val=\"right\"/>")
			}
			if t.Total != nil && i == len(t.Rows) {
				props = append(props, rBold)
			}
			b.WriteString(cellXML(width, paraXML(c.Format(loc), props...)))
		}
		b.WriteString(`</w:tr>`)
	}
	b.WriteString(`</w:tbl>`)
}

// signoff is Nơi nhận on the left, the signer on the right.
func (d *docx) signoff(p htmlPage) {
	left := []string{paraXML(p.RecipientsLabel, rBold, rItalic, rSize(24))}
	for _, r := range p.Recipients {
		left = append(left, paraXML("- "+r, rSize(22)))
	}
	right := []string{paraXML(p.SignerTitle, pCenter, rBold, rSize(26))}
	for range 4 {
		right = append(right, paraXML("", pCenter))
	}
	right = append(right, paraXML(p.SignerName, pCenter, rBold, rSize(26)))
	d.body.WriteString(`<w:p/><w:tbl><w:tblPr><w:tblW w:w="9070" w:type="dxa"/></w:tblPr><w:tblGrid><w:gridCol w:w="4200"/><w:gridCol w:w="4870"/></w:tblGrid><w:tr>`)
	d.body.WriteString(cellXML(4200, left...) + cellXML(4870, right...))
	d.body.WriteString(`</w:tr></w:tbl>`)
}

// image places a chart inline, 16 cm wide: its SVG, with its labels, for
// Word 2016 and later (the svgBlip extension), and the PNG for readers
// without SVG.
func (d *docx) image(c docxChart) {
	d.images = append(d.images, c)
	n := len(d.images)
	cx := 16 * 360000 // EMU
	cy := cx * c.h / c.w
	svg := ""
	if c.svg != nil {
		svg = fmt.Sprintf(`<a:extLst><a:ext uri="{96DAC541-7B7A-43D3-8B79-37D633B846F1}"><asvg:svgBlip xmlns:asvg="http://schemas.microsoft.com/office/drawing/2016/SVG/main" r:embed="rSvg%d"/></a:ext></a:extLst>`, n)
	}
	fmt.Fprintf(d.body, `<w:p><w:r><w:drawing><wp:inline><wp:extent cx="%d" cy="%d"/><wp:docPr id="%d" name="chart%d"/>`+
		`<a:graphic xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture">`+
		`<pic:pic xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:nvPicPr><pic:cNvPr id="%d" name="chart%d.png"/><pic:cNvPicPr/></pic:nvPicPr>`+
		`<pic:blipFill><a:blip r:embed="rImg%d">%s</a:blip><a:stretch><a:fillRect/></a:stretch></pic:blipFill>`+
		`<pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="%d" cy="%d"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>`,
		cx, cy, n, n, n, n, n, svg, cx, cy)
}

// write zips the parts.
func (d *docx) write(w io.Writer) error {
	var buf bytes.Buffer // whole first: a failure leaves no half file
	z := zip.NewWriter(&buf)
	rels := `<Relationship Id="rStyles" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>`
	for i, c := range d.images {
		rels += fmt.Sprintf(`<Relationship Id="rImg%d" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="media/chart%d.png"/>`, i+1, i+1)
		if c.svg != nil {
			rels += fmt.Sprintf(`<Relationship Id="rSvg%d" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="media/chart%d.svg"/>`, i+1, i+1)
		}
	}
	parts := []struct{ name, body string }{
		{"[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Default Extension="png" ContentType="image/png"/><Default Extension="svg" ContentType="image/svg+xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/></Types>`},
		{"_rels/.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rDoc" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`},
		{"word/_rels/document.xml.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` + rels + `</Relationships>`},
		{"word/styles.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:cs="Times New Roman" w:eastAsia="Times New Roman"/><w:sz w:val="26"/><w:lang w:val="vi-VN"/></w:rPr></w:rPrDefault></w:docDefaults></w:styles>`},
		{"word/document.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"><w:body>` +
			d.body.String() +
			// A4, margins 20 mm top and bottom, 30 mm left, 15 mm right.
			`<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1134" w:right="850" w:bottom="1134" w:left="1701" w:header="567" w:footer="567" w:gutter="0"/></w:sectPr></w:body></w:document>`},
	}
	for _, p := range parts {
		f, err := z.Create(p.name)
		if err == nil {
			_, err = io.WriteString(f, p.body)
		}
		if err != nil {
			return fmt.Errorf("write docx: %w", err)
		}
	}
	for i, c := range d.images {
		for _, part := range []struct {
			ext  string
			data []byte
		}{{"png", c.png}, {"svg", c.svg}} {
			if part.data == nil {
				continue
			}
			f, err := z.Create(fmt.Sprintf("word/media/chart%d.%s", i+1, part.ext))
			if err == nil {
				_, err = f.Write(part.data)
			}
			if err != nil {
				return fmt.Errorf("write docx: %w", err)
			}
		}
	}
	if err := z.Close(); err != nil {
		return fmt.Errorf("write docx: %w", err)
	}
	_, err := buf.WriteTo(w)
	return err
}

// docxChart is a chart for Word: the page's SVG, and a PNG of its bars
// for readers without SVG; w×h is the PNG's size in pixels.
type docxChart struct {
	title    string
	png, svg []byte
	w, h     int
}

// docxCharts are the bar charts of the printed report: planned and aired
// week by week, airtime by topic and by area (group). The heat map is a
// table (heatTable).
func docxCharts(r *Report) []docxChart {
	var out []docxChart
	var planned, aired []float64
	for _, w := range r.Weeks {
		planned, aired = append(planned, float64(w.Planned)), append(aired, float64(w.Plays))
	}
	if len(planned) > 0 {
		out = append(out, docxChart{title: label("vi", "chart_weeks"), png: pngBars(planned, aired), w: 800, h: 260,
			svg: svgFile(pairBars(label("vi", "chart_weeks"), r.Weeks, "vi"))})
	}
	c := chartBarsOf(r, "vi")
	for _, ch := range []struct {
		key  string
		bars []bar
	}{{"chart_topics", c.topics}, {"chart_groups", c.groups}} {
		if len(ch.bars) == 0 {
			continue
		}
		values := make([]float64, len(ch.bars))
		for i, b := range ch.bars {
			values[i] = b.value
		}
		title := label("vi", ch.key)
		if ch.key == "chart_topics" { // the PNG, without labels, in the order of the table
			title += " (" + label("vi", "docx_chart_order") + ")"
		}
		out = append(out, docxChart{title: title, png: pngBars(nil, values), w: 800, h: 260,
			svg: svgFile(hbars(label("vi", ch.key), ch.bars, 0))})
	}
	return out
}

// svgFile makes an inline chart a file of its own: its size in pixels
// from its viewBox instead of the page's 100 % width.
func svgFile(chart template.HTML) []byte {
	s := string(chart)
	var w, h int
	if i := strings.Index(s, `viewBox="`); i >= 0 {
		fmt.Sscanf(s[i+len(`viewBox="`):], "0 0 %d %d", &w, &h)
	}
	return []byte(strings.Replace(s, `width="100%"`, fmt.Sprintf(`width="%d" height="%d"`, w, h), 1))
}

// heatTable writes the heat map as a Word table: a row per station, a
// column per week, each cell its completion in words on the page's
// colour, so that Word and LibreOffice alike show every label.
func (d *docx) heatTable(rows []StationWeeks, weeks []WeekRow) {
	const nameW = 2200
	cellW := (9070 - nameW) / max1(len(weeks))
	b := d.body
	b.WriteString(`<w:tbl><w:tblPr><w:tblW w:w="9070" w:type="dxa"/><w:tblLayout w:type="fixed"/><w:tblBorders>`)
	for _, side := range []string{"top", "left", "bottom", "right", "insideH", "insideV"} {
		fmt.Fprintf(b, `<w:%s w:val="single" w:sz="4" w:space="0" w:color="FFFFFF"/>`, side)
	}
	fmt.Fprintf(b, `</w:tblBorders></w:tblPr><w:tblGrid><w:gridCol w:w="%d"/>`, nameW)
	for range weeks {
		fmt.Fprintf(b, `<w:gridCol w:w="%d"/>`, cellW)
	}
	b.WriteString(`</w:tblGrid><w:tr><w:trPr><w:tblHeader/></w:trPr>` + cellXML(nameW, paraXML(label("vi", "station"), rBold, rSize(16))))
	for _, w := range weeks {
		b.WriteString(cellXML(cellW, paraXML(w.Name[:min(5, len(w.Name))], pCenter, rBold, rSize(14))))
	}
	b.WriteString(`</w:tr>`)
	for _, r := range rows {
		b.WriteString(`<w:tr>` + cellXML(nameW, paraXML(r.Name, rSize(16))))
		for _, c := range r.Compliance {
			text := "—"
			if c >= 0 {
				text = percentText(c, "vi")
			}
			fmt.Fprintf(b, `<w:tc><w:tcPr><w:tcW w:w="%d" w:type="dxa"/><w:shd w:val="clear" w:color="auto" w:fill="%s"/></w:tcPr>%s</w:tc>`,
				cellW, strings.TrimPrefix(heatColour(c), "#"), paraXML(text, pCenter, rSize(14)))
		}
		b.WriteString(`</w:tr>`)
	}
	b.WriteString(`</w:tbl>`)
}

// pngBars draws vertical bars: back (light, may be nil) behind front (dark).
func pngBars(back, front []float64) []byte {
	const w, h, pad = 800, 260, 10
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	fill := func(x0, y0, x1, y1 int, c color.RGBA) {
		for y := max(0, y0); y < min(h, y1); y++ {
			for x := max(0, x0); x < min(w, x1); x++ {
				img.SetRGBA(x, y, c)
			}
		}
	}
	fill(0, 0, w, h, color.RGBA{255, 255, 255, 255})
	top := 1.0
	for _, v := range append(append([]float64{}, back...), front...) {
		top = max(top, v)
	}
	n := max1(len(front))
	slot := float64(w-2*pad) / float64(n)
	bar := func(i int, v float64, frac0, frac1 float64, c color.RGBA) {
		x := pad + int(float64(i)*slot)
		bh := int(v / top * float64(h-2*pad))
		fill(x+int(slot*frac0), h-pad-bh, x+int(slot*frac1), h-pad, c)
	}
	for i := range front {
		if back != nil {
			bar(i, back[i], 0.1, 0.48, color.RGBA{201, 214, 227, 255})
			bar(i, front[i], 0.52, 0.9, color.RGBA{47, 93, 138, 255})
		} else {
			bar(i, front[i], 0.15, 0.85, color.RGBA{91, 127, 166, 255})
		}
	}
	fill(pad, h-pad, w-pad, h-pad+1, color.RGBA{0, 0, 0, 255})
	var buf bytes.Buffer
	png.Encode(&buf, img)
	return buf.Bytes()
}
