package report

import (
	"fmt"
	"html"
	"html/template"
	"strings"
)

// pairBars draws planned against aired, week by week, as inline SVG: a
// light bar for what was planned, a dark one for what went on air.
func pairBars(title string, rows []WeekRow, lang string) template.HTML {
	const width, height, top, bottom = 680, 230, 34, 40
	top1 := 1.0
	for _, r := range rows {
		top1 = max(top1, float64(r.Planned), float64(r.Plays))
	}
	slot := float64(width) / float64(max1(len(rows)))
	plot := float64(height - top - bottom)
	var sb strings.Builder
	fmt.Fprintf(&sb, `<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 %d %d" width="100%%" role="img" aria-label="%s">`, width, height, html.EscapeString(title))
	fmt.Fprintf(&sb, `<text x="0" y="14" font-size="12" font-weight="bold">%s</text>`, html.EscapeString(title))
	fmt.Fprintf(&sb, `<rect x="0" y="20" width="10" height="8" fill="#c9d6e3" stroke="#5b7fa6"/><text x="14" y="28" font-size="10">%s</text>`, label(lang, "planned"))
	fmt.Fprintf(&sb, `<rect x="120" y="20" width="10" height="8" fill="#2f5d8a"/><text x="134" y="28" font-size="10">%s</text>`, label(lang, "on_air"))
	for i, r := range rows {
		x := float64(i) * slot
		for j, v := range []int{r.Planned, r.Plays} {
			h := float64(v) / top1 * plot
			fill := `fill="#c9d6e3" stroke="#5b7fa6"`
			if j == 1 {
				fill = `fill="#2f5d8a"`
			}
			fmt.Fprintf(&sb, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" %s><title>%s: %d</title></rect>`,
				x+slot*(0.12+0.38*float64(j)), float64(height-bottom)-h, slot*0.36, h, fill, html.EscapeString(r.Name), v)
		}
		if len(rows) <= 14 || i%2 == 0 {
			fmt.Fprintf(&sb, `<text x="%.1f" y="%d" font-size="9" text-anchor="middle">%s</text>`, x+slot/2, height-bottom+14, html.EscapeString(r.Name))
		}
	}
	sb.WriteString(`</svg>`)
	return template.HTML(sb.String())
}

// heatColours shade completion from none (red) to full (green); no figure
// is light grey.
var heatColours = []string{"#cf222e", "#fb8f44", "#d4a72c", "#8fd694", "#1a7f37"}

func heatColour(c float64) string {
	if c < 0 {
		return "#eaeef2"
	}
	return heatColours[min(len(heatColours)-1, int(c*float64(len(heatColours))))]
}

// heatMap draws each station's completion week by week as a grid of
// coloured cells, the share written in each cell's tooltip.
func heatMap(title string, rows []StationWeeks, weeks []WeekRow, lang string) template.HTML {
	const labelW, width, cellH, top = 200, 680, 12, 40
	cols := max1(len(weeks))
	cellW := float64(width-labelW) / float64(cols)
	height := top + cellH*len(rows) + 8
	var sb strings.Builder
	fmt.Fprintf(&sb, `<svg xmlns="http://www.w3.org/2000/svg" class="chart heat" viewBox="0 0 %d %d" width="100%%" role="img" aria-label="%s">`, width, height, html.EscapeString(title))
	fmt.Fprintf(&sb, `<text x="0" y="14" font-size="12" font-weight="bold">%s</text>`, html.EscapeString(title))
	for i, c := range []float64{0, 0.4, 0.6, 0.8, 1, -1} {
		text := percentText(c, lang)
		if c < 0 {
			text = "—"
		}
		fmt.Fprintf(&sb, `<rect x="%d" y="20" width="10" height="8" fill="%s"/><text x="%d" y="28" font-size="9">%s</text>`, 260+i*60, heatColour(c), 274+i*60, text)
	}
	for w, wk := range weeks {
		if len(weeks) <= 14 || w%2 == 0 {
			fmt.Fprintf(&sb, `<text x="%.1f" y="%d" font-size="8" text-anchor="middle">%s</text>`, float64(labelW)+cellW*(float64(w)+0.5), top-2, html.EscapeString(wk.Name[:5]))
		}
	}
	for i, r := range rows {
		y := top + i*cellH
		fmt.Fprintf(&sb, `<text x="%d" y="%d" font-size="9" text-anchor="end">%s</text>`, labelW-4, y+cellH-3, html.EscapeString(clip(r.Name, 36)))
		for w, c := range r.Compliance {
			text := "—"
			if c >= 0 {
				text = percentText(c, lang)
			}
			fmt.Fprintf(&sb, `<rect x="%.1f" y="%d" width="%.1f" height="%d" fill="%s" stroke="#fff"><title>%s, %s: %s</title></rect>`,
				float64(labelW)+cellW*float64(w), y, cellW, cellH, heatColour(c), html.EscapeString(r.Name), html.EscapeString(weeks[w].Name), text)
		}
	}
	sb.WriteString(`</svg>`)
	return template.HTML(sb.String())
}
