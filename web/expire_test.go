package web

import (
	"testing"
	"time"

	"go.etcd.io/bbolt"
)

// Every expired session is deleted, however many there are (bbolt's
// cursor skips the key after one it deletes); a live one stays.
func TestExpireSessionsDeletesEveryExpiredOne(t *testing.T) {
	ts := newTestServer(t)
	now := time.Date(2026, 12, 7, 23, 59, 50, 0, time.UTC)
	for i := range 300 {
		if _, err := ts.web.users.addSession(session{User: "admin", Expires: now.Add(-time.Duration(i+1) * time.Second)}); err != nil {
			t.Fatal(err)
		}
	}
	live, err := ts.web.users.addSession(session{User: "admin", Expires: now.Add(time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	if err := ts.web.Housekeeping(now); err != nil {
		t.Fatal(err)
	}
	n := 0
	ts.web.app.DB.View(func(tx *bbolt.Tx) error { n = tx.Bucket(bucketSessions).Stats().KeyN; return nil })
	if n != 1 {
		t.Errorf("%d sessions left after expiry, want the live one", n)
	}
	if _, err := ts.web.users.sessionUser(live, now); err != nil {
		t.Errorf("the live session: %v", err)
	}
}
