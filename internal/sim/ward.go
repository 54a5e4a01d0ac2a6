package sim

import (
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/cookiejar"
	"path/filepath"
	"time"
)

// A segment the operator knows: its library id, what it is, and whether
// the library has it approved (the operator's own view, from its actions).
type segment struct {
	id       uint64
	level    string // ordinary, priority, emergency
	approved bool
	archived bool
	jingle   bool
}

// ward is the simulated ward: the server, the stations, the network, the
// operator's client and the seeded randomness that drives them.
type ward struct {
	cfg      Config
	rng      *rand.Rand
	log      *slog.Logger
	net      *network
	srv      *server
	srvDone  <-chan error
	cancel   context.CancelFunc
	op       *client
	stations []*station
	byID     map[string]*station
	segs     []*segment
	progs    map[string]programme
	oracle   *oracle
}

// Groups of the ward: the communes merged into it.
var wardGroups = [][2]string{{"an-phu", "Phường An Phú cũ"}, {"binh-trung", "Phường Bình Trưng cũ"}, {"thanh-my", "Xã Thạnh Mỹ cũ"}}

// Topics the operator's uploads take (the built-in CCHC ones and news).
var wardTopics = []string{"cchc-tthc", "cchc-dvc-truc-tuyen", "cchc-chi-so", "cchc-ket-qua", "tin-tuc"}

const adminPassword = "sim-admin-password"

// openWard starts the server at the bubble's current time, seeds the ward
// through the API as an operator would on day one, and starts the agents.
func openWard(cfg Config) (*ward, error) {
	w := &ward{cfg: cfg, rng: rand.New(rand.NewPCG(cfg.Seed, 0x10a)), log: cfg.Log, net: newNetwork(),
		byID: map[string]*station{}, progs: map[string]programme{}}
	var err error
	if w.srv, err = openServer(filepath.Join(cfg.Dir, "server"), w.log); err != nil {
		return nil, err
	}
	if _, err := w.srv.web.EnsureAdmin(adminPassword); err != nil {
		w.srv.close()
		return nil, err
	}
	ctx, cancel := context.WithCancel(context.Background())
	w.cancel = cancel
	w.srvDone = w.srv.run(ctx, w.net, w.log)
	w.op = &client{http: &http.Client{Transport: &http.Transport{DialContext: w.net.dialer("operator")}}}
	w.oracle = newOracle(w)
	if err := w.seed(context.Background()); err != nil {
		w.close()
		return nil, fmt.Errorf("seed the ward: %w", err)
	}
	return w, nil
}

// seed signs in, makes an API token, the groups, the stations, the
// library and the programmes, then starts every agent.
func (w *ward) seed(ctx context.Context) error {
	jar, _ := cookiejar.New(nil)
	browser := &client{http: &http.Client{Jar: jar, Transport: w.op.http.Transport}}
	if err := browser.call(ctx, "POST", "/api/login", map[string]string{"name": "admin", "password": adminPassword}, nil); err != nil {
		return err
	}
	var tok struct {
		Token string `json:"token"`
	}
	if err := browser.call(ctx, "POST", "/api/tokens", map[string]string{"name": "mô phỏng", "role": "admin"}, &tok); err != nil {
		return err
	}
	w.op.token = tok.Token
	for _, g := range wardGroups {
		if err := w.op.call(ctx, "PUT", "/api/groups/"+g[0], map[string]string{"name": g[1]}, nil); err != nil {
			return err
		}
	}
	for i := range w.cfg.Stations {
		id := fmt.Sprintf("tdp-%02d", i+1)
		var created struct {
			Token string `json:"token"`
		}
		body := map[string]any{"id": id, "name": fmt.Sprintf("Tổ dân phố %d", i+1), "groups": []string{wardGroups[i%len(wardGroups)][0]}}
		if err := w.op.call(ctx, "POST", "/api/stations", body, &created); err != nil {
			return err
		}
		s, err := newStation(id, created.Token, filepath.Join(w.cfg.Dir, "stations"), w.cfg.Seed)
		if err != nil {
			return err
		}
		w.stations = append(w.stations, s)
		w.byID[id] = s
	}
	if err := w.seedLibrary(ctx); err != nil {
		return err
	}
	if err := w.seedProgrammes(ctx); err != nil {
		return err
	}
	for _, s := range w.stations {
		if err := s.start(w.net, w.log); err != nil {
			return err
		}
	}
	return nil
}

// seedLibrary uploads the jingle, a dozen announcements (most approved,
// some left waiting for the leader) and two emergency recordings.
func (w *ward) seedLibrary(ctx context.Context) error {
	add := func(level string, jingle, approve bool) error {
		s, err := w.upload(ctx, level, jingle)
		if err != nil {
			return err
		}
		if approve {
			return w.approve(ctx, s)
		}
		return nil
	}
	if err := add("ordinary", true, true); err != nil {
		return err
	}
	for i := range 12 {
		level := "ordinary"
		if i%4 == 0 {
			level = "priority"
		}
		if err := add(level, false, i < 8); err != nil {
			return err
		}
	}
	for range 2 {
		if err := add("emergency", false, true); err != nil {
			return err
		}
	}
	return nil
}

// upload adds a recording of 2–6 s and submits it.
func (w *ward) upload(ctx context.Context, level string, jingle bool) (*segment, error) {
	n := len(w.segs) + 1
	title := fmt.Sprintf("Thông báo số %d", n)
	if jingle {
		title = "Nhạc hiệu Đài truyền thanh phường"
	}
	topic := wardTopics[w.rng.IntN(len(wardTopics))]
	data := speechWAV(2+4*w.rng.Float64(), w.rng)
	id, err := w.op.upload(ctx, fmt.Sprintf("thong-bao-%d.wav", n), data,
		map[string]string{"title": title, "topic": topic, "level": level, "targets": "all"})
	if err != nil {
		return nil, err
	}
	if err := w.op.call(ctx, "POST", fmt.Sprintf("/api/segments/%d/submit", id), map[string]string{"comment": "mô phỏng"}, nil); err != nil {
		return nil, err
	}
	s := &segment{id: id, level: level, jingle: jingle}
	w.segs = append(w.segs, s)
	return s, nil
}

func (w *ward) approve(ctx context.Context, s *segment) error {
	if err := w.op.call(ctx, "POST", fmt.Sprintf("/api/segments/%d/approve", s.id), map[string]string{"comment": "duyệt"}, nil); err != nil {
		return err
	}
	s.approved = true
	return nil
}

// close stops the agents and the server and closes their stores.
func (w *ward) close() error {
	var first error
	keep := func(err error) {
		if err != nil && first == nil {
			first = err
		}
	}
	for _, s := range w.stations {
		keep(s.stop())
	}
	w.net.Close()
	w.cancel()
	if w.srv.http != nil {
		w.srv.http.Close()
		for range 2 {
			keep(<-w.srvDone)
		}
	}
	w.op.http.CloseIdleConnections()
	keep(w.srv.close())
	return first
}

// jingleID is the intro every programme starts with.
func (w *ward) jingleID() uint64 {
	for _, s := range w.segs {
		if s.jingle {
			return s.id
		}
	}
	return 0
}

var _ = time.Second
