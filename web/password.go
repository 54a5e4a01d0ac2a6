package web

import "loa/web/account"

// hashPassword returns the PHC string of an argon2id hash of password
// with the current parameters (account.HashPassword).
func hashPassword(password string) (string, error) { return account.HashPassword(password) }
