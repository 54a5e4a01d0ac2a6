package sim

import (
	"context"
	"fmt"
)

// programme is a programme as the API takes it.
type programme struct {
	ID      string         `json:"id"`
	Name    string         `json:"name"`
	Targets map[string]any `json:"targets"`
	IntroID uint64         `json:"intro_id,omitempty"`
	Slots   []slot         `json:"slots"`
}

type slot struct {
	ID      string   `json:"id"`
	Kind    string   `json:"kind"`
	Days    []int    `json:"days,omitempty"`
	Date    string   `json:"date,omitempty"`
	Start   string   `json:"start"`
	Minutes int      `json:"minutes"`
	Topics  []string `json:"topics,omitempty"`
}

// seedProgrammes sets the ward's week: the morning and evening bulletins
// and the Thursday evening CCHC column, for every station.
func (w *ward) seedProgrammes(ctx context.Context) error {
	all := map[string]any{"all": true}
	list := []programme{
		{ID: "sang", Name: "Bản tin buổi sáng", Targets: all, IntroID: w.jingleID(),
			Slots: []slot{{ID: "sang", Kind: "announcements", Days: []int{1, 2, 3, 4, 5, 6}, Start: "06:00", Minutes: 10}}},
		{ID: "chieu", Name: "Bản tin buổi chiều", Targets: all, IntroID: w.jingleID(),
			Slots: []slot{{ID: "chieu", Kind: "announcements", Days: []int{0, 1, 2, 3, 4, 5, 6}, Start: "17:30", Minutes: 10}}},
		{ID: "cchc", Name: "Chuyên mục Cải cách hành chính", Targets: all, IntroID: w.jingleID(),
			Slots: []slot{{ID: "thu-nam", Kind: "column", Days: []int{4}, Start: "19:00", Minutes: 10, Topics: wardTopics[:4]}}},
	}
	for _, p := range list {
		if err := w.putProgramme(ctx, p); err != nil {
			return err
		}
	}
	return nil
}

func (w *ward) putProgramme(ctx context.Context, p programme) error {
	if err := w.op.call(ctx, "PUT", "/api/programmes/"+p.ID, p, nil); err != nil {
		return fmt.Errorf("programme %s: %w", p.ID, err)
	}
	w.progs[p.ID] = p
	return nil
}
