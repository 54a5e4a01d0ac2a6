package account

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"

	"golang.org/x/crypto/argon2"
)

// argon2id parameters for new hashes: one of OWASP's equivalent minimum
// configurations (12 MiB, 3 passes, 1 lane), which a small ward server
// verifies in ~30 ms. It is the one with 19 MiB and 2 passes at two thirds
// of the memory: what a flood of sign-ins holds at once is slots × this.
// Hashes made with other parameters (19 MiB before) still verify: they
// carry their own; NeedsRehash tells a sign-in to replace them.
const (
	argonTime    = 3
	argonMemory  = 12 * 1024
	argonThreads = 1
	argonKeyLen  = 32
)

// HashPassword returns the PHC string of an argon2id hash of password.
func HashPassword(password string) (string, error) {
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key := argon2.IDKey([]byte(password), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	b64 := base64.RawStdEncoding.EncodeToString
	return "$argon2id$" + argonParams() + "$" + b64(salt) + "$" + b64(key), nil
}

// argonParams is the PHC string's version and parameters of a new hash.
func argonParams() string {
	return fmt.Sprintf("v=%d$m=%d,t=%d,p=%d", argon2.Version, argonMemory, argonTime, argonThreads)
}

// NeedsRehash reports whether hash was made with other parameters than a
// new hash gets: a sign-in that proves the password then replaces it.
func NeedsRehash(hash string) bool {
	parts := strings.Split(hash, "$")
	return len(parts) != 6 || parts[2]+"$"+parts[3] != argonParams()
}

// CheckPassword reports whether password matches the PHC string hash.
func CheckPassword(hash, password string) (bool, error) {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false, errors.New("not an argon2id hash")
	}
	var m uint32
	var t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil {
		return false, fmt.Errorf("argon2id parameters: %w", err)
	}
	salt, err1 := base64.RawStdEncoding.DecodeString(parts[4])
	want, err2 := base64.RawStdEncoding.DecodeString(parts[5])
	if err := errors.Join(err1, err2); err != nil {
		return false, err
	}
	got := argon2.IDKey([]byte(password), salt, t, m, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

// RandomToken returns n random bytes as URL-safe base64.
func RandomToken(n int) string {
	b := make([]byte, n)
	rand.Read(b) // never fails (crypto/rand)
	return base64.RawURLEncoding.EncodeToString(b)
}
