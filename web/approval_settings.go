package web

import (
	"errors"
	"net/http"

	"loa/playlist/library"
	"loa/web/account"
)

// Separation of duties: whether an approver may approve an item they
// uploaded, edited or submitted themselves (account.SelfApproval*: "auto",
// the default, forbids it as soon as the ward has more than one person who
// can approve; "forbidden" and "allowed" say so whatever the count).

var (
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

// approvalRules is what the setting means now.
func (s *Server) approvalRules() (approvalSettings, error) {
	setting, err := s.users.SelfApproval()
	if err != nil {
		return approvalSettings{}, err
	}
	n, err := s.users.Approvers()
	if err != nil {
		return approvalSettings{}, err
	}
	forbidden := setting == account.SelfApprovalForbidden || setting == account.SelfApprovalAuto && n > 1
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
	case account.SelfApprovalAuto, account.SelfApprovalForbidden, account.SelfApprovalAllowed:
	default:
		return errSelfApprovalValue
	}
	before, err := s.approvalRules()
	if err != nil {
		return err
	}
	if err := s.users.SetSelfApproval(req.SelfApproval); err != nil {
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
