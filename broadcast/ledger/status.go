package ledger

import "time"

// A Status is how one aired event went, as the reports count it.
type Status uint8

// Statuses of aired events. A planned item with no event at all is "not yet
// reported"; reports count those against the plan, the ledger cannot.
const (
	StatusAired       Status = iota // played in full, on time
	StatusLate                      // played in full, started more than the margin late
	StatusPartial                   // completed but cut short
	StatusInterrupted               // stopped by an emergency broadcast
	StatusFailed                    // the station tried and could not play it
	StatusMissed                    // never started: station offline or too late
	NumStatuses       = 6
)

var statusNames = [NumStatuses]string{"aired", "late", "partial", "interrupted", "failed", "missed"}

func (s Status) String() string {
	if int(s) < len(statusNames) {
		return statusNames[s]
	}
	return "unknown"
}

// DefaultLateMargin is how late a start may be and still count as on time.
const DefaultLateMargin = 60 * time.Second

// Classify returns e's status. Partial means more than 2 s and more than
// 5 % of the planned duration went unplayed: decoders and fades differ by
// tens of milliseconds, a cut-off item by much more. An unknown outcome
// counts as failed.
func Classify(e *Event, margin time.Duration) Status {
	switch e.Outcome {
	case "completed":
	case "interrupted":
		return StatusInterrupted
	case "missed":
		return StatusMissed
	default:
		return StatusFailed
	}
	if short := e.Duration - e.Played; short > 2*time.Second && short*20 > e.Duration {
		return StatusPartial
	}
	if !e.Started.IsZero() && e.Started.Sub(e.Planned) > margin {
		return StatusLate
	}
	return StatusAired
}

// Emergency reports whether e is an emergency broadcast; reports count
// those on their own, never against a plan.
func (e *Event) Emergency() bool { return e.CommandID != "" || e.Level == "emergency" }

// A Tally sums events of one kind.
type Tally struct {
	Count     [NumStatuses]int // events by Status
	Planned   int              // events of planned items (not emergency, with an item id)
	Airtime   time.Duration    // time actually played
	Scheduled time.Duration    // planned durations
}

// Add counts e with status st.
func (t *Tally) Add(e *Event, st Status) {
	t.Count[st]++
	if e.ItemID != "" && !e.Emergency() {
		t.Planned++
	}
	t.Airtime += e.Played
	t.Scheduled += e.Duration
}

// Merge adds o to t.
func (t *Tally) Merge(o *Tally) {
	for i := range t.Count {
		t.Count[i] += o.Count[i]
	}
	t.Planned += o.Planned
	t.Airtime += o.Airtime
	t.Scheduled += o.Scheduled
}

// Events is how many events t counts.
func (t *Tally) Events() int {
	n := 0
	for _, c := range t.Count {
		n += c
	}
	return n
}

// OnAir is how many events went on air at all: aired, late, partial or
// interrupted.
func (t *Tally) OnAir() int {
	return t.Count[StatusAired] + t.Count[StatusLate] + t.Count[StatusPartial] + t.Count[StatusInterrupted]
}
