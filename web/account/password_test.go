package account

import "testing"

func TestNeedsRehash(t *testing.T) {
	current, err := HashPassword("mat-khau")
	if err != nil {
		t.Fatal(err)
	}
	for hash, want := range map[string]bool{
		current: false,
		"$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$a2V5": true, // the parameters before issue 15
		"$argon2id$v=19$m=12288,t=2,p=1$c2FsdA$a2V5": true,
		"khong-phai-hash": true,
		"":                true,
	} {
		if got := NeedsRehash(hash); got != want {
			t.Errorf("NeedsRehash(%q) = %v, want %v", hash, got, want)
		}
	}
	if ok, err := CheckPassword(current, "mat-khau"); !ok || err != nil {
		t.Errorf("the new hash: %v %v", ok, err)
	}
}

// ReplaceHash replaces only the hash the sign-in checked: a password
// changed in the meantime stays.
func TestReplaceHashKeepsAChangedPassword(t *testing.T) {
	st := openStore(t)
	st.Put(User{Name: "a", Role: RoleEditor, PasswordHash: "moi"})
	if err := st.ReplaceHash("a", "cu", "thay"); err != nil {
		t.Fatal(err)
	}
	if u, _ := st.User("a"); u.PasswordHash != "moi" {
		t.Errorf("hash %q, want the changed one kept", u.PasswordHash)
	}
	if err := st.ReplaceHash("a", "moi", "thay"); err != nil {
		t.Fatal(err)
	}
	if u, _ := st.User("a"); u.PasswordHash != "thay" {
		t.Errorf("hash %q, want it replaced", u.PasswordHash)
	}
}

// The first start creates the admin with the password given, or a random
// one; a store with people gets none.
func TestEnsureAdminOnlyOnAnEmptyStore(t *testing.T) {
	st := openStore(t)
	password, err := st.EnsureAdmin("", at)
	if err != nil || len(password) < 12 {
		t.Fatalf("first start: %q %v", password, err)
	}
	u, err := st.User("admin")
	if ok, _ := CheckPassword(u.PasswordHash, password); err != nil || !ok || u.Role != RoleAdmin || !u.CreatedAt.Equal(at) {
		t.Fatalf("the admin created: %+v %v", u, err)
	}
	if again, err := st.EnsureAdmin("khac-hoan-toan", at); again != "" || err != nil {
		t.Fatalf("second start: %q %v", again, err)
	}
	if n, _ := st.Count(); n != 1 {
		t.Fatalf("%d people after the second start", n)
	}
}
