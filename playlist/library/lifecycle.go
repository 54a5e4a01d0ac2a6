package library

import (
	"fmt"
	"slices"
	"time"
)

// Status is where a segment stands in its lifecycle:
//
//	draft → submitted → approved → archived
//	            ↘ rejected → submitted
//
// Only approved segments are ever scheduled.
type Status string

const (
	StatusDraft     Status = "draft"
	StatusSubmitted Status = "submitted"
	StatusApproved  Status = "approved"
	StatusRejected  Status = "rejected"
	StatusArchived  Status = "archived"
)

// Statuses lists every status in lifecycle order.
var Statuses = []Status{StatusDraft, StatusSubmitted, StatusApproved, StatusRejected, StatusArchived}

// Action is what a person does to move a segment along its lifecycle.
type Action string

const (
	ActionSubmit  Action = "submit"
	ActionApprove Action = "approve"
	ActionReject  Action = "reject"
	ActionArchive Action = "archive"
	ActionRestore Action = "restore" // archived → draft
	// ActionEdit is recorded when an approved or submitted segment is edited
	// and so goes back to the approver: what airs is always what was approved.
	ActionEdit Action = "edit"
	// ActionPublish and ActionUnpublish record an approver making a segment
	// public ("Nghe lại") or withdrawing it; the status does not change.
	ActionPublish   Action = "publish"
	ActionUnpublish Action = "unpublish"
)

// A Transition records who moved a segment from one status to another, when
// and why.
type Transition struct {
	Action  Action    `json:"action"`
	From    Status    `json:"from"`
	To      Status    `json:"to"`
	By      string    `json:"by"`
	At      time.Time `json:"at"`
	Comment string    `json:"comment,omitempty"`
	// Revision is the revision the action was taken on, when the person
	// named the one they saw (an approval does).
	Revision int `json:"revision,omitempty"`
}

// next is the lifecycle table: for an action, the statuses it may start from
// and the status it leads to.
var next = map[Action]struct {
	from []Status
	to   Status
}{
	ActionSubmit:  {[]Status{StatusDraft, StatusRejected}, StatusSubmitted},
	ActionApprove: {[]Status{StatusSubmitted}, StatusApproved},
	ActionReject:  {[]Status{StatusSubmitted}, StatusRejected},
	ActionArchive: {[]Status{StatusDraft, StatusSubmitted, StatusApproved, StatusRejected}, StatusArchived},
	ActionRestore: {[]Status{StatusArchived}, StatusDraft},
}

// ErrTransition is returned (wrapped) when an action does not apply to a
// segment in its current status.
var ErrTransition = fmt.Errorf("action not allowed in this status")

// apply moves s along its lifecycle, recording the transition.
func (s *Segment) apply(a Action, by, comment string, at time.Time) error {
	rule, ok := next[a]
	if !ok {
		return fieldErr("action", CodeInvalid)
	}
	if !slices.Contains(rule.from, s.Status) {
		return fmt.Errorf("%s a %s segment: %w", a, s.Status, ErrTransition)
	}
	if a == ActionReject && comment == "" {
		return fieldErr("comment", CodeRequired)
	}
	s.record(a, rule.to, by, comment, at)
	return nil
}

func (s *Segment) record(a Action, to Status, by, comment string, at time.Time) {
	s.History = append(s.History, Transition{Action: a, From: s.Status, To: to, By: by, At: at.UTC(), Comment: comment})
	s.Status = to
}
