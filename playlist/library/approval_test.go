package library

import (
	"errors"
	"testing"
)

func TestEditOfSubmittedItemReturnsToDraftInItsHistory(t *testing.T) {
	st := newTestStore(t)
	s, _ := st.Create(validSegment(), "bientap")
	s, _ = st.Do(s.ID, ActionSubmit, "bientap", "")
	s, err := st.Edit(s.ID, s.Revision, "bientap", func(s *Segment) { s.Level = LevelPriority })
	if err != nil {
		t.Fatal(err)
	}
	last := s.History[len(s.History)-1]
	if s.Status != StatusDraft || last.Action != ActionEdit || last.From != StatusSubmitted || last.By != "bientap" {
		t.Fatalf("after editing a submitted item: %s, last %+v", s.Status, last)
	}
	if _, err := st.Do(s.ID, ActionApprove, "lanhdao", ""); !errors.Is(err, ErrTransition) {
		t.Fatalf("approving the edited draft: %v", err)
	}
	// A draft's edits are in its history too.
	s, _ = st.Edit(s.ID, s.Revision, "bientap", func(s *Segment) { s.Title = "Tiêu đề khác" })
	if last := s.History[len(s.History)-1]; last.Action != ActionEdit || last.From != StatusDraft || last.To != StatusDraft {
		t.Fatalf("a draft's edit: %+v", last)
	}
}

func TestApprovalNamesTheRevisionTheApproverSaw(t *testing.T) {
	st := newTestStore(t)
	s, _ := st.Create(validSegment(), "bientap")
	s, _ = st.Do(s.ID, ActionSubmit, "bientap", "")
	seen := s.Revision
	var fe *FieldError
	if _, err := st.Review(s.ID, ActionApprove, "lanhdao", "", Review{Revision: seen - 1}); !errors.As(err, &fe) || fe.Code != CodeStale {
		t.Fatalf("approving an older revision: %v", err)
	}
	s, err := st.Review(s.ID, ActionApprove, "lanhdao", "", Review{Revision: seen})
	if err != nil {
		t.Fatal(err)
	}
	if last := s.History[len(s.History)-1]; s.Status != StatusApproved || last.Revision != seen {
		t.Fatalf("approval: %s, last %+v (want revision %d)", s.Status, last, seen)
	}
}

func TestNoSelfApproval(t *testing.T) {
	st := newTestStore(t)
	s, _ := st.Create(validSegment(), "lanhdao")
	s, _ = st.Do(s.ID, ActionSubmit, "lanhdao", "")
	rule := Review{NoSelfApproval: true}
	if _, err := st.Review(s.ID, ActionApprove, "lanhdao", "", rule); !errors.Is(err, ErrSelfApproval) {
		t.Fatalf("the uploader approving: %v", err)
	}
	// Someone who only submitted or edited it may not approve it either.
	other, _ := st.Create(validSegment(), "bientap")
	other, _ = st.Edit(other.ID, other.Revision, "pho-phong", func(s *Segment) { s.Title = "Sửa" })
	other, _ = st.Do(other.ID, ActionSubmit, "bientap", "")
	if _, err := st.Review(other.ID, ActionApprove, "pho-phong", "", rule); !errors.Is(err, ErrSelfApproval) {
		t.Fatalf("the editor approving: %v", err)
	}
	if s, err := st.Review(s.ID, ActionApprove, "chu-tich", "", rule); err != nil || s.Status != StatusApproved {
		t.Fatalf("another approver: %v", err)
	}
	// Without the rule (a ward with one approver), one may approve one's own.
	third, _ := st.Create(validSegment(), "lanhdao")
	third, _ = st.Do(third.ID, ActionSubmit, "lanhdao", "")
	if _, err := st.Review(third.ID, ActionApprove, "lanhdao", "", Review{}); err != nil {
		t.Fatal(err)
	}
}
