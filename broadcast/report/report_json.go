package report

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"time"
)

// WriteJSON writes the report as indented JSON: English field names,
// airtime in seconds, shares 0–1 (compliance -1 when nothing was due),
// instants in RFC 3339 UTC, period names in Vietnamese and English; and,
// under "tables", the same tables the page and the files show (Tables, in
// Vietnamese), each row's values under its column keys' positions.
func WriteJSON(w io.Writer, r *Report) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	out := struct {
		*Report
		Tables []Table `json:"tables"`
	}{r, Tables(r, "vi")}
	if err := enc.Encode(out); err != nil {
		return fmt.Errorf("write json: %w", err)
	}
	return nil
}

// MarshalJSON writes a table as its id, title, columns (key and label) and
// rows of plain values.
func (t Table) MarshalJSON() ([]byte, error) {
	type col struct {
		Key   string `json:"key"`
		Label string `json:"label"`
	}
	v := struct {
		ID      string  `json:"id"`
		Title   string  `json:"title"`
		Columns []col   `json:"columns"`
		Rows    [][]any `json:"rows"`
		Total   []any   `json:"total,omitempty"`
	}{ID: t.ID, Title: t.Title, Rows: make([][]any, len(t.Rows))}
	for _, c := range t.Columns {
		v.Columns = append(v.Columns, col{c.Key, c.Label})
	}
	for i, r := range t.Rows {
		v.Rows[i] = values(r)
	}
	if t.Total != nil {
		v.Total = values(t.Total)
	}
	return json.Marshal(v)
}

// values are cells as JSON values: counts, seconds, shares 0–1 (null for no
// figure), RFC 3339 instants, text.
func values(cells []Cell) []any {
	out := make([]any, len(cells))
	for i, c := range cells {
		switch c.Kind {
		case CellInt:
			out[i] = c.Int
		case CellDuration:
			out[i] = math.Round(c.Dur.Seconds()*1000) / 1000
		case CellPercent:
			if c.Share >= 0 {
				out[i] = c.Share
			}
		case CellTime, CellTimeSec:
			out[i] = c.At.UTC().Format(time.RFC3339)
		default:
			out[i] = c.Text
		}
	}
	return out
}
