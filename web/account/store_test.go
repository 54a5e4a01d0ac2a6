package account

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"go.etcd.io/bbolt"

	"loa/internal/boltstore"
)

// at is the instant the tests run at: a second before midnight in the
// ward, the last day of a quarter.
var at = time.Date(2026, 12, 31, 23, 59, 59, 0, time.FixedZone("ICT", 7*3600))

func openDB(t *testing.T) *bbolt.DB {
	t.Helper()
	db, err := bbolt.Open(filepath.Join(t.TempDir(), "loa.db"), 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func openStore(t *testing.T) *Store {
	t.Helper()
	st, err := Open(openDB(t))
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// writeOld writes what package web wrote before the store moved, byte for
// byte as it did (bucket names, keys, JSON), at schema version version:
// 1 users and sessions, 4 also the audit log, API tokens and settings.
func writeOld(t *testing.T, db *bbolt.DB, version uint64) {
	t.Helper()
	put := func(tx *bbolt.Tx, bucket, k string, v any) {
		data, ok := v.([]byte)
		if !ok {
			data, _ = json.Marshal(v)
		}
		b, err := tx.CreateBucketIfNotExists([]byte(bucket))
		if err == nil {
			err = b.Put([]byte(k), data)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	hash := func(token string) string { sum := sha256.Sum256([]byte(token)); return string(sum[:]) }
	err := db.Update(func(tx *bbolt.Tx) error {
		put(tx, "meta", "web.schema", binary.BigEndian.AppendUint64(nil, version))
		put(tx, "web.users", "lanhdao", map[string]any{"name": "lanhdao", "display_name": "Nguyễn Văn Lãnh", "role": "approver",
			"password_hash": "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$a2V5", "created_at": at.Add(-48 * time.Hour).UTC()})
		put(tx, "web.sessions", hash("phien-cu"), map[string]any{"user": "lanhdao", "expires": at.Add(time.Hour).UTC()})
		if version < 4 {
			return nil
		}
		put(tx, "web.audit", string(binary.BigEndian.AppendUint64(binary.BigEndian.AppendUint64(nil, uint64(at.Add(-time.Hour).UnixNano())), 1)),
			map[string]any{"at": at.Add(-time.Hour).UTC(), "user": "lanhdao", "action": "segment.approve", "target": "segment/12"})
		put(tx, "web.tokens", "tok1", map[string]any{"id": "tok1", "name": "nhập bản ghi", "role": "editor", "created_by": "lanhdao", "created_at": at.UTC()})
		put(tx, "web.tokens.index", hash("loa_api_cu"), []byte("tok1"))
		put(tx, "web.settings", "self_approval", []byte("forbidden"))
		put(tx, "web.settings", "emergency_roles", []Role{RoleEditor, RoleAdmin})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// A database the server wrote while the store lived in package web opens
// as it was: the same schema name and version, its people, sessions,
// tokens, audit log and settings.
func TestOpensWhatPackageWebWrote(t *testing.T) {
	db := openDB(t)
	writeOld(t, db, 4)
	st, err := Open(db)
	if err != nil {
		t.Fatal(err)
	}
	versions, err := boltstore.Versions(db)
	if err != nil || !slices.Contains(versions, boltstore.StoreVersion{Name: "web", Version: 4}) {
		t.Errorf("schema versions %v %v, want web v4 unchanged", versions, err)
	}
	if u, err := st.SessionUser("phien-cu", at); err != nil || u.DisplayName != "Nguyễn Văn Lãnh" || u.Role != RoleApprover {
		t.Errorf("the old session: %+v %v", u, err)
	}
	if u, err := st.TokenUser("loa_api_cu", at); err != nil || u.Role != RoleEditor {
		t.Errorf("the old API token: %+v %v", u, err)
	}
	if v, err := st.SelfApproval(); v != SelfApprovalForbidden || err != nil {
		t.Errorf("self-approval %q %v, want forbidden", v, err)
	}
	if roles, err := st.EmergencyRoles(); !slices.Equal(roles, []Role{RoleEditor, RoleAdmin}) || err != nil {
		t.Errorf("emergency roles %v %v", roles, err)
	}
	var actions []string
	st.Audit(nil, func(e AuditEntry) bool { actions = append(actions, e.User+" "+e.Action+" "+e.Target); return true })
	if !slices.Equal(actions, []string{"lanhdao segment.approve segment/12"}) {
		t.Errorf("audit log %v", actions)
	}
}

// A database from the first schema (users and sessions only) is brought to
// the current one, and its people and sessions survive.
func TestMigratesTheFirstSchemaKeepingPeopleAndSessions(t *testing.T) {
	db := openDB(t)
	writeOld(t, db, 1)
	st, err := Open(db)
	if err != nil {
		t.Fatal(err)
	}
	db.View(func(tx *bbolt.Tx) error {
		if v := schema.Stored(tx); v != schema.Version() || v != 4 {
			t.Errorf("schema version %d after the migration, want 4", v)
		}
		return nil
	})
	if u, err := st.SessionUser("phien-cu", at); err != nil || u.Name != "lanhdao" {
		t.Errorf("the old session: %+v %v", u, err)
	}
	if v, err := st.SelfApproval(); v != SelfApprovalAuto || err != nil {
		t.Errorf("self-approval %q %v, want the default", v, err)
	}
	if _, _, err := st.CreateToken(APIToken{Name: "giám sát", Role: RoleViewer, CreatedBy: "lanhdao", CreatedAt: at}); err != nil {
		t.Errorf("a token in the migrated store: %v", err)
	}
}

// A database written by a newer program is refused, untouched.
func TestRefusesANewerSchema(t *testing.T) {
	db := openDB(t)
	writeOld(t, db, 5)
	if _, err := Open(db); err == nil {
		t.Fatal("opened a database of schema 5")
	}
}

// Every expired session is deleted, however many there are and however
// they interleave with live ones; the live ones stay.
func TestExpireSessionsDeletesEveryExpiredOne(t *testing.T) {
	st := openStore(t)
	var live []string
	for i := range 600 {
		expires := at.Add(-time.Duration(i+1) * time.Second)
		if i%3 == 0 {
			expires = at.Add(time.Duration(i+1) * time.Second)
		}
		token, err := st.NewSession("lanhdao", expires)
		if err != nil {
			t.Fatal(err)
		}
		if i%3 == 0 {
			live = append(live, token)
		}
	}
	if err := st.ExpireSessions(at); err != nil {
		t.Fatal(err)
	}
	n := 0
	st.db.View(func(tx *bbolt.Tx) error { n = tx.Bucket(bucketSessions).Stats().KeyN; return nil })
	if n != len(live) {
		t.Errorf("%d sessions left after expiry, want the %d live ones", n, len(live))
	}
	st.Put(User{Name: "lanhdao", Role: RoleEditor})
	for _, token := range live {
		if _, err := st.SessionUser(token, at); err != nil {
			t.Fatalf("a live session: %v", err)
		}
	}
}

// Ending a person's sessions ends all of them but the one kept, and
// nobody else's.
func TestEndSessionsOfKeepsOneAndOthersSessions(t *testing.T) {
	st := openStore(t)
	st.Put(User{Name: "a", Role: RoleEditor})
	st.Put(User{Name: "b", Role: RoleEditor})
	var keep, other string
	for i := range 200 {
		ta, _ := st.NewSession("a", at.Add(time.Hour))
		tb, _ := st.NewSession("b", at.Add(time.Hour))
		if i == 100 {
			keep, other = ta, tb
		}
	}
	if err := st.EndSessionsOf("a", keep); err != nil {
		t.Fatal(err)
	}
	a, _ := st.SessionsOf("a", at)
	b, _ := st.SessionsOf("b", at)
	if len(a) != 1 || a[0].ID != SessionID(keep) || len(b) != 200 {
		t.Fatalf("after ending a's sessions: a has %d, b %d", len(a), len(b))
	}
	if _, err := st.SessionUser(other, at); err != nil {
		t.Fatalf("b's session: %v", err)
	}
}

// LiveSessions counts the sessions that have not expired, per person.
func TestLiveSessionsCountsPerPerson(t *testing.T) {
	st := openStore(t)
	st.NewSession("a", at.Add(time.Hour))
	st.NewSession("a", at.Add(time.Hour))
	st.NewSession("a", at.Add(-time.Second))
	st.NewSession("b", at)
	live, err := st.LiveSessions(at)
	if err != nil || live["a"] != 2 || live["b"] != 1 || len(live) != 2 {
		t.Fatalf("live sessions %v %v, want a 2, b 1", live, err)
	}
}

// Revoking a token stops it and no other; its index entry goes with it.
func TestRevokeTokenStopsOnlyThatToken(t *testing.T) {
	st := openStore(t)
	st.Put(User{Name: "quantri", Role: RoleAdmin})
	var ids, secrets []string
	for range 50 {
		tok, secret, err := st.CreateToken(APIToken{Name: "kịch bản", Role: RoleEditor, CreatedBy: "quantri", CreatedAt: at})
		if err != nil {
			t.Fatal(err)
		}
		ids, secrets = append(ids, tok.ID), append(secrets, secret)
	}
	for i := 0; i < 50; i += 2 {
		if _, err := st.RevokeToken(ids[i]); err != nil {
			t.Fatal(err)
		}
	}
	for i, secret := range secrets {
		_, err := st.TokenUser(secret, at)
		if revoked := i%2 == 0; revoked != (err != nil) {
			t.Errorf("token %d (revoked %v): %v", i, revoked, err)
		}
	}
	n := 0
	st.db.View(func(tx *bbolt.Tx) error { n = tx.Bucket(bucketTokenHash).Stats().KeyN; return nil })
	if list, _ := st.Tokens(); len(list) != 25 || n != 25 {
		t.Errorf("%d tokens and %d index entries left, want 25 each", len(list), n)
	}
	if _, err := st.RevokeToken(ids[0]); err != ErrNoToken {
		t.Errorf("revoking a revoked token: %v", err)
	}
}

// The audit log is walked newest first from a start, and a walk resumes
// where the last one stopped.
func TestAuditWalksNewestFirstAndResumes(t *testing.T) {
	st := openStore(t)
	for i := range 5 {
		st.Record(AuditEntry{At: at.Add(time.Duration(i) * time.Minute), User: "a", Action: "x", Target: string(rune('a' + i))})
	}
	walk := func(start []byte, n int) (got string, resume []byte) {
		resume, err := st.Audit(start, func(e AuditEntry) bool {
			if len(got) == n {
				return false
			}
			got += e.Target
			return true
		})
		if err != nil {
			t.Fatal(err)
		}
		return got, resume
	}
	got, resume := walk(nil, 2)
	if got != "ed" || resume == nil {
		t.Fatalf("first page %q (resume %x)", got, resume)
	}
	if got, resume = walk(resume, 2); got != "cb" {
		t.Fatalf("second page %q", got)
	}
	if got, resume = walk(resume, 2); got != "a" || resume != nil {
		t.Fatalf("last page %q (resume %x)", got, resume)
	}
	if got, _ = walk(AuditKey(at.Add(2*time.Minute)), 9); got != "ba" {
		t.Fatalf("before the third entry: %q", got)
	}
}
