package sim

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"time"
)

// operator is the seeded random person at the ward office, and the weather
// around the stations: it acts at random instants, and heals each
// disturbance it caused after a random while.
type operator struct {
	w     *ward
	rng   *rand.Rand
	at    time.Time
	heals []heal // pending, by time
	n     int    // one-off slots made, for their ids
}

// heal is a disturbance's end.
type heal struct {
	at   time.Time
	name string
	fn   func()
}

// meanGap is the mean time between two of the operator's steps.
const meanGap = 25 * time.Minute

func newOperator(w *ward) *operator {
	return &operator{w: w, rng: rand.New(rand.NewPCG(w.cfg.Seed, 0x0f)), at: time.Now()}
}

// next is the instant of the next step: the next heal, or the operator's
// next action (exponentially spaced).
func (o *operator) next() time.Time {
	gap := time.Duration(o.rng.ExpFloat64() * float64(meanGap))
	o.at = o.at.Add(max(gap, time.Second).Round(time.Millisecond))
	if len(o.heals) > 0 && o.heals[0].at.Before(o.at) {
		o.at = o.heals[0].at
	}
	return o.at
}

// act runs what is due now: the heals, else one random action. It returns
// the action's name ("" when nothing was done).
func (o *operator) act(ctx context.Context) (string, error) {
	if len(o.heals) > 0 && !o.heals[0].at.After(time.Now()) {
		h := o.heals[0]
		o.heals = o.heals[1:]
		h.fn()
		return h.name, nil
	}
	actions := []struct {
		name   string
		weight int
		fn     func(context.Context) error
	}{
		{"approve", 6, o.approve},
		{"archive", 3, o.archive},
		{"upload", 3, o.upload},
		{"new_slot", 6, o.newSlot},
		{"remove_slot", 3, o.removeSlot},
		{"move_slot", 3, o.moveSlot},
		{"emergency_one", 3, o.emergencyOne},
		{"emergency_group", 2, o.emergencyGroup},
		{"emergency_all", 1, o.emergencyAll},
		{"link_drop", 6, o.linkDrop},
		{"agent_restart", 4, o.agentRestart},
		{"clock_jump", 2, o.clockJump},
	}
	total := 0
	for i, a := range actions {
		if slices.Contains(o.w.cfg.Skip, a.name) {
			actions[i].weight = 0
		}
		total += actions[i].weight
	}
	pick := o.rng.IntN(total)
	for _, a := range actions {
		if pick -= a.weight; pick < 0 {
			if err := a.fn(ctx); err != nil {
				return a.name, fmt.Errorf("operator %s: %w", a.name, err)
			}
			return a.name, nil
		}
	}
	return "", nil
}

// later schedules fn at now+d (kept in time order).
func (o *operator) later(d time.Duration, name string, fn func()) {
	h := heal{at: time.Now().Add(d.Round(time.Millisecond)), name: name, fn: fn}
	i, _ := slices.BinarySearchFunc(o.heals, h, func(a, b heal) int { return a.at.Compare(b.at) })
	o.heals = slices.Insert(o.heals, i, h)
}

// healAll runs every pending heal now.
func (o *operator) healAll() {
	for _, h := range o.heals {
		h.fn()
	}
	o.heals = nil
}

// minutes returns a random duration between lo and hi minutes.
func (o *operator) minutes(lo, hi float64) time.Duration {
	return time.Duration((lo + o.rng.Float64()*(hi-lo)) * float64(time.Minute))
}

func (o *operator) station() *station { return o.w.stations[o.rng.IntN(len(o.w.stations))] }

// group picks a group that has stations (station i is in group i mod 3).
func (o *operator) group() string {
	return wardGroups[o.rng.IntN(min(len(wardGroups), len(o.w.stations)))][0]
}

func (o *operator) pickSeg(ok func(*segment) bool) *segment {
	var c []*segment
	for _, s := range o.w.segs {
		if ok(s) {
			c = append(c, s)
		}
	}
	if len(c) == 0 {
		return nil
	}
	return c[o.rng.IntN(len(c))]
}

// approve: the leader approves a waiting announcement.
func (o *operator) approve(ctx context.Context) error {
	s := o.pickSeg(func(s *segment) bool { return !s.approved && !s.archived })
	if s == nil {
		return o.upload(ctx)
	}
	return o.w.approve(ctx, s)
}

// archive: an announcement that served its time is archived.
func (o *operator) archive(ctx context.Context) error {
	s := o.pickSeg(func(s *segment) bool { return s.approved && !s.archived && !s.jingle && s.level != "emergency" })
	if s == nil {
		return nil
	}
	if err := o.w.op.call(ctx, "POST", fmt.Sprintf("/api/segments/%d/archive", s.id), map[string]string{"comment": "hết hạn"}, nil); err != nil {
		return err
	}
	s.approved, s.archived = false, true
	return nil
}

// upload: an editor records a new announcement and submits it.
func (o *operator) upload(ctx context.Context) error {
	level := "ordinary"
	if o.rng.IntN(4) == 0 {
		level = "priority"
	}
	_, err := o.w.upload(ctx, level, false)
	return err
}

// newSlot: a one-off slot today or tomorrow, from a few minutes to hours
// ahead (sometimes "now"), for everyone, a group or one station.
func (o *operator) newSlot(ctx context.Context) error {
	o.n++
	at := time.Now().Add(o.minutes(0, 26*60)).In(wardLoc)
	var targets map[string]any
	switch o.rng.IntN(3) {
	case 0:
		targets = map[string]any{"all": true}
	case 1:
		targets = map[string]any{"groups": []string{o.group()}}
	default:
		targets = map[string]any{"stations": []string{o.station().id}}
	}
	p := programme{ID: fmt.Sprintf("mot-lan-%d", o.n), Name: fmt.Sprintf("Bản tin đột xuất %d", o.n), Targets: targets,
		Slots: []slot{{ID: "s", Kind: "announcements", Date: at.Format(time.DateOnly), Start: at.Format("15:04"), Minutes: 5 + o.rng.IntN(10)}}}
	if o.rng.IntN(2) == 0 {
		p.IntroID = o.w.jingleID()
	}
	return o.w.putProgramme(ctx, p)
}

// removeSlot: a one-off programme is cancelled.
func (o *operator) removeSlot(ctx context.Context) error {
	var ids []string
	for id := range o.w.progs {
		if id != "sang" && id != "chieu" && id != "cchc" {
			ids = append(ids, id)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	slices.Sort(ids)
	id := ids[o.rng.IntN(len(ids))]
	if err := o.w.op.call(ctx, "DELETE", "/api/programmes/"+id, nil, nil); err != nil {
		return err
	}
	delete(o.w.progs, id)
	return nil
}

// moveSlot: the evening bulletin moves by a few minutes (the ward's
// programme edits).
func (o *operator) moveSlot(ctx context.Context) error {
	p := o.w.progs["chieu"]
	p.Slots = slices.Clone(p.Slots)
	p.Slots[0].Start = fmt.Sprintf("17:%02d", 15+o.rng.IntN(30))
	return o.w.putProgramme(ctx, p)
}

func (o *operator) emergencyOne(ctx context.Context) error {
	return o.emergency(ctx, map[string]any{"stations": []string{o.station().id}})
}

func (o *operator) emergencyGroup(ctx context.Context) error {
	return o.emergency(ctx, map[string]any{"groups": []string{o.group()}})
}

func (o *operator) emergencyAll(ctx context.Context) error {
	return o.emergency(ctx, map[string]any{"all": true})
}

// emergency plays an approved emergency recording now; sometimes the
// operator stops it a few seconds later.
func (o *operator) emergency(ctx context.Context, to map[string]any) error {
	s := o.pickSeg(func(s *segment) bool { return s.approved && s.level == "emergency" })
	if s == nil {
		return nil
	}
	body := map[string]any{"kind": "emergency_play", "segment_id": s.id, "repeat": 1 + o.rng.IntN(2)}
	for k, v := range to {
		body[k] = v
	}
	var sent struct {
		ID string `json:"id"`
	}
	at := time.Now()
	if err := o.w.op.call(ctx, "POST", "/api/commands", body, &sent); err != nil {
		return err
	}
	e := &emergency{id: sent.ID, item: fmt.Sprintf("seg-%d", s.id), at: at, targets: o.targets(to)}
	o.w.oracle.emergencies = append(o.w.oracle.emergencies, e)
	if o.rng.IntN(4) == 0 {
		stop := map[string]any{"kind": "emergency_stop"}
		for k, v := range to {
			stop[k] = v
		}
		o.later(time.Duration(1+o.rng.IntN(5))*time.Second, "emergency_stop", func() {
			e.stopAt = time.Now()
			if err := o.w.op.call(ctx, "POST", "/api/commands", stop, nil); err != nil {
				o.w.log.Error("emergency stop", "err", err)
			}
		})
	}
	return nil
}

// targets lists the stations a command's targets name.
func (o *operator) targets(to map[string]any) []string {
	var out []string
	for i, s := range o.w.stations {
		switch {
		case to["all"] == true:
		case to["stations"] != nil && slices.Contains(to["stations"].([]string), s.id):
		case to["groups"] != nil && slices.Contains(to["groups"].([]string), wardGroups[i%len(wardGroups)][0]):
		default:
			continue
		}
		out = append(out, s.id)
	}
	return out
}

// linkDrop: a station's link is cut for a minute to a few hours.
func (o *operator) linkDrop(context.Context) error {
	s := o.station()
	if o.w.net.isCut(s.id) {
		return nil
	}
	o.w.net.cut(s.id, true)
	o.w.oracle.disturb(s.id, "link_cut", time.Now())
	o.later(o.minutes(1, 180), "link_restored", func() {
		o.w.net.cut(s.id, false)
		o.w.oracle.heal(s.id, "link_cut", time.Now())
	})
	return nil
}

// agentRestart: a station's agent stops (power cut, crash) and starts
// again from seconds to an hour later.
func (o *operator) agentRestart(context.Context) error {
	s := o.station()
	if !s.running() {
		return nil
	}
	if err := s.stop(); err != nil {
		return fmt.Errorf("stop %s: %w", s.id, err)
	}
	o.w.oracle.disturb(s.id, "agent_stopped", time.Now())
	o.later(o.minutes(0.1, 60), "agent_started", func() {
		if err := s.start(o.w.net, o.w.log); err != nil {
			o.w.log.Error("start agent", "station", s.id, "err", err)
		}
		o.w.oracle.heal(s.id, "agent_stopped", time.Now())
	})
	return nil
}

// clockJump: a station's wall clock is set wrong by seconds to minutes
// (a dead RTC battery, NTP stepping it), and right again later.
func (o *operator) clockJump(context.Context) error {
	s := o.station()
	if s.jump.Load() != 0 {
		return nil
	}
	j := time.Duration((1 + o.rng.Float64()*600) * float64(time.Second))
	if o.rng.IntN(2) == 0 {
		j = -j
	}
	s.jump.Store(int64(j))
	o.w.oracle.disturb(s.id, fmt.Sprintf("clock_%+ds", int(j.Seconds())), time.Now())
	o.w.oracle.clockSet[s.id] = append(o.w.oracle.clockSet[s.id], time.Now())
	o.later(o.minutes(5, 120), "clock_fixed", func() {
		s.jump.Store(0)
		o.w.oracle.heal(s.id, fmt.Sprintf("clock_%+ds", int(j.Seconds())), time.Now())
		o.w.oracle.clockSet[s.id] = append(o.w.oracle.clockSet[s.id], time.Now())
	})
	return nil
}
