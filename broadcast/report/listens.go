package report

import (
	"cmp"
	"slices"

	"loa/internal/ward"
)

// Nghe lại trên mạng: the public bulletins heard online (broadcast/podcast
// counts them), beside the loudspeakers' airtime.

// ListenRow is one bulletin's online listens in a period.
type ListenRow struct {
	SegmentID string `json:"segment_id"`
	Title     string `json:"title"`
	Topic     string `json:"topic"`
	Listens   int    `json:"listens"`
}

// Listens reads the online listens of the ward days first..last, most
// listened first.
type Listens func(first, last ward.Day) ([]ListenRow, error)

// listenFigures fills the report's online listens, for the period and the
// one before.
func (b *Builder) listenFigures(r *Report, p Period) error {
	if b.Listens == nil { // a ward without the public site
		return nil
	}
	var err error
	if r.Listens, err = b.Listens(p.From, p.To); err != nil {
		return err
	}
	r.PrevListens, err = b.Listens(p.Previous().From, p.Previous().To)
	if r.Listens == nil {
		r.Listens = []ListenRow{} // a section that says none were heard
	}
	return err
}

func listensTable(r *Report, lang string) Table {
	t := Table{ID: "listens", Title: label(lang, "sheet_listens"),
		Columns: sums(columns(lang, []float64{6, 12, 60, 22, 14}, "no", "item_id", "title", "topic", "listens"), "listens")}
	topic := topicNames(r, lang)
	total := 0
	for i, x := range r.Listens {
		t.Rows = append(t.Rows, row(num(i+1), idCell(x.SegmentID), txt(x.Title), txt(topic(x.Topic)), num(x.Listens)))
		total += x.Listens
	}
	t.Total = row(txt(""), txt(""), txt(label(lang, "total")), txt(""), num(total))
	return t
}

func listenTopicsTable(r *Report, lang string) Table {
	t := Table{ID: "listen_topics", Title: label(lang, "sheet_listen_topics"),
		Columns: sums(columns(lang, []float64{60, 14, 14}, "topic", "listens", "previous_listens"), "listens", "previous_listens")}
	cur, prev := byListenTopic(r.Listens), byListenTopic(r.PrevListens)
	var topics []string
	for k := range cur {
		topics = append(topics, k)
	}
	for k := range prev {
		if _, ok := cur[k]; !ok {
			topics = append(topics, k)
		}
	}
	slices.SortFunc(topics, func(a, b string) int {
		return cmp.Or(cmp.Compare(cur[b], cur[a]), cmp.Compare(prev[b], prev[a]), cmp.Compare(a, b))
	})
	name := topicNames(r, lang)
	var c, p int
	for _, k := range topics {
		t.Rows = append(t.Rows, row(txt(name(k)), num(cur[k]), num(prev[k])))
		c, p = c+cur[k], p+prev[k]
	}
	t.Total = row(txt(label(lang, "total")), num(c), num(p))
	return t
}

func byListenTopic(rows []ListenRow) map[string]int {
	out := map[string]int{}
	for _, x := range rows {
		out[x.Topic] += x.Listens
	}
	return out
}
