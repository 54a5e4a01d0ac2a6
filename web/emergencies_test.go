package web

import (
	"fmt"
	"net/http/httptest"
	"testing"
	"time"

	"loa/broadcast/protocol"
)

// The ward's 51st emergency hung the server: keeping the last 50 looped
// forever on a count bbolt does not update within the transaction (found
// by the ward simulation's 62 emergencies; the link and every write
// stopped behind the database's lock).
func TestRecentEmergenciesKeepTheLast50(t *testing.T) {
	ts := newTestServer(t)
	r := httptest.NewRequest("POST", "/api/commands", nil)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := range keepEmergencies + 5 {
			ts.web.recordEmergency(r, protocol.Command{ID: fmt.Sprintf("cmd-%03d", i), Kind: protocol.CommandEmergencyPlay}, []string{"tdp-01"})
		}
	}()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("recording the 51st emergency does not return")
	}
	list, err := ts.web.recentEmergencies(keepEmergencies + 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != keepEmergencies || list[0].ID != fmt.Sprintf("cmd-%03d", keepEmergencies+4) {
		t.Fatalf("%d kept, newest %q; want %d, cmd-%03d", len(list), list[0].ID, keepEmergencies, keepEmergencies+4)
	}
}
