package report

import (
	"encoding/json"
	"fmt"
	"math"
	"time"

	"loa/broadcast/ledger"
	"loa/playlist/library"
)

// Airtime is a duration that JSON writes as seconds (to the millisecond).
type Airtime time.Duration

// MarshalJSON writes seconds.
func (a Airtime) MarshalJSON() ([]byte, error) {
	return json.Marshal(math.Round(time.Duration(a).Seconds()*1000) / 1000)
}

// HMS writes the duration as h:mm:ss, hours unbounded, as the office
// reports airtime.
func (a Airtime) HMS() string {
	s := int64(time.Duration(a).Round(time.Second) / time.Second)
	return fmt.Sprintf("%d:%02d:%02d", s/3600, s/60%60, s%60)
}

// A Report is everything the office signs for a period, with the previous
// period's figures beside the current ones.
type Report struct {
	Ward        string     `json:"ward"`
	Issuer      Settings   `json:"issuer"` // the letterhead and the signer (SetIssuer)
	Period      PeriodInfo `json:"period"`
	Previous    PeriodInfo `json:"previous"`
	Zone        string     `json:"zone"`
	GeneratedAt time.Time  `json:"generated_at"`
	LateMargin  Airtime    `json:"late_margin"`
	Source      string     `json:"source"` // "rollups" or "events": how the ledger was read

	Totals     Totals         `json:"totals"`
	PrevTotals Totals         `json:"previous_totals"`
	Kinds      []KindRow      `json:"kinds"` // audio, relay, live: emergencies included
	Topics     []TopicRow     `json:"topics"`
	Stations   []PlanRow      `json:"stations"`
	Groups     []PlanRow      `json:"groups"`
	Items      []ItemRow      `json:"items"`
	Months     []MonthRow     `json:"months"`
	Weeks      []WeekRow      `json:"weeks"`         // runs of seven days from the first
	Heat       []StationWeeks `json:"station_weeks"` // each station's completion by week
	Problems   []ProblemRow   `json:"problems"`      // missed and failed, by planned start
	// Listens are the public bulletins heard online ("Nghe lại"), most
	// heard first; PrevListens those of the previous period. Both nil
	// when the ward has no public site.
	Listens     []ListenRow `json:"listens,omitempty"`
	PrevListens []ListenRow `json:"previous_listens,omitempty"`
}

// SetIssuer puts the office's settings on the report: its letterhead, place
// and signer; their ward name, when set, is the report's.
func (r *Report) SetIssuer(s Settings) {
	r.Issuer = s
	if s.Ward != "" {
		r.Ward = s.Ward
	}
}

// PeriodInfo names a period for people and programs.
type PeriodInfo struct {
	Period
	Code   string `json:"code"`
	NameVi string `json:"name_vi"`
	NameEn string `json:"name_en"`
}

func infoOf(p Period) PeriodInfo {
	return PeriodInfo{Period: p, Code: p.Code(), NameVi: p.Name("vi"), NameEn: p.Name("en")}
}

// Totals are a period's headline figures. Plays and airtime count what went
// on air (aired, late, partial, interrupted), emergency broadcasts apart.
type Totals struct {
	Plays            int     `json:"plays"`
	DistinctItems    int     `json:"distinct_items"`
	Airtime          Airtime `json:"airtime"`
	CCHCAirtime      Airtime `json:"cchc_airtime"`
	CCHCShare        float64 `json:"cchc_share"` // of airtime, 0–1
	Emergency        int     `json:"emergency"`
	EmergencyAirtime Airtime `json:"emergency_airtime"`
	Statuses
}

// Statuses count planned items by reconciliation status. An item with no
// event yet is either not yet due (Future: its planned end, plus the grace
// a station has to report it, is still ahead) or Overdue. Compliance is the
// share of the due items that went on air: Future items count neither way
// (-1 when nothing is due yet).
type Statuses struct {
	Planned     int     `json:"planned"`
	Aired       int     `json:"aired"`
	Late        int     `json:"late"`
	Partial     int     `json:"partial"`
	Interrupted int     `json:"interrupted"`
	Failed      int     `json:"failed"`
	Missed      int     `json:"missed"`
	Overdue     int     `json:"overdue"` // due, and no event: quá giờ chưa báo cáo
	Future      int     `json:"future"`  // not due yet, and no event: chưa tới giờ
	Compliance  float64 `json:"compliance"`
}

// TopicRow is one topic's plays and airtime.
type TopicRow struct {
	ID          string  `json:"id"`
	Name        string  `json:"name"`
	NameEn      string  `json:"name_en,omitempty"`
	CCHC        bool    `json:"cchc"`
	Plays       int     `json:"plays"`
	Airtime     Airtime `json:"airtime"`
	Share       float64 `json:"share"` // of the period's airtime
	PrevPlays   int     `json:"previous_plays"`
	PrevAirtime Airtime `json:"previous_airtime"`
}

// PlanRow is a station's or a group's planned vs aired.
type PlanRow struct {
	ID      string  `json:"id"`
	Name    string  `json:"name"`
	Plays   int     `json:"plays"`
	Airtime Airtime `json:"airtime"`
	Statuses
	PrevPlays      int     `json:"previous_plays"`
	PrevPlanned    int     `json:"previous_planned"`
	PrevCompliance float64 `json:"previous_compliance"`
}

// ItemRow is one item as it aired: its title and topic at airing time.
type ItemRow struct {
	SegmentID string  `json:"segment_id"`
	Title     string  `json:"title"`
	Topic     string  `json:"topic"`
	Plays     int     `json:"plays"`
	Airtime   Airtime `json:"airtime"`
	Stations  int     `json:"stations"` // stations that aired it at least once
}

// MonthRow is one calendar month of the period.
type MonthRow struct {
	Month   string  `json:"month"`   // YYYY-MM
	NameVi  string  `json:"name_vi"` // Tháng 10/2026
	NameEn  string  `json:"name_en"` // October 2026
	Plays   int     `json:"plays"`
	Airtime Airtime `json:"airtime"`
}

// ProblemRow is a planned item that was missed or failed.
type ProblemRow struct {
	Planned     time.Time `json:"planned"`
	Station     string    `json:"station"`
	StationName string    `json:"station_name"`
	Title       string    `json:"title"`
	Topic       string    `json:"topic"`
	Status      string    `json:"status"`              // missed or failed
	Reason      string    `json:"reason,omitempty"`    // the station's code, as it sent it
	ReasonVi    string    `json:"reason_vi,omitempty"` // the code in words (the code itself when unknown)
	ReasonEn    string    `json:"reason_en,omitempty"`
}

// fill counts t against planned items, future of them not due yet.
// name is the month as the report titles it in lang ("en" or Vietnamese).
func (m MonthRow) name(lang string) string {
	if lang == "en" {
		return m.NameEn
	}
	return m.NameVi
}

func fill(s *Statuses, t *ledger.Tally, planned, future int) {
	s.Planned, s.Future = planned, future
	s.Aired, s.Late = t.Count[ledger.StatusAired], t.Count[ledger.StatusLate]
	s.Partial, s.Interrupted = t.Count[ledger.StatusPartial], t.Count[ledger.StatusInterrupted]
	s.Failed, s.Missed = t.Count[ledger.StatusFailed], t.Count[ledger.StatusMissed]
	s.Overdue = max(0, planned-future-t.Planned)
	s.Compliance = compliance(planned-future, t)
}

// compliance is the share of due items that went on air, capped at 1 (a
// station may air unplanned items); -1 when nothing was due.
func compliance(due int, t *ledger.Tally) float64 {
	if due <= 0 {
		return -1
	}
	return min(1, float64(t.OnAir())/float64(due))
}

// Topic names come from the library; a topic id no longer there is shown
// as it is.
func topicName(topics map[string]library.Topic, id string) library.Topic {
	if t, ok := topics[id]; ok {
		return t
	}
	return library.Topic{ID: id, Name: id, NameEn: id}
}
