package library

import (
	"slices"
	"testing"
)

// TestSearchMatchesWordsNotInsideThem: a searched word matches the start
// of a word of the title or description, so "ho so" (hồ sơ) finds the
// records item and not "Thông báo khẩn: bão số 5", whose "thông" holds
// "ho" (issue 17 item 12).
func TestSearchMatchesWordsNotInsideThem(t *testing.T) {
	st := newTestStore(t)
	for _, title := range []string{"Hướng dẫn nộp hồ sơ trực tuyến", "Thông báo khẩn: bão số 5", "Hồ sơ đất đai"} {
		s := validSegment()
		s.Title = title
		if _, err := st.Create(s, "x"); err != nil {
			t.Fatal(err)
		}
	}
	for _, tt := range []struct {
		q    string
		want []string
	}{
		{"ho so", []string{"Hồ sơ đất đai", "Hướng dẫn nộp hồ sơ trực tuyến"}},
		{"HỒ SƠ", []string{"Hồ sơ đất đai", "Hướng dẫn nộp hồ sơ trực tuyến"}},
		{"bao so 5", []string{"Thông báo khẩn: bão số 5"}},
		{"truc tuy", []string{"Hướng dẫn nộp hồ sơ trực tuyến"}}, // a word's beginning is enough
		{"khan", []string{"Thông báo khẩn: bão số 5"}},           // after punctuation too
	} {
		list, err := st.List(Filter{Query: tt.q})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, s := range list {
			got = append(got, s.Title)
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("%q found %q, want %q", tt.q, got, tt.want)
		}
	}
}
