package web

import (
	"errors"
	"net/http"

	"go.etcd.io/bbolt"

	"loa/playlist/library"
)

// Separation of duties: whether an approver may approve an item they
// uploaded, edited or submitted themselves. "auto" (the default) forbids
// it as soon as the ward has more than one person who can approve;
// "forbidden" and "allowed" say so whatever the count.
const (
	selfApprovalAuto      = "auto"
	selfApprovalForbidden = "forbidden"
	selfApprovalAllowed   = "allowed"
)

var (
	bucketSettings  = []byte("web.settings") // name → value
	keySelfApproval = []byte("self_approval")

	errSelfApproval = &apiError{http.StatusForbidden, "self_approval",
		"Bạn không thể duyệt bản tin do chính mình tải lên, sửa hoặc trình duyệt; hãy nhờ một lãnh đạo khác duyệt",
		"You cannot approve an item you uploaded, edited or submitted yourself; ask another approver", ""}
	errSelfApprovalValue = &apiError{http.StatusUnprocessableEntity, "invalid",
		"Giá trị phải là auto, forbidden hoặc allowed", "The value must be auto, forbidden or allowed", "self_approval"}
)

// approvalSettings is the body of GET and PUT /api/settings/approval.
type approvalSettings struct {
	SelfApproval string `json:"self_approval"`
	// Forbidden is what the setting means now (read only).
	Forbidden bool `json:"forbidden"`
	Approvers int  `json:"approvers"` // people who can approve (read only)
}

// selfApprovalSetting is the stored setting ("auto" when never set).
func (u *users) selfApprovalSetting() (string, error) {
	v := selfApprovalAuto
	err := u.db.View(func(tx *bbolt.Tx) error {
		if b := tx.Bucket(bucketSettings).Get(keySelfApproval); b != nil {
			v = string(b)
		}
		return nil
	})
	return v, err
}

// approvers counts the enabled people who can approve.
func (u *users) approvers() (int, error) {
	list, err := u.list()
	n := 0
	for _, p := range list {
		if !p.Disabled && p.Role.can(RoleApprover) {
			n++
		}
	}
	return n, err
}

// approvalRules is what the setting means now.
func (s *Server) approvalRules() (approvalSettings, error) {
	setting, err := s.users.selfApprovalSetting()
	if err != nil {
		return approvalSettings{}, err
	}
	n, err := s.users.approvers()
	if err != nil {
		return approvalSettings{}, err
	}
	forbidden := setting == selfApprovalForbidden || setting == selfApprovalAuto && n > 1
	return approvalSettings{SelfApproval: setting, Forbidden: forbidden, Approvers: n}, nil
}

func (s *Server) getApprovalSettings(w http.ResponseWriter, r *http.Request) error {
	rules, err := s.approvalRules()
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, rules)
	return nil
}

func (s *Server) putApprovalSettings(w http.ResponseWriter, r *http.Request) error {
	var req approvalSettings
	if err := readJSON(w, r, &req); err != nil {
		return err
	}
	switch req.SelfApproval {
	case selfApprovalAuto, selfApprovalForbidden, selfApprovalAllowed:
	default:
		return errSelfApprovalValue
	}
	before, err := s.approvalRules()
	if err != nil {
		return err
	}
	err = s.users.db.Update(func(tx *bbolt.Tx) error {
		return tx.Bucket(bucketSettings).Put(keySelfApproval, []byte(req.SelfApproval))
	})
	if err != nil {
		return err
	}
	after, err := s.approvalRules()
	if err != nil {
		return err
	}
	s.audit(r, "settings.approval", "settings/approval", before, after)
	writeJSON(w, http.StatusOK, after)
	return nil
}

// review is the check an action on a segment passes: the revision the
// person saw, and the ward's rule on approving one's own work.
func (s *Server) review(revision int) (library.Review, error) {
	rules, err := s.approvalRules()
	return library.Review{Revision: revision, NoSelfApproval: rules.Forbidden}, err
}

// reviewError words the library's refusal of a review.
func reviewError(err error) error {
	if errors.Is(err, library.ErrSelfApproval) {
		return errSelfApproval
	}
	return libraryError(err)
}
