package report

import (
	"fmt"
	"html"
	"html/template"
	"strings"
	"unicode/utf8"
)

// A bar is one labelled value of a chart.
type bar struct {
	label string
	value float64
	text  string // the value as printed beside the bar
}

// hbars draws a horizontal bar chart as inline SVG, scaled to max (the
// largest value when max is 0). It prints in black and white too: bars are
// a mid grey with the value written beside them.
func hbars(title string, bars []bar, max float64) template.HTML {
	const width, labelW, textW = 680, 260, 70
	rowH := 18
	if len(bars) > 40 {
		rowH = 11
	}
	for _, b := range bars {
		if b.value > max {
			max = b.value
		}
	}
	height := 24 + rowH*len(bars) + 6
	var sb strings.Builder
	fmt.Fprintf(&sb, `<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 %d %d" width="100%%" role="img" aria-label="%s">`, width, height, html.EscapeString(title))
	fmt.Fprintf(&sb, `<text x="0" y="14" class="ct" font-size="12" font-weight="bold">%s</text>`, html.EscapeString(title))
	for i, b := range bars {
		y := 24 + i*rowH
		w := 0.0
		if max > 0 {
			w = b.value / max * (width - labelW - textW)
		}
		fmt.Fprintf(&sb, `<text x="%d" y="%d" class="cl" font-size="10" text-anchor="end">%s</text>`, labelW-6, y+rowH-5, html.EscapeString(clip(b.label, 42)))
		fmt.Fprintf(&sb, `<rect x="%d" y="%d" width="%.1f" height="%d" fill="#5b7fa6"/>`, labelW, y+2, w, rowH-4)
		fmt.Fprintf(&sb, `<text x="%.1f" y="%d" class="cv" font-size="10">%s</text>`, float64(labelW)+w+4, y+rowH-5, html.EscapeString(b.text))
	}
	sb.WriteString(`</svg>`)
	return template.HTML(sb.String())
}

// vbars draws a vertical bar chart (months) as inline SVG.
func vbars(title string, bars []bar) template.HTML {
	const width, height, top, bottom = 680, 220, 24, 40
	max := 0.0
	for _, b := range bars {
		if b.value > max {
			max = b.value
		}
	}
	slot := float64(width) / float64(max1(len(bars)))
	var sb strings.Builder
	fmt.Fprintf(&sb, `<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 %d %d" width="100%%" role="img" aria-label="%s">`, width, height, html.EscapeString(title))
	fmt.Fprintf(&sb, `<text x="0" y="14" class="ct" font-size="12" font-weight="bold">%s</text>`, html.EscapeString(title))
	plot := float64(height - top - bottom - 14)
	for i, b := range bars {
		h := 0.0
		if max > 0 {
			h = b.value / max * plot
		}
		x := float64(i)*slot + slot*0.2
		y := float64(height-bottom) - h
		fmt.Fprintf(&sb, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="#5b7fa6"/>`, x, y, slot*0.6, h)
		fmt.Fprintf(&sb, `<text x="%.1f" y="%.1f" class="cv" font-size="10" text-anchor="middle">%s</text>`, x+slot*0.3, y-4, html.EscapeString(b.text))
		fmt.Fprintf(&sb, `<text x="%.1f" y="%d" class="cl" font-size="10" text-anchor="middle">%s</text>`, x+slot*0.3, height-bottom+16, html.EscapeString(clip(b.label, 16)))
	}
	sb.WriteString(`</svg>`)
	return template.HTML(sb.String())
}

func max1(n int) int { return max(n, 1) }

// clip shortens s to n characters with an ellipsis.
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n-1]) + "…"
}

// Charts draws the report's charts as inline SVG, in lang: planned and
// aired week by week, airtime by topic, by area (group) and by month, each
// station's completion by week (a heat map) and over the period. Airtime is written h:mm:ss,
// as in the tables (a quarter of short items is not "0,0 h").
func Charts(r *Report, lang string) []template.HTML {
	c := chartBarsOf(r, lang)
	out := []template.HTML{
		pairBars(label(lang, "chart_weeks"), r.Weeks, lang),
		hbars(label(lang, "chart_topics"), c.topics, 0),
	}
	if len(c.groups) > 0 {
		out = append(out, hbars(label(lang, "chart_groups"), c.groups, 0))
	}
	return append(out, vbars(label(lang, "chart_months"), c.months),
		heatMap(label(lang, "chart_heat"), r.Heat, r.Weeks, lang),
		hbars(label(lang, "chart_stations"), c.stations, 1))
}

// chartBars are the labelled values of the report's bar charts.
type chartBars struct{ topics, months, stations, groups []bar }

func chartBarsOf(r *Report, lang string) chartBars {
	var c chartBars
	for _, t := range r.Topics {
		name := t.Name
		if lang == "en" && t.NameEn != "" {
			name = t.NameEn
		}
		c.topics = append(c.topics, bar{name, float64(t.Airtime), t.Airtime.HMS()})
	}
	for _, m := range r.Months {
		c.months = append(c.months, bar{m.name(lang), float64(m.Airtime), m.Airtime.HMS()})
	}
	for _, s := range r.Stations {
		b := bar{label: s.Name, value: max(0, s.Compliance), text: pct(s.Compliance).Format(nil)}
		if s.Compliance < 0 {
			b.text = "—"
		}
		c.stations = append(c.stations, b)
	}
	for _, g := range r.Groups {
		c.groups = append(c.groups, bar{g.Name, float64(g.Airtime), g.Airtime.HMS()})
	}
	return c
}
