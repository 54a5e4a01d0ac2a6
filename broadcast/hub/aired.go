package hub

import (
	"slices"
	"time"

	"loa/broadcast/ledger"
	"loa/broadcast/protocol"
	"loa/stations"
)

// ledgerEvents turns an agent's report into ledger events. The station and
// its groups come from the authenticated connection, never from the frame.
func ledgerEvents(st stations.Station, in []protocol.AiredEvent, recv time.Time) []ledger.Event {
	out := make([]ledger.Event, len(in))
	groups := slices.Clone(st.Groups)
	for i, e := range in {
		kind := e.Kind
		if kind == protocol.KindAudio {
			kind = "" // the ledger's audio
		}
		out[i] = ledger.Event{
			StationID: st.ID, ID: e.ID, ItemID: e.ItemID, SegmentID: e.SegmentID, CommandID: e.CommandID,
			Title: e.Title, Topic: e.Topic, Level: e.Level, Groups: groups,
			Duration: time.Duration(e.DurationMs) * time.Millisecond,
			Planned:  time.UnixMilli(e.PlannedMs).UTC(),
			Started:  msTime(e.StartedMs), Ended: msTime(e.EndedMs),
			Played:  time.Duration(e.PlayedMs) * time.Millisecond,
			Outcome: e.Outcome, Reason: e.Reason, Kind: kind, Received: recv.UTC(),
		}
	}
	return out
}

func msTime(ms int64) time.Time {
	if ms == 0 {
		return time.Time{}
	}
	return time.UnixMilli(ms).UTC()
}
