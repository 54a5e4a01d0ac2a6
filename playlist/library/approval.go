package library

import (
	"errors"
	"fmt"
)

// ErrSelfApproval is returned (wrapped) when the ward forbids approving
// one's own work and the approver uploaded, edited or submitted the item.
var ErrSelfApproval = errors.New("approving one's own item")

// A Review is what an action on a segment is checked against: the
// revision the person saw (0: not checked), and whether the ward forbids
// approving one's own work.
type Review struct {
	Revision       int
	NoSelfApproval bool
}

// Review applies a lifecycle action on behalf of a person who saw the
// given revision; the transition in the history names that revision.
func (st *Store) Review(id uint64, a Action, by, comment string, rv Review) (Segment, error) {
	comment = cleanText(comment)
	if len([]rune(comment)) > MaxComment {
		return Segment{}, fieldErr("comment", CodeTooLong)
	}
	return st.update(id, func(s *Segment, _ func(string) bool) error {
		if rv.Revision != 0 && rv.Revision != s.Revision {
			return fieldErr("revision", CodeStale)
		}
		if a == ActionApprove && rv.NoSelfApproval && s.workOf(by) {
			return fmt.Errorf("%s approves segment %d: %w", by, s.ID, ErrSelfApproval)
		}
		if err := s.apply(a, by, comment, st.now()); err != nil {
			return err
		}
		s.History[len(s.History)-1].Revision = s.Revision
		return nil
	})
}

// workOf reports whether by uploaded the segment, or submitted or edited it
// since it was last approved.
func (s *Segment) workOf(by string) bool {
	if s.CreatedBy == by {
		return true
	}
	for i := len(s.History) - 1; i >= 0; i-- {
		switch t := s.History[i]; {
		case t.Action == ActionApprove:
			return false
		case (t.Action == ActionSubmit || t.Action == ActionEdit) && t.By == by:
			return true
		}
	}
	return false
}
