package account

import (
	"encoding/json"
	"slices"

	"go.etcd.io/bbolt"
)

// Separation of duties: whether an approver may approve an item they
// uploaded, edited or submitted themselves. SelfApprovalAuto (the default)
// forbids it as soon as the ward has more than one person who can approve;
// the other two say so whatever the count.
const (
	SelfApprovalAuto      = "auto"
	SelfApprovalForbidden = "forbidden"
	SelfApprovalAllowed   = "allowed"
)

var (
	keySelfApproval   = []byte("self_approval")
	keyEmergencyRoles = []byte("emergency_roles")
)

// SelfApproval is the stored setting (SelfApprovalAuto when never set).
func (st *Store) SelfApproval() (string, error) {
	v := SelfApprovalAuto
	err := st.db.View(func(tx *bbolt.Tx) error {
		if b := tx.Bucket(bucketSettings).Get(keySelfApproval); b != nil {
			v = string(b)
		}
		return nil
	})
	return v, err
}

// SetSelfApproval stores the setting; the caller checked it is one of the
// SelfApproval values.
func (st *Store) SetSelfApproval(v string) error {
	return st.db.Update(func(tx *bbolt.Tx) error {
		return tx.Bucket(bucketSettings).Put(keySelfApproval, []byte(v))
	})
}

// Approvers counts the enabled people who can approve.
func (st *Store) Approvers() (int, error) {
	list, err := st.List()
	n := 0
	for _, p := range list {
		if !p.Disabled && p.Role.Can(RoleApprover) {
			n++
		}
	}
	return n, err
}

// DefaultEmergencyRoles may send an emergency until the ward says
// otherwise: a ward expects the leader on duty to be able to.
func DefaultEmergencyRoles() []Role { return []Role{RoleApprover, RoleAdmin} }

// EmergencyRoles are the roles that may send an emergency, in the roles'
// order.
func (st *Store) EmergencyRoles() ([]Role, error) {
	var roles []Role
	err := st.db.View(func(tx *bbolt.Tx) error {
		if b := tx.Bucket(bucketSettings).Get(keyEmergencyRoles); b != nil {
			return json.Unmarshal(b, &roles)
		}
		return nil
	})
	if roles == nil {
		roles = DefaultEmergencyRoles()
	}
	return roles, err
}

// SetEmergencyRoles stores the roles that may send an emergency: the ones
// of roles that are valid, in the roles' order, and always admin.
func (st *Store) SetEmergencyRoles(roles []Role) ([]Role, error) {
	keep := []Role{}
	for _, role := range Roles() {
		if role == RoleAdmin || slices.Contains(roles, role) {
			keep = append(keep, role)
		}
	}
	data, err := json.Marshal(keep)
	if err != nil {
		return nil, err
	}
	return keep, st.db.Update(func(tx *bbolt.Tx) error {
		return tx.Bucket(bucketSettings).Put(keyEmergencyRoles, data)
	})
}
