package report

import (
	"cmp"
	"math"
	"slices"
	"time"
)

// apportion rounds the rows of every summed column so that, as shown, they
// add up to the total: the total is the unrounded rows' sum rounded once,
// and the rows are rounded by largest remainder (six items of 3.4 s show as
// four of 0:00:03 and two of 0:00:04 beside a total of 0:00:20, not six of
// 0:00:03 beside it).
func (t *Table) apportion() {
	if t.Total == nil {
		return
	}
	for c, col := range t.Columns {
		if !col.Sums || c >= len(t.Total) {
			continue
		}
		switch t.Total[c].Kind {
		case CellDuration:
			t.roundColumn(c, float64(time.Second), func(x *Cell) *float64 { v := float64(x.Dur); return &v },
				func(x *Cell, units int64) { x.Dur = time.Duration(units) * time.Second })
		case CellPercent:
			if t.Total[c].Share == 1 {
				t.roundColumn(c, 0.001, func(x *Cell) *float64 { v := x.Share; return &v },
					func(x *Cell, units int64) { x.Share = float64(units) / 1000 })
			}
		}
	}
}

// roundColumn rounds column c to whole units of unit, rows by largest
// remainder to the rounded total.
func (t *Table) roundColumn(c int, unit float64, get func(*Cell) *float64, set func(*Cell, int64)) {
	vals := make([]float64, len(t.Rows))
	for i, r := range t.Rows {
		if c >= len(r) || r[c].Kind != t.Total[c].Kind || *get(&r[c]) < 0 {
			return // not a plain column of figures: leave it
		}
		vals[i] = *get(&r[c]) / unit
	}
	target := int64(math.Round(*get(&t.Total[c]) / unit))
	for i, units := range largestRemainder(vals, target) {
		set(&t.Rows[i][c], units)
	}
	set(&t.Total[c], target)
}

// largestRemainder rounds vals down, then gives the units left to reach
// target to the largest fractional parts (earlier rows first on ties).
func largestRemainder(vals []float64, target int64) []int64 {
	out := make([]int64, len(vals))
	order := make([]int, len(vals))
	left := target
	for i, v := range vals {
		out[i], order[i] = int64(math.Floor(v)), i
		left -= out[i]
	}
	slices.SortStableFunc(order, func(a, b int) int {
		return cmp.Compare(vals[b]-math.Floor(vals[b]), vals[a]-math.Floor(vals[a]))
	})
	for _, i := range order {
		if left <= 0 {
			break
		}
		out[i]++
		left--
	}
	return out
}
