package loadgen

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"testing"
)

// TestSmallRun drives every phase against a real server over loopback with
// a handful of agents: all connect, every broadcast reaches every agent,
// every event is stored once and the storm loses no session.
func TestSmallRun(t *testing.T) {
	srv, err := NewServer(t.TempDir(), slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	hs := httptest.NewServer(srv.Handler())
	defer hs.Close()
	cfg := Config{Agents: 20, Rounds: 2, IngestAgents: 5, IngestBatches: 3, BatchSize: 50, DialParallel: 8}
	rep, err := Run(context.Background(), cfg, hs.URL, t.Logf)
	if err != nil {
		t.Fatal(err)
	}
	if rep.ConnectFailures != 0 || len(rep.Emergency) != 2 || len(rep.Bare) != 2 || rep.EmergencyMissed+rep.BareMissed != 0 {
		t.Fatalf("report %+v", rep)
	}
	if rep.Ledger.Events != 5*3*50 || rep.IngestEvents != 750 {
		t.Fatalf("ledger holds %d events, ingest reported %d", rep.Ledger.Events, rep.IngestEvents)
	}
	if rep.StormOK != 20 || rep.StormFailed != 0 || rep.StormConnected != 20 {
		t.Fatalf("storm: %d ok, %d failed, %d connected", rep.StormOK, rep.StormFailed, rep.StormConnected)
	}
}
