package main

import (
	"bytes"
	"context"
	"embed"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"mime/multipart"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"

	"go.etcd.io/bbolt"
	"golang.org/x/sync/errgroup"

	"loa/audio/playback"
	"loa/broadcast/agent"
	"loa/internal/ward"
)

//go:embed demo/audio/*.mp3
var demoAudio embed.FS

// demoPassword is the demo's admin password, printed at start: the demo
// holds nothing worth protecting and lives in a throwaway directory.
const demoPassword = "loa-demo-2026"

// runDemo starts a whole ward in one process: a server on a throwaway data
// directory, the sample announcements, groups, stations, programmes (the
// morning and evening bulletins, the Thursday CCHC column, and one that
// starts within two minutes) and an agent per station, then prints where
// to look. Everything is set up through the same HTTP API an operator uses.
func runDemo(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	var env envDefaults
	fs := flag.NewFlagSet("loa demo", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", env.str("LOA_ADDR", DefaultAddr), "HTTP listen address (LOA_ADDR)")
	data := fs.String("data", "", "keep the demo in this directory (default: a temporary one, removed at exit)")
	output := fs.String("output", "null", `the agents' output: "null", or "wav" (each item as a WAV in the data directory)`)
	if err := fs.Parse(args); err != nil {
		return exitFlagErr(err)
	}
	if *output != "null" && *output != "wav" {
		fmt.Fprintln(stderr, `loa demo: --output: want "null" or "wav"`)
		return 2
	}
	dir := *data
	if dir == "" {
		tmp, err := os.MkdirTemp("", "loa-demo-")
		if err != nil {
			fmt.Fprintln(stderr, "loa demo:", err)
			return 1
		}
		defer os.RemoveAll(tmp)
		dir = tmp
	} else if _, err := os.Stat(filepath.Join(dir, "loa.db")); err == nil {
		fmt.Fprintf(stderr, "loa demo: %s already holds a Loa database; the demo only runs on a new directory\n", dir)
		return 2
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	opts := demoOptions{dir: dir, addr: *addr, output: *output, lead: 2 * time.Minute}
	if err := demo(ctx, opts, log, stdout); err != nil && !errors.Is(err, context.Canceled) {
		fmt.Fprintln(stderr, "loa demo:", err)
		return 1
	}
	return 0
}

// demoOptions say where the demo lives and when its first bulletin starts.
type demoOptions struct {
	dir, addr, output string
	lead              time.Duration // the first bulletin starts this long after the current minute
}

func demo(ctx context.Context, opts demoOptions, log *slog.Logger, stdout io.Writer) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	listening := make(chan string, 1)
	dir := opts.dir
	cfg := serveConfig{Data: filepath.Join(dir, "server"), Addr: opts.addr, MaxUploadMB: DefaultMaxUploadMB,
		TargetLUFS: DefaultTargetLUFS, LogLevel: "warn", AdminPassword: demoPassword,
		onListen: func(url string) { listening <- url }, freeze: 20 * time.Second}
	g, ctx := errgroup.WithContext(ctx)
	g.Go(func() error { return serve(ctx, cfg, log, io.Discard) })
	var url string
	select {
	case url = <-listening:
	case <-ctx.Done():
		return g.Wait()
	}
	c, err := signIn(ctx, url, "admin", demoPassword)
	if err != nil {
		return err
	}
	w := demoWard{c: c, now: time.Now(), lead: opts.lead}
	tokens, err := w.seed(ctx)
	if err != nil {
		return fmt.Errorf("set up the demo ward: %w", err)
	}
	for id, token := range tokens {
		g.Go(func() error {
			return runDemoAgent(ctx, url, id, token, filepath.Join(dir, "agents", id), opts.output, log)
		})
	}
	fmt.Fprintf(stdout, `Loa — bản trình diễn / demo
  Mở / open:        %s
  Đăng nhập / login: admin / %s
  Dữ liệu / data:    %s
  Nghe lại (công khai / public): %s/nghe-lai/
  %d trạm với phần mềm trạm chạy sẵn; bản tin trình diễn bắt đầu lúc %s.
  %d stations with their agents running; the demo bulletin starts at %s.
Ctrl+C để dừng / to stop.
`, url, demoPassword, dir, url, len(tokens), w.demoStart.Format("15:04"), len(tokens), w.demoStart.Format("15:04"))
	return g.Wait()
}

// runDemoAgent is one station's agent, in this process.
func runDemoAgent(ctx context.Context, server, id, token, dir, output string, log *slog.Logger) error {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return err
	}
	db, err := bbolt.Open(filepath.Join(dir, "agent.db"), 0o600, &bbolt.Options{Timeout: time.Second})
	if err != nil {
		return err
	}
	defer db.Close()
	st, err := agent.Open(db)
	if err != nil {
		return err
	}
	cache, err := agent.NewCache(filepath.Join(dir, "audio"))
	if err != nil {
		return err
	}
	spec := "null"
	if output == "wav" {
		spec = "wav:" + filepath.Join(dir, "played")
	}
	a, err := agent.New(agent.Config{Server: server, Token: token, DataDir: dir, Version: "demo-" + version,
		Log: log.With("station", id)}, st, cache,
		func() (playback.Output, error) { return playback.Open(spec, 0, log) })
	if err != nil {
		return err
	}
	return a.Run(ctx)
}

// demoWard sets up a realistic ward through the API.
type demoWard struct {
	c         *apiClient
	now       time.Time
	lead      time.Duration
	demoStart time.Time // local start of the slot that airs right away
}

// The ward: three areas (the communes merged into it) and six stations.
var (
	demoGroups = [][2]string{{"an-phu", "Phường An Phú cũ"}, {"binh-trung", "Phường Bình Trưng cũ"}, {"thanh-my", "Xã Thạnh Mỹ cũ"}}
	demoSites  = []struct{ id, name, group string }{
		{"tdp-01", "Tổ dân phố 1", "an-phu"}, {"tdp-02", "Tổ dân phố 2", "an-phu"},
		{"tdp-05", "Tổ dân phố 5", "binh-trung"}, {"tdp-07", "Tổ dân phố 7", "binh-trung"},
		{"thon-1", "Thôn Thạnh Mỹ 1", "thanh-my"}, {"thon-2", "Thôn Thạnh Mỹ 2", "thanh-my"},
	}
	// demoReportSettings are the printed report's letterhead and signer.
	demoReportSettings = map[string]any{"ward": "Phường An Phú", "office": "Phòng Văn hóa – Xã hội", "place": "An Phú",
		"symbol": "BC-VHXH", "signer_title": "Trưởng phòng", "signer_name": "Nguyễn Thị Lan",
		"recipients": []string{"UBND phường (để báo cáo);", "Lưu: VT, VHXH."}}
	// demoItems are the sample announcements: file, title, topic, level.
	demoItems = []struct{ file, title, topic, level string }{
		{"nhac-hieu", "Nhạc hiệu Đài truyền thanh phường", "khac", "ordinary"},
		{"dvc-truc-tuyen", "Đăng ký khai sinh, thường trú qua Cổng dịch vụ công", "cchc-dvc-truc-tuyen", "priority"},
		{"vneid", "Kích hoạt tài khoản định danh điện tử VNeID mức 2", "cchc-dvc-truc-tuyen", "ordinary"},
		{"mot-cua", "Giờ làm việc của bộ phận một cửa", "cchc-tthc", "ordinary"},
		{"papi", "Chỉ số PAPI và ý kiến của người dân", "cchc-chi-so", "ordinary"},
		{"ket-qua-cchc", "Kết quả cải cách hành chính quý III", "cchc-ket-qua", "ordinary"},
		{"tiem-chung", "Lịch tiêm chủng mở rộng", "tin-tuc", "ordinary"},
		{"ve-sinh", "Ra quân tổng vệ sinh ngày chủ nhật", "tin-tuc", "ordinary"},
		{"bao", "Thông báo khẩn: bão số 5", "thien-tai", "emergency"},
	}
)

// seed creates the ward and returns each station's token.
func (w *demoWard) seed(ctx context.Context) (map[string]string, error) {
	if err := w.c.call(ctx, "PUT", "/api/report-settings", demoReportSettings, nil); err != nil {
		return nil, fmt.Errorf("report settings: %w", err)
	}
	for _, g := range demoGroups {
		if err := w.c.call(ctx, "PUT", "/api/groups/"+g[0], map[string]string{"name": g[1]}, nil); err != nil {
			return nil, fmt.Errorf("group %s: %w", g[0], err)
		}
	}
	tokens := map[string]string{}
	for _, s := range demoSites {
		var created struct {
			Token string `json:"token"`
		}
		body := map[string]any{"id": s.id, "name": s.name, "groups": []string{s.group}}
		if err := w.c.call(ctx, "POST", "/api/stations", body, &created); err != nil {
			return nil, fmt.Errorf("station %s: %w", s.id, err)
		}
		tokens[s.id] = created.Token
	}
	ids := map[string]uint64{}
	for _, it := range demoItems {
		id, err := w.addItem(ctx, it.file, it.title, it.topic, it.level)
		if err != nil {
			return nil, fmt.Errorf("announcement %s: %w", it.file, err)
		}
		ids[it.file] = id
		if strings.HasPrefix(it.topic, "cchc") { // the CCHC column on "Nghe lại" too
			if err := w.c.call(ctx, "PUT", fmt.Sprintf("/api/segments/%d/public", id), map[string]bool{"public": true}, nil); err != nil {
				return nil, fmt.Errorf("make %s public: %w", it.file, err)
			}
		}
	}
	return tokens, w.programmes(ctx, ids["nhac-hieu"])
}

// addItem uploads one sample, then submits and approves it.
func (w *demoWard) addItem(ctx context.Context, file, title, topic, level string) (uint64, error) {
	data, err := fs.ReadFile(demoAudio, path.Join("demo/audio", file+".mp3"))
	if err != nil {
		return 0, err
	}
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, v := range map[string]string{"title": title, "topic": topic, "level": level, "targets": "all"} {
		mw.WriteField(k, v)
	}
	part, _ := mw.CreateFormFile("file", file+".mp3")
	part.Write(data)
	mw.Close()
	req, err := http.NewRequestWithContext(ctx, "POST", w.c.server+"/api/segments", &body)
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	var seg struct {
		ID uint64 `json:"id"`
	}
	if err := w.c.do(req, &seg); err != nil {
		return 0, err
	}
	for _, action := range []string{"submit", "approve"} {
		if err := w.c.call(ctx, "POST", fmt.Sprintf("/api/segments/%d/%s", seg.ID, action), map[string]string{"comment": "Bản trình diễn"}, nil); err != nil {
			return 0, fmt.Errorf("%s: %w", action, err)
		}
	}
	return seg.ID, nil
}

// programmes sets the ward's week: a morning and an evening bulletin, the
// Thursday evening CCHC column, and a bulletin that starts in a minute or
// two so that the demo airs at once.
func (w *demoWard) programmes(ctx context.Context, jingle uint64) error {
	zone := ward.Zone()
	start := w.now.In(zone).Truncate(time.Minute).Add(w.lead)
	w.demoStart = start
	all := map[string]any{"all": true}
	cchc := []string{"cchc-chinh-sach", "cchc-trach-nhiem", "cchc-chi-so", "cchc-tthc", "cchc-dvc-truc-tuyen",
		"cchc-chuyen-doi-so", "cchc-bo-may", "cchc-ket-qua", "cchc-giam-sat"}
	list := []map[string]any{
		{"id": "sang", "name": "Bản tin buổi sáng", "targets": all, "intro_id": jingle,
			"slots": []map[string]any{{"id": "sang", "kind": "announcements", "days": []int{1, 2, 3, 4, 5, 6}, "start": "06:00", "minutes": 30}}},
		{"id": "chieu", "name": "Bản tin buổi chiều", "targets": all, "intro_id": jingle,
			"slots": []map[string]any{{"id": "chieu", "kind": "announcements", "days": []int{0, 1, 2, 3, 4, 5, 6}, "start": "17:30", "minutes": 30}}},
		{"id": "cchc", "name": "Chuyên mục Cải cách hành chính", "targets": all, "intro_id": jingle,
			"slots": []map[string]any{{"id": "thu-nam", "kind": "column", "days": []int{4}, "start": "19:00", "minutes": 20, "topics": cchc}}},
		{"id": "trinh-dien", "name": "Bản tin trình diễn", "targets": all, "intro_id": jingle,
			"slots": []map[string]any{{"id": "ngay-nay", "kind": "announcements", "date": start.Format(time.DateOnly),
				"start": start.Format("15:04"), "minutes": 15}}},
	}
	for _, p := range list {
		if err := w.c.call(ctx, "PUT", "/api/programmes/"+p["id"].(string), p, nil); err != nil {
			return fmt.Errorf("programme %s: %w", p["id"], err)
		}
	}
	return nil
}

// call sends body as JSON and decodes the answer into out (if not nil).
func (c *apiClient) call(ctx context.Context, method, path string, body, out any) error {
	data, err := json.Marshal(body)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, method, c.server+path, bytes.NewReader(data))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept-Language", "en")
	return c.do(req, out)
}
