package report

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"go.etcd.io/bbolt"
	"golang.org/x/text/unicode/norm"

	"loa/internal/boltstore"
)

// Settings are what the printed report says of the office that issues it,
// as an administrative document (Nghị định 30/2020/NĐ-CP) must: the ward
// (the governing body, "UBND phường …"), the issuing office, the place
// written before the date, the document's symbol, who signs, and who
// receives it. An administrator sets them once.
type Settings struct {
	Ward        string   `json:"ward"`         // Phường An Phú
	Office      string   `json:"office"`       // Phòng Văn hóa – Xã hội
	Place       string   `json:"place"`        // An Phú (…, ngày 07 tháng 12 năm 2026)
	Symbol      string   `json:"symbol"`       // BC-VHXH (Số: …/BC-VHXH)
	SignerTitle string   `json:"signer_title"` // TRƯỞNG PHÒNG
	SignerName  string   `json:"signer_name"`  // Nguyễn Văn A
	Recipients  []string `json:"recipients"`   // Nơi nhận, one a line
}

// DefaultOffice is the office that keeps the loudspeakers in a ward.
const DefaultOffice = "Phòng Văn hóa – Xã hội"

// Complete reports whether the settings name the ward, the office and
// the signer: what a report an official signs cannot go without.
func (s Settings) Complete() bool {
	return s.Ward != "" && s.Office != "" && s.SignerTitle != "" && s.SignerName != ""
}

// ErrBadSettings is wrapped by every Settings validation error; Field names
// the field.
var ErrBadSettings = errors.New("invalid report settings")

// SettingsError is a field of the settings that cannot be stored.
type SettingsError struct{ Field string }

func (e *SettingsError) Error() string { return ErrBadSettings.Error() + ": " + e.Field }
func (e *SettingsError) Unwrap() error { return ErrBadSettings }

// maxSettingLen bounds every field: a line of a letterhead.
const maxSettingLen = 200

// Normalize trims every field to NFC and drops empty recipients.
func (s *Settings) Normalize() {
	for _, f := range []*string{&s.Ward, &s.Office, &s.Place, &s.Symbol, &s.SignerTitle, &s.SignerName} {
		*f = norm.NFC.String(strings.TrimSpace(*f))
	}
	var rs []string
	for _, r := range s.Recipients {
		if r = norm.NFC.String(strings.TrimSpace(r)); r != "" {
			rs = append(rs, r)
		}
	}
	s.Recipients = rs
}

// Validate checks lengths and that no field holds a line break.
func (s Settings) Validate() error {
	fields := map[string]string{"ward": s.Ward, "office": s.Office, "place": s.Place, "symbol": s.Symbol,
		"signer_title": s.SignerTitle, "signer_name": s.SignerName}
	for i, r := range s.Recipients {
		fields[fmt.Sprint("recipients.", i)] = r
	}
	for name, v := range fields {
		if utf8.RuneCountInString(v) > maxSettingLen || strings.ContainsAny(v, "\r\n") || !utf8.ValidString(v) {
			return &SettingsError{Field: name}
		}
	}
	if len(s.Recipients) > 20 {
		return &SettingsError{Field: "recipients"}
	}
	return nil
}

var (
	bucketSettings = []byte("report_settings")
	keySettings    = []byte("settings")
)

var settingsSchema = boltstore.Schema{Name: "report_settings", Migrations: []boltstore.Migration{
	func(tx *bbolt.Tx) error { _, err := tx.CreateBucketIfNotExists(bucketSettings); return err },
}}

// SettingsStore keeps the report settings in the server's database.
type SettingsStore struct{ db *bbolt.DB }

// OpenSettings creates the store's bucket and runs its migrations.
func OpenSettings(db *bbolt.DB) (*SettingsStore, error) {
	if err := settingsSchema.Open(db); err != nil {
		return nil, err
	}
	return &SettingsStore{db: db}, nil
}

// Get returns the settings; never set, they are empty but for the office.
func (st *SettingsStore) Get() (Settings, error) {
	s := Settings{Office: DefaultOffice}
	err := st.db.View(func(tx *bbolt.Tx) error {
		if v := tx.Bucket(bucketSettings).Get(keySettings); v != nil {
			return json.Unmarshal(v, &s)
		}
		return nil
	})
	if err != nil {
		return s, fmt.Errorf("read report settings: %w", err)
	}
	return s, nil
}

// Put normalises, validates and stores s whole.
func (st *SettingsStore) Put(s Settings) (Settings, error) {
	s.Normalize()
	if err := s.Validate(); err != nil {
		return s, err
	}
	data, err := json.Marshal(s)
	if err != nil {
		return s, err
	}
	err = st.db.Update(func(tx *bbolt.Tx) error { return tx.Bucket(bucketSettings).Put(keySettings, data) })
	if err != nil {
		return s, fmt.Errorf("store report settings: %w", err)
	}
	return s, nil
}
