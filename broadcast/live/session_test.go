package live

import (
	"context"
	"encoding/binary"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"go.etcd.io/bbolt"
)

func newSession(t *testing.T, queue int, stations ...string) (*Session, string) {
	t.Helper()
	dir := t.TempDir()
	m := NewManager(dir, queue)
	s, err := m.Start(Info{ID: NewID(time.Now()), Title: "Thông báo", Stations: stations, Rate: 16000, Channels: 1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.End() })
	return s, dir
}

// frame is 20 ms of 16 kHz mono PCM whose every sample is v.
func frame(v int16) []byte {
	b := make([]byte, 640)
	for i := 0; i < len(b); i += 2 {
		binary.LittleEndian.PutUint16(b[i:], uint16(v))
	}
	return b
}

func TestSlowListenerIsDroppedOthersHearEverything(t *testing.T) {
	s, _ := newSession(t, 4, "to-1", "to-2")
	fast, err := s.Listen("to-1")
	if err != nil {
		t.Fatal(err)
	}
	slow, err := s.Listen("to-2")
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	heard := make(chan int16)
	go func() {
		for {
			f, err := fast.Next(ctx)
			if err != nil {
				close(heard)
				return
			}
			heard <- int16(binary.LittleEndian.Uint16(f))
		}
	}()
	// The slow station never reads; the fast one reads every frame.
	for i := range 20 {
		if err := s.Write(frame(int16(i))); err != nil {
			t.Fatal(err)
		}
		if v := <-heard; v != int16(i) {
			t.Fatalf("frame %d carries %d", i, v)
		}
	}
	if s.Dropped() != 1 || s.Listeners() != 1 {
		t.Fatalf("dropped %d, listening %d; want the slow station dropped, the other listening", s.Dropped(), s.Listeners())
	}
	// The slow one gets what it had queued, then ErrTooSlow... or at once:
	// either way it ends with ErrTooSlow, never blocking the session.
	var slowErr error
	for slowErr == nil {
		_, slowErr = slow.Next(ctx)
	}
	if !errors.Is(slowErr, ErrTooSlow) {
		t.Fatalf("slow listener ended with %v, want ErrTooSlow", slowErr)
	}
	if _, err := s.End(); err != nil {
		t.Fatal(err)
	}
	if _, more := <-heard; more {
		t.Fatal("the fast station heard more than was said")
	}
}

func TestBadFramesAreRefused(t *testing.T) {
	s, _ := newSession(t, 0, "to-1")
	for _, tc := range []struct {
		name string
		data []byte
	}{
		{"empty", nil},
		{"odd length", make([]byte, 641)},
		{"too big", make([]byte, 16000*2/5+2)}, // 200 ms + one sample
	} {
		if err := s.Write(tc.data); !errors.Is(err, ErrBadFrame) {
			t.Errorf("%s: %v, want ErrBadFrame", tc.name, err)
		}
	}
	if s.Received() != 0 {
		t.Fatalf("received %v of refused frames", s.Received())
	}
}

func TestListenOnlyForTargets(t *testing.T) {
	s, _ := newSession(t, 0, "to-1")
	if _, err := s.Listen("to-9"); !errors.Is(err, ErrNotListed) {
		t.Fatalf("listen as another station: %v", err)
	}
	s.End()
	if _, err := s.Listen("to-1"); !errors.Is(err, ErrEnded) {
		t.Fatalf("listen after the end: %v", err)
	}
}

func TestRecordingIsAWAVOfWhatWasSaid(t *testing.T) {
	s, dir := newSession(t, 0, "to-1")
	for i := range 50 { // one second
		if err := s.Write(frame(int16(i * 100))); err != nil {
			t.Fatal(err)
		}
	}
	rec, err := s.End()
	if err != nil {
		t.Fatal(err)
	}
	if rec.Duration != time.Second || filepath.Dir(rec.Path) != dir {
		t.Fatalf("recording %+v", rec)
	}
	data, err := os.ReadFile(rec.Path)
	if err != nil {
		t.Fatal(err)
	}
	if len(data) != 44+32000 || string(data[:4]) != "RIFF" || string(data[8:16]) != "WAVEfmt " ||
		binary.LittleEndian.Uint32(data[24:]) != 16000 || binary.LittleEndian.Uint32(data[40:]) != 32000 {
		t.Fatalf("header %x, %d bytes", data[:44], len(data))
	}
	if _, err := s.End(); !errors.Is(err, ErrEnded) {
		t.Fatalf("second End: %v", err)
	}
}

func TestEmptySessionLeavesNoFile(t *testing.T) {
	s, dir := newSession(t, 0, "to-1")
	l, _ := s.Listen("to-1")
	rec, err := s.End()
	if err != nil || rec != nil {
		t.Fatalf("End of an empty session: %v, %v", rec, err)
	}
	if files, _ := os.ReadDir(dir); len(files) != 0 {
		t.Fatalf("left %d files", len(files))
	}
	if _, err := l.Next(context.Background()); err != io.EOF {
		t.Fatalf("listener after the end: %v, want EOF", err)
	}
}

func TestStoreResolvesSessionToSegment(t *testing.T) {
	db, err := bbolt.Open(filepath.Join(t.TempDir(), "live.db"), 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	st, err := Open(db)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Open(db); err != nil { // idempotent
		t.Fatal(err)
	}
	now := time.Now()
	if err := st.Put(Record{ID: "live-1", Title: "Họp tổ", Started: now, Ended: now, SegmentID: 7}); err != nil {
		t.Fatal(err)
	}
	if err := st.Put(Record{ID: "live-2", Started: now, Ended: now}); err != nil {
		t.Fatal(err)
	}
	if r, err := st.Record("live-1"); err != nil || r.SegmentID != 7 || r.Title != "Họp tổ" {
		t.Fatalf("Record(live-1): %+v, %v", r, err)
	}
	if r, err := st.Record("live-2"); err != nil || r.SegmentID != 0 {
		t.Fatalf("Record(live-2), a session that left no segment: %+v, %v", r, err)
	}
	if _, err := st.Record("live-3"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Record(live-3): %v, want ErrNotFound", err)
	}
}
