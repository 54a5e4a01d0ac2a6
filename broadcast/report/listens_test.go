package report

import (
	"bytes"
	"strings"
	"testing"

	"loa/internal/ward"
)

// The online listens ("Nghe lại trên mạng") are a section of every export
// when the ward has the public site, by bulletin and by topic with the
// previous period beside them, and absent when it has none.
func TestListensSection(t *testing.T) {
	calls := map[ward.Day]bool{}
	b := &Builder{Listens: func(first, last ward.Day) ([]ListenRow, error) {
		calls[first] = true
		if first == "2026-10-01" {
			return []ListenRow{{SegmentID: "12", Title: "VNeID mức 2", Topic: "cchc-tthc", Listens: 40},
				{SegmentID: "7", Title: "Tiêm chủng", Topic: "y-te", Listens: 5}}, nil
		}
		return []ListenRow{{SegmentID: "3", Title: "Một cửa", Topic: "cchc-tthc", Listens: 9}}, nil
	}}
	p, err := ParsePeriod("2026-Q4")
	if err != nil {
		t.Fatal(err)
	}
	r := &Report{Period: infoOf(p), Previous: infoOf(p.Previous()),
		Topics: []TopicRow{{ID: "cchc-tthc", Name: "Thủ tục hành chính"}, {ID: "y-te", Name: "Y tế"}}}
	if err := b.listenFigures(r, p); err != nil {
		t.Fatal(err)
	}
	if !calls["2026-10-01"] || !calls["2026-07-01"] {
		t.Fatalf("listens asked for %v, want Q4 and Q3", calls)
	}
	tables := map[string]Table{}
	for _, tb := range Tables(r, "vi") {
		tables[tb.ID] = tb
	}
	byItem, byTopic := tables["listens"], tables["listen_topics"]
	if byItem.Title != "Nghe lại trên mạng" || len(byItem.Rows) != 2 || byItem.Total[4].Int != 45 {
		t.Errorf("by item: %+v", byItem)
	}
	if len(byTopic.Rows) != 2 || byTopic.Rows[0][0].Text != "Thủ tục hành chính" || byTopic.Rows[0][1].Int != 40 || byTopic.Rows[0][2].Int != 9 ||
		byTopic.Total[1].Int != 45 || byTopic.Total[2].Int != 9 {
		t.Errorf("by topic: %+v", byTopic)
	}
	var csv bytes.Buffer
	if err := Write(&csv, r, "csv", "vi"); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(csv.String(), "Nghe lại trên mạng") || !strings.Contains(csv.String(), "VNeID mức 2") {
		t.Errorf("the CSV has no listens section")
	}

	none := &Report{Period: infoOf(p), Previous: infoOf(p.Previous())}
	if err := (&Builder{}).listenFigures(none, p); err != nil {
		t.Fatal(err)
	}
	for _, tb := range Tables(none, "vi") {
		if strings.HasPrefix(tb.ID, "listen") {
			t.Errorf("a ward without the public site has a %s table", tb.ID)
		}
	}
}
