package sim

import (
	"context"
	"fmt"
	"log/slog"
	"testing/synctest"
	"time"
)

// Config says which ward to simulate and for how long.
type Config struct {
	Seed     uint64
	Stations int
	Days     int
	// Start is the first simulated midnight (in the ward's zone); the ward
	// is set up the evening before.
	Start time.Time
	Dir   string       // temporary directory for every store
	Log   *slog.Logger // the server's and agents' logs
	// Quiet turns the random operator off: only the programmes air.
	Quiet bool
	// Skip names operator actions it never takes (clock_jump, link_drop…).
	Skip []string
	// Stop, when it reports true, ends the week early at the next step
	// (healed and checked as at the end): the caller's real deadline.
	Stop func() bool
}

// DefaultStart is Monday 28 December 2026 in the ward: the week crosses
// a year's and a quarter's end (Q4 2026 → Q1 2027).
func DefaultStart() time.Time {
	zone, err := time.LoadLocation(wardZone)
	if err != nil {
		panic(err)
	}
	return time.Date(2026, 12, 28, 0, 0, 0, 0, zone)
}

// Failure is a broken invariant: the seed and the step replay it.
type Failure struct {
	Seed uint64
	Step int
	At   time.Time
	What string
}

func (f *Failure) Error() string {
	return fmt.Sprintf("seed %d, step %d (%s in the ward): %s", f.Seed, f.Step, f.At.In(wardLoc).Format("Mon 02/01/2006 15:04:05"), f.What)
}

// Stats are what a run did.
type Stats struct {
	Steps, Actions int
	Planned, Aired int // items due by the end, and aired events in the ledger
	Emergencies    int
	StationDays    float64
	Violations     []string // every broken invariant, in order (Run returns the first)
	ByAction       map[string]int
	Stopped        bool // Config.Stop ended the run early
}

// Run simulates the ward from the evening before cfg.Start for cfg.Days
// days, inside a synctest bubble (the caller's): time.Now must be the
// bubble's clock. It returns the first broken invariant as a *Failure.
func Run(ctx context.Context, cfg Config) (Stats, error) {
	setup := cfg.Start.Add(-4 * time.Hour)
	if d := time.Until(setup); d > 0 {
		time.Sleep(d) // the bubble's clock starts in 2000
	}
	w, err := openWard(cfg)
	if err != nil {
		return Stats{}, err
	}
	st, runErr := w.run(ctx)
	if err := w.close(); runErr == nil && err != nil {
		runErr = fmt.Errorf("close the ward: %w", err)
	}
	return st, runErr
}

// run drives the week: the operator acts, and the oracle checks after
// every step; at the end every disturbance is healed and everything due
// must have been reported.
func (w *ward) run(ctx context.Context) (Stats, error) {
	end := w.cfg.Start.AddDate(0, 0, w.cfg.Days)
	st := Stats{ByAction: map[string]int{}}
	op := newOperator(w)
	for step := 1; ; step++ {
		next := op.next()
		if !next.Before(end) {
			break
		}
		if w.cfg.Stop != nil && w.cfg.Stop() {
			end = time.Now()
			st.Stopped = true
			break
		}
		time.Sleep(time.Until(next))
		st.Steps = step
		if !w.cfg.Quiet {
			name, err := op.act(ctx)
			if err != nil {
				return st, &Failure{Seed: w.cfg.Seed, Step: step, At: time.Now(), What: err.Error()}
			}
			if name != "" {
				st.Actions++
				st.ByAction[name]++
			}
		}
		synctest.Wait() // the ward settles at this instant before the oracle looks
		if v := w.oracle.check(time.Now(), false); len(v) > 0 {
			st.Violations = append(st.Violations, v...)
			return st, &Failure{Seed: w.cfg.Seed, Step: step, At: time.Now(), What: v[0]}
		}
	}
	// Heal the ward, give it an hour to catch up, and check everything.
	op.healAll()
	time.Sleep(time.Until(end.Add(time.Hour)))
	synctest.Wait()
	st.Steps++
	v := w.oracle.check(time.Now(), true)
	v = append(v, w.oracle.checkReports(ctx)...)
	v = append(v, w.oracle.checkVersions()...)
	st.Planned, st.Aired, st.Emergencies = w.oracle.planned, w.oracle.aired, len(w.oracle.emergencies)
	st.StationDays = float64(len(w.stations)) * end.Sub(w.cfg.Start).Hours() / 24
	if len(v) > 0 {
		st.Violations = append(st.Violations, v...)
		return st, &Failure{Seed: w.cfg.Seed, Step: st.Steps, At: time.Now(), What: v[0]}
	}
	return st, nil
}
