package web

import (
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"testing"

	"golang.org/x/crypto/argon2"

	"loa/web/account"
)

// oldHash is password hashed the way Loa did before the parameters were
// lowered: argon2id with 19 MiB and 2 passes.
func oldHash(t *testing.T, password string) string {
	t.Helper()
	salt := make([]byte, 16)
	rand.Read(salt)
	key := argon2.IDKey([]byte(password), salt, 2, 19*1024, 1, 32)
	b64 := base64.RawStdEncoding.EncodeToString
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, 19*1024, 2, 1, b64(salt), b64(key))
}

// A hash made with older parameters is replaced by one with the current
// parameters at the person's next sign-in, and the password still works.
func TestSignInRehashesAnOldHash(t *testing.T) {
	ts := newTestServer(t)
	old := oldHash(t, testPassword)
	if err := ts.web.users.Put(User{Name: "lanhdao", Role: RoleApprover, PasswordHash: old}); err != nil {
		t.Fatal(err)
	}
	ts.signIn(t, "lanhdao")
	u, err := ts.web.users.User("lanhdao")
	if err != nil {
		t.Fatal(err)
	}
	if u.PasswordHash == old || account.NeedsRehash(u.PasswordHash) {
		t.Fatalf("after sign-in the stored hash is %q, not one with the current parameters", u.PasswordHash)
	}
	if ok, err := account.CheckPassword(u.PasswordHash, testPassword); !ok || err != nil {
		t.Fatalf("the new hash does not verify the password: %v %v", ok, err)
	}
	ts.signIn(t, "lanhdao")
}
