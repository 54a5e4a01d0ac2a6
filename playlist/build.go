package playlist

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strconv"
	"sync"
	"time"

	"loa/playlist/library"
)

// Defaults of Config.
const (
	DefaultGap        = 2 * time.Second
	DefaultSeparation = 2 * time.Hour
	// DefaultFreeze covers what a change needs to reach a station and be
	// prepared there: the planner's coalescing (1 s), the rebuild, the
	// link, and the agent's prepare lead (0.5 s), which re-plans at once
	// when a new version arrives. It is also how late an item approved
	// for "now" airs at best.
	DefaultFreeze = 30 * time.Second
	DefaultDays   = 7
)

// Config holds the building rules.
type Config struct {
	Gap         time.Duration // silence between two items
	Separation  time.Duration // least time between two starts of one segment
	TargetLUFS  float64       // loudness the gain aims at
	MaxTruePeak float64       // dBTP the gain never pushes a peak above
	// Freeze: on a rebuild, items of the station's current version that
	// start before now+Freeze are kept as sent (the agent may be playing
	// them); only the rest of the day is planned again.
	Freeze time.Duration
}

// DefaultConfig returns the default rules.
func DefaultConfig() Config {
	return Config{Gap: DefaultGap, Separation: DefaultSeparation, TargetLUFS: DefaultTargetLUFS,
		MaxTruePeak: DefaultMaxTruePeak, Freeze: DefaultFreeze}
}

// Item kinds, as the agent protocol names them.
const (
	ItemAudio = "audio"
	ItemRelay = "relay"
)

// An Item is one timed entry of a playlist. DurationMs is the planned
// airtime: the playable part between cue-in and cue-out, or the relay's
// length. GainDB is applied by the agent.
type Item struct {
	ID          string        `json:"id"`
	SegmentID   uint64        `json:"segment_id,omitempty"`
	Title       string        `json:"title"`
	Topic       string        `json:"topic,omitempty"`
	Level       library.Level `json:"level"`
	Kind        string        `json:"kind"`
	StartMs     int64         `json:"start_ms"`
	DurationMs  int64         `json:"duration_ms"`
	CueInMs     int64         `json:"cue_in_ms,omitempty"`
	CueOutMs    int64         `json:"cue_out_ms,omitempty"`
	GainDB      float64       `json:"gain_db"`
	AudioSHA256 string        `json:"audio_sha256,omitempty"`
	AudioSize   int64         `json:"audio_size,omitempty"`
	URL         string        `json:"url,omitempty"`
	Programme   string        `json:"programme"`
	Slot        string        `json:"slot"`
	Reason      Reason        `json:"reason"`

	enc *segEncoding // its segment's fields, encoded once by the Builder
}

// Start returns the planned start instant.
func (it Item) Start() time.Time { return time.UnixMilli(it.StartMs).UTC() }

// EndMs is when the item's planned airtime ends.
func (it Item) EndMs() int64 { return it.StartMs + it.DurationMs }

// A Playlist is what one station plays on one local day. Version and Hash
// are set by the Store; Hash covers only what the agent plays (station,
// date, zone and the items without their reasons).
type Playlist struct {
	Station string       `json:"station"`
	Date    library.Date `json:"date"`
	Zone    string       `json:"zone"`
	Version uint64       `json:"version"`
	Hash    string       `json:"hash"`
	BuiltAt time.Time    `json:"built_at"`
	Slots   []SlotRun    `json:"slots"`
	Items   []Item       `json:"items"`
	Left    []LeftOut    `json:"left,omitempty"`
}

// A Builder turns programmes and the approved library into playlists. It is
// immutable once made (beside the scratch space it hands from one build to
// the next) and safe for concurrent use: make a new one when the library
// or the schedules change. Use it by pointer; it must not be copied.
type Builder struct {
	cfg     Config
	progs   []Programme
	segs    []segInfo // approved segments by id
	byID    map[uint64]int
	targets targetIndex
	scratch sync.Pool // of *scratch, handed from one Build to the next
}

type segInfo struct {
	seg    *library.Segment
	playMs int64
	gain   float64
	jingle bool
	// The segment's level and limits, read for every candidate at every
	// position of a slot: kept here rather than behind seg.
	priority             bool
	minPerDay, maxPerDay int
	enc                  *segEncoding // also the template of its items
}

// NewBuilder prepares a builder. Segments that are not approved are ignored:
// nothing unapproved is ever scheduled.
func NewBuilder(cfg Config, programmes []Programme, segments []library.Segment) *Builder {
	b := &Builder{cfg: cfg, progs: slices.Clone(programmes), byID: map[uint64]int{}}
	slices.SortFunc(b.progs, func(x, y Programme) int { return cmp.Compare(x.ID, y.ID) })
	jingles := map[uint64]bool{}
	for _, p := range b.progs {
		jingles[p.IntroID], jingles[p.OutroID] = true, true
	}
	for i := range segments {
		s := &segments[i]
		if s.Status != library.StatusApproved {
			continue
		}
		b.segs = append(b.segs, segInfo{seg: s, playMs: s.Audio.Playable().Milliseconds(),
			gain: Gain(s.Audio, cfg.TargetLUFS, cfg.MaxTruePeak), jingle: jingles[s.ID],
			priority: s.Level == library.LevelPriority, minPerDay: s.Limits.MinPerDay, maxPerDay: s.Limits.MaxPerDay})
	}
	slices.SortFunc(b.segs, func(x, y segInfo) int { return cmp.Compare(x.seg.ID, y.seg.ID) })
	b.targets = newTargetIndex(b.segs)
	for i := range b.segs {
		s := &b.segs[i]
		b.byID[s.seg.ID] = i
		a := s.seg.Audio
		s.enc = newSegEncoding(Item{SegmentID: s.seg.ID, Title: s.seg.Title, Topic: s.seg.Topic, Level: s.seg.Level,
			Kind: ItemAudio, DurationMs: s.playMs, CueInMs: a.CueInMS, CueOutMs: a.CueOutMS, GainDB: s.gain,
			AudioSHA256: a.SHA256, AudioSize: a.Size})
	}
	return b
}

// A Request asks for the playlists of one station for Days local days from
// From.
type Request struct {
	Station Station
	From    library.Date
	Days    int
	// Now: nothing is planned to start before Now+Freeze; items of Current
	// starting before then are kept.
	Now     time.Time
	Current map[library.Date]*Playlist // the versions the station holds, if any
	History History                    // what aired before From; nil: nothing
}

// Build returns the station's playlists, one per day. The same request on
// the same builder always gives the same playlists.
func (b *Builder) Build(req Request) ([]Playlist, error) {
	if req.Station.Zone == nil {
		return nil, fmt.Errorf("build %s: station has no time zone", req.Station.ID)
	}
	if !validDate(req.From) {
		return nil, fmt.Errorf("build %s: invalid date %q", req.Station.ID, req.From)
	}
	st, err := b.newState(req)
	if err != nil {
		return nil, fmt.Errorf("build %s: %w", req.Station.ID, err)
	}
	defer st.done()
	out := make([]Playlist, 0, req.Days)
	for i := range req.Days {
		d := addDays(req.From, i)
		st.daysLeft = req.Days - i
		pl, err := st.day(d, req.Current[d])
		if err != nil {
			return nil, fmt.Errorf("build %s %s: %w", req.Station.ID, d, err)
		}
		out = append(out, pl)
	}
	return out, nil
}

// cand is one segment the station is targeted by, with its running tallies.
type cand struct {
	*segInfo
	weekCount int   // plays this ISO week: aired before the build, then planned
	weekAired int   // of which aired
	lastMs    int64 // last start, aired or planned; noPlay when none
	dayCount  int   // planned today
	weekMin   int   // plays still owed this week at the start of today

	// per day
	usable   bool    // valid, schedulable today
	unusable leftWhy // why not, when not (unusableWhy)
	fits     bool    // some slot today accepts it and is long enough
	open     bool    // and has that much time left after the freeze instant
	slotted  bool    // some slot today accepts its topic
	blocked  leftWhy // why it was last passed over today
	inRun    bool    // placed in the current slot run
}

const noPlay = math.MinInt64 / 2

type state struct {
	b        *Builder
	req      Request
	freezeMs int64
	busyMs   int64     // end of the last item planned so far, plus the gap
	sepMs    int64     // Config.Separation
	daysLeft int       // days still to build, today included
	runs     []SlotRun // today's
	run      int       // 1 + the index in runs of the run being filled

	// Room for the days still to build, in arrays of their own (never the
	// scratch's: the days are returned), so that a week takes few
	// allocations: items after the last day's, left-out reasons, their
	// segment ids.
	itemFree   []Item
	longestDay int // most items in a day so far
	leftFree   []LeftOut
	idFree     []uint64

	*scratch
}

// scratch is what building one station needs beside its results; a
// Builder hands it from one Build to the next (allocating it for every
// station was about a fifth of the bytes BenchmarkWeek10k allocated).
type scratch struct {
	cands  []cand     // the station's, by segment id
	master []int      // every candidate, in rotation order (byRotation)
	marks  []bool     // for targets.of, all false between uses
	rot    []int      // for fillAudio
	quota  []int      // for fillAudio
	left   []leftPair // for leftOut
	kept   []leftPair // today's slot runs that kept time empty (noteKeptOut)
	ids    []byte     // for nameItems
	idEnds []int      // for nameItems
}

func (b *Builder) newState(req Request) (*state, error) {
	st := &state{b: b, req: req, freezeMs: req.Now.Add(b.cfg.Freeze).UnixMilli(), busyMs: noPlay,
		sepMs: b.cfg.Separation.Milliseconds()}
	st.scratch, _ = b.scratch.Get().(*scratch)
	if st.scratch == nil {
		st.scratch = &scratch{}
	}
	targeted := b.targets.of(req.Station, st.marks)
	st.marks = targeted.marks
	// Everything sized once for this station, rather than grown by append
	// (from nothing whenever the pool dropped the scratch).
	n := targeted.n
	st.cands = room(st.cands, n)
	for i, ok := range targeted.marks {
		if ok {
			st.cands = append(st.cands, cand{segInfo: &b.segs[i], lastMs: noPlay})
			targeted.marks[i] = false
		}
	}
	st.master, st.rot, st.quota = room(st.master, n), room(st.rot, n), room(st.quota, n)
	st.left = room(st.left, 3*n) // up to three reasons each
	for i := range st.cands {
		st.master = append(st.master, i)
	}
	if err := st.loadHistory(); err != nil {
		return nil, err
	}
	st.sortMaster()
	return st, nil
}

// room returns s emptied, with room for n.
func room[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, 0, n)
	}
	return s[:0]
}

// itemsPerDay is a guess at a station's items per day (two half-hour
// bulletins hold about 25), before any day is built.
const itemsPerDay = 32

// reserveItems makes room for a day's items after the last day's: as many
// as the longest day so far and a quarter more, for each day left, in one
// array when the room left is short, so that append seldom has to move a
// day's items (pointers and all) while it is built.
func (st *state) reserveItems() {
	perDay := max(itemsPerDay, st.longestDay+st.longestDay/4)
	if cap(st.itemFree) < perDay {
		st.itemFree = make([]Item, 0, perDay*st.daysLeft)
	}
}

// done hands the scratch back to the Builder; st must not be used after.
func (st *state) done() {
	st.b.scratch.Put(st.scratch)
	st.scratch = nil
}

// loadHistory starts the tallies from what aired this week and lately.
func (st *state) loadHistory() error {
	req := st.req
	if req.History == nil {
		return nil
	}
	zone := req.Station.Zone
	from := dayStart(req.From, zone)
	week, err := req.History.Aired(req.Station.ID, dayStart(weekStart(req.From), zone), from)
	if err != nil {
		return fmt.Errorf("aired this week: %w", err)
	}
	recent, err := req.History.Aired(req.Station.ID, from.Add(-7*24*time.Hour), from)
	if err != nil {
		return fmt.Errorf("aired recently: %w", err)
	}
	for i := range st.cands {
		c := &st.cands[i]
		c.weekCount, c.weekAired = week[c.seg.ID].Count, week[c.seg.ID].Count
		if a, ok := recent[c.seg.ID]; ok && !a.Last.IsZero() {
			c.lastMs = a.Last.UnixMilli()
		}
	}
	return nil
}

// day builds one local day.
func (st *state) day(d library.Date, current *Playlist) (Playlist, error) {
	runs, err := compileDay(st.b.progs, st.req.Station, d)
	if err != nil {
		return Playlist{}, err
	}
	pl := Playlist{Station: st.req.Station.ID, Date: d, Zone: st.req.Station.Zone.String(),
		BuiltAt: st.req.Now.UTC(), Slots: runs}
	st.reserveItems()
	pl.Items = st.itemFree
	if d == weekStart(d) && d != st.req.From {
		for i := range st.cands {
			st.cands[i].weekCount, st.cands[i].weekAired = 0, 0
		}
		st.sortMaster()
	}
	st.startDay(d, runs)
	st.runs, st.kept = runs, st.kept[:0]
	busyMs := max(st.keep(&pl, current), st.busyMs)
	if len(pl.Items) > 0 {
		st.sortMaster()
	}
	kept := len(pl.Items)
	for i := range runs {
		st.run = i + 1
		busyMs = st.fill(&pl, &runs[i], busyMs)
	}
	st.busyMs = busyMs // a slot running past midnight delays the next day's
	st.nameItems(pl.Items[kept:])
	pl.Left = st.leftOut(d)
	// The day keeps its items; the room after them (in the same array, or
	// in the larger one append moved them to) is the next day's.
	n := len(pl.Items)
	pl.Items, st.itemFree = pl.Items[:n:n], pl.Items[n:]
	st.longestDay = max(st.longestDay, n)
	return pl, nil
}

// nameItems gives each planned item its id, "<start ms>-<segment id>": all
// of the day's ids in one string, rather than one allocation per item.
func (st *state) nameItems(items []Item) {
	b, ends := st.ids[:0], st.idEnds[:0]
	for i := range items {
		b = strconv.AppendInt(b, items[i].StartMs, 10)
		b = append(b, '-')
		b = strconv.AppendUint(b, items[i].SegmentID, 10)
		ends = append(ends, len(b))
	}
	all, at := string(b), 0
	for i := range items {
		items[i].ID, at = all[at:ends[i]], ends[i]
	}
	st.ids, st.idEnds = b, ends
}

// startDay resets the day's tallies and works out what each candidate may do.
func (st *state) startDay(d library.Date, runs []SlotRun) {
	t, _ := d.Time(time.UTC)
	daysLeft := 7 - (int(t.Weekday())+6)%7 // today included, week ends on Sunday
	for i := range st.cands {
		c := &st.cands[i]
		c.dayCount, c.blocked, c.slotted, c.fits, c.open = 0, whyNone, false, false, false
		c.weekMin = 0
		if owed := c.seg.Limits.MinPerWeek - c.weekCount; owed > 0 {
			c.weekMin = (owed + daysLeft - 1) / daysLeft
		}
		c.unusable = c.unusableWhy(d)
		c.usable = c.unusable == whyNone
		for j := range runs {
			if r := &runs[j]; accepts(r, c.seg) {
				c.slotted = true
				c.fits = c.fits || c.playMs <= r.EndMs-r.StartMs
				c.open = c.open || c.playMs <= r.EndMs-max(r.StartMs, st.freezeMs)
			}
		}
	}
}

// accepts reports whether run r may carry segment s.
func accepts(r *SlotRun, s *library.Segment) bool {
	return r.Kind != KindRelay && (len(r.slot.Topics) == 0 || slices.Contains(r.slot.Topics, s.Topic))
}

// keep copies the items of the current version that start before the
// freeze instant, counting them as planned, and returns when they end.
func (st *state) keep(pl *Playlist, current *Playlist) int64 {
	if current == nil {
		return noPlay
	}
	busy := int64(noPlay)
	for _, it := range current.Items {
		if it.StartMs >= st.freezeMs {
			break
		}
		pl.Items = append(pl.Items, it)
		busy = max(busy, it.EndMs()+st.b.cfg.Gap.Milliseconds())
		if i, ok := st.candIndex(it.SegmentID); ok && it.Reason.Code != WhyIntro && it.Reason.Code != WhyOutro {
			st.cands[i].count(it.StartMs)
		}
	}
	return busy
}

func (st *state) candIndex(id uint64) (int, bool) {
	return slices.BinarySearchFunc(st.cands, id, func(c cand, id uint64) int { return cmp.Compare(c.seg.ID, id) })
}

func (c *cand) count(startMs int64) {
	c.dayCount++
	c.weekCount++
	c.lastMs = max(c.lastMs, startMs)
}

// fill plans slot run r from the first free instant; it returns the instant
// after the last item and its gap.
func (st *state) fill(pl *Playlist, r *SlotRun, busyMs int64) int64 {
	gap := st.b.cfg.Gap.Milliseconds()
	cursor := max(r.StartMs, busyMs, st.freezeMs)
	end := r.EndMs
	if cursor >= end {
		return busyMs
	}
	intro, outro := st.jingle(r.prog.IntroID, pl.Date), st.jingle(r.prog.OutroID, pl.Date)
	if outro != nil {
		end -= outro.playMs + gap
	}
	first := len(pl.Items)
	if intro != nil && cursor == r.StartMs && cursor+intro.playMs <= end {
		cursor = st.place(pl, r, intro, cursor, Reason{Code: WhyIntro})
	}
	if r.Kind == KindRelay {
		if cursor < end {
			pl.Items = append(pl.Items, Item{Title: r.prog.Name, Level: library.LevelOrdinary,
				Kind: ItemRelay, StartMs: cursor, DurationMs: end - cursor, URL: r.slot.URL,
				Programme: r.Programme, Slot: r.Slot, Reason: Reason{Code: WhyRelay}})
			cursor = end + gap
		}
	} else {
		cursor = st.fillAudio(pl, r, cursor, end)
	}
	if outro != nil && len(pl.Items) > first && cursor+outro.playMs <= r.EndMs {
		cursor = st.place(pl, r, outro, cursor, Reason{Code: WhyOutro})
	}
	return cursor
}

// jingle returns the approved segment id if it may play on day d, or nil.
// A jingle belongs to its programme: the segment's targets and limits do
// not apply, its validity and level do.
func (st *state) jingle(id uint64, d library.Date) *segInfo {
	i, ok := st.b.byID[id]
	if id == 0 || !ok {
		return nil
	}
	s := &st.b.segs[i]
	if s.playMs <= 0 || s.seg.Level == library.LevelEmergency || !d.Within(s.seg.ValidFrom, s.seg.ValidTo) {
		return nil
	}
	return s
}

// place appends segment s at cursor and returns the next free instant.
func (st *state) place(pl *Playlist, r *SlotRun, s *segInfo, cursor int64, why Reason) int64 {
	it := s.enc.of
	it.StartMs, it.Programme, it.Slot, it.Reason, it.enc = cursor, r.Programme, r.Slot, why, s.enc
	pl.Items = append(pl.Items, it)
	return cursor + s.playMs + st.b.cfg.Gap.Milliseconds()
}
