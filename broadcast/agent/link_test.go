package agent_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"go.etcd.io/bbolt"

	"loa/audio/playback"
	"loa/broadcast/agent"
	"loa/broadcast/protocol"
)

// A server that speaks no version in common says so with close 4001; the
// agent cannot fix that by retrying, so it waits BackoffMax between tries
// instead of hammering the server at BackoffMin.
func TestNoCommonVersionWaitsTheLongBackoff(t *testing.T) {
	t.Parallel()
	var tries atomic.Int32
	up := websocket.Upgrader{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ws, err := up.Upgrade(w, r, nil)
		if err != nil {
			return
		}
		defer ws.Close()
		tries.Add(1)
		ws.ReadMessage() // the hello
		ws.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(protocol.CloseBadVersion, "no protocol version in common"), time.Now().Add(time.Second))
		ws.ReadMessage()
	}))
	defer srv.Close()

	data := t.TempDir()
	db, err := bbolt.Open(filepath.Join(data, "agent.db"), 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	st, err := agent.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	cache, err := agent.NewCache(filepath.Join(data, "audio"))
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	a, err := agent.New(agent.Config{Server: srv.URL, Token: "loa_st_test", DataDir: data, Log: log,
		BackoffMin: 10 * time.Millisecond, BackoffMax: 5 * time.Second,
	}, st, cache, func() (playback.Output, error) { return playback.NewNull(44100), nil })
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 1500*time.Millisecond)
	defer cancel()
	if err := a.Run(ctx); err != nil {
		t.Fatal(err)
	}
	// With the short backoff it would have tried ~8 times in 1.5 s.
	if n := tries.Load(); n != 1 {
		t.Errorf("%d connections in 1.5 s after a version refusal, want 1", n)
	}
}
