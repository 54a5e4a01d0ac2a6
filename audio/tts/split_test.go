package tts

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestSplit(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		text string
		max  int
		want []Piece
	}{
		{"sentences packed", "Một. Hai! Ba?", 0, []Piece{{"Một. Hai! Ba?", true}}},
		{"packed up to the limit", "Câu thứ nhất. Câu thứ hai. Câu thứ ba.", 27,
			[]Piece{{"Câu thứ nhất. Câu thứ hai.", true}, {"Câu thứ ba.", true}}},
		{"lines are sentences", "Thông báo\nNội dung", 10, []Piece{{"Thông báo", true}, {"Nội dung", true}}},
		{"marks only are dropped", "Một. . ! Hai.", 5, []Piece{{"Một.", true}, {"Hai.", true}}},
		{"long sentence cut after a comma", "mười hai chữ cái ở đây, và phần sau nữa.", 25,
			[]Piece{{"mười hai chữ cái ở đây,", false}, {"và phần sau nữa.", true}}},
		{"no comma: cut between words", "một hai ba bốn năm sáu bảy tám chín mười", 16,
			[]Piece{{"một hai ba bốn", false}, {"năm sáu bảy tám", false}, {"chín mười", true}}},
		{"a cut sentence is not packed with the next", "một hai ba bốn năm sáu. Bảy.", 16,
			[]Piece{{"một hai ba bốn", false}, {"năm sáu.", true}, {"Bảy.", true}}},
		{"empty", " \n ", 0, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Split(tt.text, tt.max)
			if len(got) != len(tt.want) {
				t.Fatalf("Split = %+v, want %+v", got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Errorf("piece %d = %+v, want %+v", i, got[i], tt.want[i])
				}
			}
		})
	}
}

func TestSplitKeepsEveryWordWithinTheLimit(t *testing.T) {
	t.Parallel()
	text := strings.Repeat("Ủy ban nhân dân phường thông báo lịch tiếp công dân, ", 40)
	pieces := Split(text, 120)
	var words []string
	for _, p := range pieces {
		if n := utf8.RuneCountInString(p.Text); n > 120 {
			t.Errorf("piece of %d characters", n)
		}
		words = append(words, strings.Fields(p.Text)...)
	}
	if want := strings.Fields(text); len(words) != len(want) {
		t.Errorf("%d words after splitting, want %d", len(words), len(want))
	}
}
