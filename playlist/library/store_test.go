package library

import (
	"errors"
	"path/filepath"
	"testing"
	"time"

	"go.etcd.io/bbolt"
)

func newTestStore(t *testing.T) *Store {
	t.Helper()
	db, err := bbolt.Open(filepath.Join(t.TempDir(), "loa.db"), 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	st, err := Open(db)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func validSegment() Segment {
	return Segment{
		Title:   "  Thông báo lịch tiếp công dân  ",
		Topic:   "cchc-tthc",
		Level:   LevelOrdinary,
		Targets: Targets{All: true},
		Audio:   Audio{SHA256: "ab12", Format: "mp3", DurationMS: 30_000},
	}
}

func TestCreateNormalisesAndStartsAsDraft(t *testing.T) {
	st := newTestStore(t)
	// "Thông" typed in decomposed form (o + combining circumflex) by some keyboards.
	s := validSegment()
	s.Title = "Tho\u0302ng báo  "
	got, err := st.Create(s, "bientap")
	if err != nil {
		t.Fatal(err)
	}
	if got.ID == 0 || got.Status != StatusDraft || got.Revision != 1 || got.CreatedBy != "bientap" {
		t.Fatalf("created = %+v", got)
	}
	if got.Title != "Thông báo" {
		t.Errorf("title = %q, want NFC and trimmed", got.Title)
	}
	again, err := st.Segment(got.ID)
	if err != nil || again.Title != got.Title {
		t.Fatalf("read back %+v, %v", again, err)
	}
}

func TestCreateRejectsBadFields(t *testing.T) {
	st := newTestStore(t)
	tests := []struct {
		field, code string
		change      func(*Segment)
	}{
		{"title", CodeRequired, func(s *Segment) { s.Title = "   " }},
		{"topic", CodeUnknownTopic, func(s *Segment) { s.Topic = "khong-co" }},
		{"level", CodeInvalid, func(s *Segment) { s.Level = "urgent" }},
		{"valid_from", CodeInvalid, func(s *Segment) { s.ValidFrom = "31/02/2026" }},
		{"valid_to", CodeDateOrder, func(s *Segment) { s.ValidFrom, s.ValidTo = "2026-12-01", "2026-11-01" }},
		{"targets", CodeNoTargets, func(s *Segment) { s.Targets = Targets{Groups: []string{" "}} }},
		{"min_per_day", CodeLimitOrder, func(s *Segment) { s.Limits = Limits{MinPerDay: 5, MaxPerDay: 2} }},
		{"audio", CodeRequired, func(s *Segment) { s.Audio.SHA256 = "" }},
	}
	for _, tt := range tests {
		s := validSegment()
		tt.change(&s)
		_, err := st.Create(s, "x")
		var fe *FieldError
		if !errors.As(err, &fe) || fe.Field != tt.field || fe.Code != tt.code {
			t.Errorf("%s: err = %v, want %s/%s", tt.field, err, tt.field, tt.code)
		}
	}
	if list, _ := st.List(Filter{}); len(list) != 0 {
		t.Errorf("rejected segments were stored: %d", len(list))
	}
}

func TestLifecycleRecordsWhoAndWhen(t *testing.T) {
	st := newTestStore(t)
	at := time.Date(2026, 11, 28, 3, 0, 0, 0, time.UTC)
	st.now = func() time.Time { return at }
	s, _ := st.Create(validSegment(), "bientap")

	if _, err := st.Do(s.ID, ActionApprove, "lanhdao", ""); !errors.Is(err, ErrTransition) {
		t.Fatalf("approve a draft: %v, want ErrTransition", err)
	}
	if _, err := st.Do(s.ID, ActionSubmit, "bientap", ""); err != nil {
		t.Fatal(err)
	}
	var fe *FieldError
	if _, err := st.Do(s.ID, ActionReject, "lanhdao", ""); !errors.As(err, &fe) || fe.Field != "comment" {
		t.Fatalf("reject without a reason: %v", err)
	}
	s, err := st.Do(s.ID, ActionApprove, "lanhdao", "Đồng ý")
	if err != nil {
		t.Fatal(err)
	}
	last := s.History[len(s.History)-1]
	if s.Status != StatusApproved || last.By != "lanhdao" || !last.At.Equal(at) || last.Comment != "Đồng ý" {
		t.Fatalf("after approve: %+v", s)
	}
	approved, _ := st.Approved()
	if len(approved) != 1 {
		t.Fatalf("approved = %d segments", len(approved))
	}

	// Editing an approved segment sends it back for approval.
	s, err = st.Edit(s.ID, s.Revision, "bientap", func(s *Segment) { s.Title = "Tiêu đề mới" })
	if err != nil {
		t.Fatal(err)
	}
	if s.Status != StatusSubmitted || s.History[len(s.History)-1].Action != ActionEdit {
		t.Fatalf("edit after approval: status %s", s.Status)
	}
	if approved, _ := st.Approved(); len(approved) != 0 {
		t.Fatalf("an edited, unapproved segment is still schedulable")
	}
}

func TestEditRefusesStaleRevision(t *testing.T) {
	st := newTestStore(t)
	s, _ := st.Create(validSegment(), "a")
	if _, err := st.Edit(s.ID, s.Revision, "a", func(s *Segment) { s.Title = "Một" }); err != nil {
		t.Fatal(err)
	}
	_, err := st.Edit(s.ID, s.Revision, "b", func(s *Segment) { s.Title = "Hai" })
	var fe *FieldError
	if !errors.As(err, &fe) || fe.Code != CodeStale {
		t.Fatalf("stale edit: %v", err)
	}
	got, _ := st.Segment(s.ID)
	if got.Title != "Một" {
		t.Errorf("title = %q: the stale edit overwrote the first", got.Title)
	}
}

func TestListFiltersAndSearchesWithoutAccents(t *testing.T) {
	st := newTestStore(t)
	a := validSegment()
	a.Title = "Cải cách thủ tục hành chính"
	b := validSegment()
	b.Title, b.Topic, b.Level = "Đăng ký tạm trú qua VNeID", "cchc-dvc-truc-tuyen", LevelPriority
	b.ValidFrom, b.ValidTo = "2026-12-01", "2026-12-31"
	for _, s := range []Segment{a, b} {
		if _, err := st.Create(s, "x"); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		f    Filter
		want []string
	}{
		{Filter{Query: "cai cach"}, []string{a.Title}},
		{Filter{Query: "dang ky vneid"}, []string{b.Title}},
		{Filter{Level: LevelPriority}, []string{b.Title}},
		{Filter{ValidOn: "2026-11-28"}, []string{a.Title}},
		{Filter{}, []string{b.Title, a.Title}},
	}
	for _, tt := range tests {
		list, err := st.List(tt.f)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, s := range list {
			got = append(got, s.Title)
		}
		if len(got) != len(tt.want) || (len(got) > 0 && got[0] != tt.want[0]) {
			t.Errorf("List(%+v) = %q, want %q", tt.f, got, tt.want)
		}
	}
}

func TestTopicsSeededOnceAndEditable(t *testing.T) {
	st := newTestStore(t)
	topics, err := st.Topics()
	if err != nil || len(topics) != len(seedTopics) || topics[0].ID != "cchc-chinh-sach" {
		t.Fatalf("topics = %d, %v", len(topics), err)
	}
	if err := st.PutTopic(Topic{ID: "an-ninh", Name: "An ninh trật tự", Order: 99}); err != nil {
		t.Fatal(err)
	}
	var fe *FieldError
	if err := st.PutTopic(Topic{ID: "Có dấu", Name: "x"}); !errors.As(err, &fe) || fe.Field != "id" {
		t.Fatalf("bad slug: %v", err)
	}
	// Opening again must not re-seed or lose the added topic.
	again, err := Open(st.db)
	if err != nil {
		t.Fatal(err)
	}
	topics, _ = again.Topics()
	if len(topics) != len(seedTopics)+1 {
		t.Fatalf("after reopen: %d topics", len(topics))
	}
}

func TestDeleteOnlyDrafts(t *testing.T) {
	st := newTestStore(t)
	s, _ := st.Create(validSegment(), "x")
	st.Do(s.ID, ActionSubmit, "x", "")
	st.Do(s.ID, ActionApprove, "y", "")
	if err := st.Delete(s.ID); !errors.Is(err, ErrTransition) {
		t.Fatalf("delete approved: %v", err)
	}
	d, _ := st.Create(validSegment(), "x")
	if err := st.Delete(d.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Segment(d.ID); !errors.Is(err, ErrNotFound) {
		t.Fatalf("after delete: %v", err)
	}
}

func TestReservedIDIsUsedOnceAndNeverGivenAgain(t *testing.T) {
	st := newTestStore(t)
	id, err := st.Reserve()
	if err != nil {
		t.Fatal(err)
	}
	later, err := st.Create(validSegment(), "bientap")
	if err != nil || later.ID == id {
		t.Fatalf("a segment created after the reservation got id %d (%v); reserved %d", later.ID, err, id)
	}
	got, err := st.CreateReserved(validSegment(), id, "bientap")
	if err != nil || got.ID != id {
		t.Fatalf("CreateReserved(%d) = %d, %v", id, got.ID, err)
	}
	if _, err := st.CreateReserved(validSegment(), id, "bientap"); err == nil {
		t.Error("a reserved id was used twice")
	}
	if _, err := st.CreateReserved(validSegment(), later.ID+100, "bientap"); err == nil {
		t.Error("an id never reserved was accepted")
	}
	bad := validSegment()
	bad.Title = ""
	other, _ := st.Reserve()
	if _, err := st.CreateReserved(bad, other, "bientap"); err == nil {
		t.Error("an invalid segment was stored under a reserved id")
	}
	if _, err := st.Segment(other); err == nil {
		t.Error("a failed CreateReserved left a segment")
	}
}
