package playlist

import (
	"errors"
	"fmt"
	"time"

	"go.etcd.io/bbolt"
)

// Rules are the building rules the ward sets itself (the schedule page's
// admin); the rest of Config is set at start. They apply from the
// planner's next build.
type Rules struct {
	// SeparationMinutes is the least time between two starts of one item,
	// 0 to MaxSeparationMinutes (Config.Separation).
	SeparationMinutes int       `json:"separation_minutes"`
	UpdatedAt         time.Time `json:"updated_at,omitzero"`
}

// MaxSeparationMinutes bounds Rules.SeparationMinutes: a day.
const MaxSeparationMinutes = 24 * 60

var (
	bucketRules = []byte("playlist.rules") // rulesKey → JSON Rules
	rulesKey    = []byte("rules")
)

// Validate checks rules before they are stored.
func (r Rules) Validate() error {
	if r.SeparationMinutes < 0 || r.SeparationMinutes > MaxSeparationMinutes {
		return fieldErr("separation_minutes", CodeOutOfRange)
	}
	return nil
}

// CodeOutOfRange marks a figure outside what a rule allows.
const CodeOutOfRange = "out_of_range"

// apply sets cfg's rules from r.
func (r Rules) apply(cfg *Config) {
	cfg.Separation = time.Duration(r.SeparationMinutes) * time.Minute
}

// rulesOf returns cfg's rules.
func rulesOf(cfg Config) Rules {
	return Rules{SeparationMinutes: int(cfg.Separation / time.Minute)}
}

// Rules returns the ward's rules, or ErrNotFound when none were ever set.
func (st *Store) Rules() (Rules, error) {
	var r Rules
	err := st.db.View(func(tx *bbolt.Tx) error {
		return getJSON(tx.Bucket(bucketRules), rulesKey, &r)
	})
	return r, err
}

// PutRules validates and stores the ward's rules; it returns what was
// stored and the rules as they were (zero when never set).
func (st *Store) PutRules(r Rules) (stored, before Rules, err error) {
	if err := r.Validate(); err != nil {
		return Rules{}, Rules{}, err
	}
	r.UpdatedAt = st.now().UTC()
	err = st.db.Update(func(tx *bbolt.Tx) error {
		b := tx.Bucket(bucketRules)
		if err := getJSON(b, rulesKey, &before); err != nil && !errors.Is(err, ErrNotFound) {
			return err
		}
		return putJSON(b, rulesKey, r)
	})
	if err != nil {
		return Rules{}, Rules{}, fmt.Errorf("put rules: %w", err)
	}
	return r, before, nil
}

// Rules returns the rules the planner's next build follows: the ward's,
// or, until they are set, those of its configuration.
func (p *Planner) Rules() (Rules, error) {
	r, err := p.store.Rules()
	if errors.Is(err, ErrNotFound) {
		return rulesOf(p.cfg.Build), nil
	}
	return r, err
}

// buildConfig is the planner's configuration with the ward's rules.
func (p *Planner) buildConfig() (Config, error) {
	cfg := p.cfg.Build
	r, err := p.store.Rules()
	switch {
	case errors.Is(err, ErrNotFound):
		return cfg, nil
	case err != nil:
		return cfg, fmt.Errorf("rules: %w", err)
	}
	r.apply(&cfg)
	return cfg, nil
}

// createRules is migration 4: the ward's rules.
func createRules(tx *bbolt.Tx) error {
	_, err := tx.CreateBucketIfNotExists(bucketRules)
	return err
}
