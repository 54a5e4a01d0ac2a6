package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/gorilla/websocket"
	"go.etcd.io/bbolt"

	"loa/broadcast/agent"
	"loa/broadcast/protocol"
	"loa/internal/boltstore"
)

// loa doctor checks a server box, or with --agent a station's box, and
// prints one ✓/✗ line per check in Vietnamese and English. It exits 1 when
// an essential check fails; a "!" line is a warning that does not.

// Doctor thresholds.
const (
	doctorDiskFail  = 100 << 20 // below this the data directory cannot take a day's uploads
	doctorDiskWarn  = 1 << 30
	doctorClockSkew = 2 * time.Minute // agents correct smaller offsets on the link
	doctorTimeout   = 10 * time.Second
)

// doctorConfig is what the checks look at.
type doctorConfig struct {
	agent  bool
	data   string
	server string // base URL; "" skips the network checks on a server box
	token  string
	output string // the agent's output: speaker/aplay need a sound card
	now    func() time.Time
}

// A finding is one check's outcome.
type finding struct {
	ok        bool
	essential bool // a failure makes the exit code 1
	vi, en    string
}

func runDoctor(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	c, err := parseDoctorFlags(args)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintln(stderr, "loa doctor:", err)
		return 2
	}
	failed := false
	for _, f := range doctor(ctx, c) {
		mark := "✓"
		switch {
		case !f.ok && f.essential:
			mark, failed = "✗", true
		case !f.ok:
			mark = "!"
		}
		fmt.Fprintf(stdout, "%s %s / %s\n", mark, f.vi, f.en)
	}
	if failed {
		fmt.Fprintln(stdout, "Có lỗi cần sửa / something essential failed")
		return 1
	}
	return 0
}

func parseDoctorFlags(args []string) (doctorConfig, error) {
	c := doctorConfig{now: time.Now}
	fs := flag.NewFlagSet("loa doctor", flag.ContinueOnError)
	fs.BoolVar(&c.agent, "agent", false, "check a station's agent box instead of a server box")
	fs.StringVar(&c.data, "data", "", "data directory (server: LOA_DATA or "+DefaultData+"; agent: LOA_AGENT_DATA or /var/lib/loa-agent)")
	fs.StringVar(&c.server, "server", "", "the ward server's base URL (agent: LOA_AGENT_SERVER); on a server box, compares the clock with it")
	tokenFile := fs.String("token-file", "", "file holding the station token (LOA_AGENT_TOKEN or LOA_AGENT_TOKEN_FILE)")
	fs.StringVar(&c.output, "output", "", "the agent's output (LOA_AGENT_OUTPUT or speaker)")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	fill := func(v *string, envs ...string) {
		for _, e := range envs {
			if *v == "" {
				*v = os.Getenv(e)
			}
		}
	}
	if !c.agent {
		fill(&c.data, "LOA_DATA")
		if c.data == "" {
			c.data = DefaultData
		}
		return c, nil
	}
	fill(&c.data, "LOA_AGENT_DATA")
	fill(&c.server, "LOA_AGENT_SERVER")
	fill(&c.output, "LOA_AGENT_OUTPUT")
	fill(tokenFile, "LOA_AGENT_TOKEN_FILE")
	c.token = os.Getenv("LOA_AGENT_TOKEN")
	if c.data == "" {
		c.data = "/var/lib/loa-agent"
	}
	if c.output == "" {
		c.output = "speaker"
	}
	if c.token == "" && *tokenFile != "" {
		b, err := os.ReadFile(*tokenFile)
		if err != nil {
			return c, fmt.Errorf("--token-file: %w", err)
		}
		c.token = strings.TrimSpace(string(b))
	}
	return c, nil
}

// doctor runs every check that applies to the box.
func doctor(ctx context.Context, c doctorConfig) []finding {
	out := []finding{checkDataDir(c.data), checkDisk(c.data), checkClockYear(c.now())}
	if !c.agent {
		db, inUse := checkDatabase(c.data)
		out = append(out, db)
		if inUse && c.server == "" {
			c.server = localServer() // the lock's holder should answer
		}
	} else {
		out = append(out, checkSoundCard(c.output))
	}
	if c.server != "" {
		out = append(out, checkServer(ctx, c.server, c.now)...)
	} else if c.agent {
		out = append(out, finding{essential: true, vi: "Chưa đặt địa chỉ máy chủ (--server, LOA_AGENT_SERVER)", en: "no server address (--server, LOA_AGENT_SERVER)"})
	}
	if c.agent && c.server != "" {
		out = append(out, checkToken(ctx, c.server, c.token))
	}
	if !c.agent {
		out = append(out, checkTool("ffmpeg", "chuyển đổi M4A/Ogg/8 kHz", "converting M4A/Ogg/8 kHz uploads"),
			checkTool("espeak-ng", "đọc văn bản thành tiếng", "text to speech"))
	}
	return out
}

// checkDataDir creates the directory if needed and writes a file in it.
func checkDataDir(dir string) finding {
	f := finding{essential: true}
	err := os.MkdirAll(dir, 0o750)
	if err == nil {
		var tmp *os.File
		if tmp, err = os.CreateTemp(dir, ".doctor-*"); err == nil {
			_, err = tmp.WriteString("loa doctor")
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}
	if err != nil {
		f.vi = fmt.Sprintf("Thư mục dữ liệu %s không ghi được: %v", dir, err)
		f.en = fmt.Sprintf("data directory %s is not writable: %v", dir, err)
		return f
	}
	f.ok = true
	f.vi, f.en = "Thư mục dữ liệu ghi được: "+dir, "data directory writable: "+dir
	return f
}

func checkDisk(dir string) finding {
	var st syscall.Statfs_t
	if err := syscall.Statfs(dir, &st); err != nil {
		return finding{essential: true, vi: "Không đọc được dung lượng trống: " + err.Error(), en: "cannot read free space: " + err.Error()}
	}
	free := uint64(st.Bavail) * uint64(st.Bsize)
	f := finding{ok: free >= doctorDiskWarn, essential: free < doctorDiskFail}
	f.vi = fmt.Sprintf("Dung lượng trống: %d MB", free>>20)
	f.en = fmt.Sprintf("free disk space: %d MB", free>>20)
	if !f.ok {
		f.vi += fmt.Sprintf(" (nên có ít nhất %d MB)", doctorDiskWarn>>20)
		f.en += fmt.Sprintf(" (want at least %d MB)", doctorDiskWarn>>20)
	}
	return f
}

// checkClockYear catches a box without a real-time clock that booted
// without network time: its clock starts in 1970 or at the image's date.
func checkClockYear(now time.Time) finding {
	if now.Year() < 2025 {
		return finding{essential: true, vi: "Đồng hồ sai: " + now.Format(time.RFC3339) + " (kiểm tra NTP)", en: "clock is wrong: " + now.Format(time.RFC3339) + " (check NTP)"}
	}
	return finding{ok: true, vi: "Đồng hồ: " + now.Format(time.RFC3339), en: "clock: " + now.Format(time.RFC3339)}
}

// localServer is the URL of the server this box runs: LOA_ADDR, or the
// default, on loopback when it listens on every address.
func localServer() string {
	addr := os.Getenv("LOA_ADDR")
	if addr == "" {
		addr = DefaultAddr
	}
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "http://" + addr
	}
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "127.0.0.1"
	}
	return "http://" + net.JoinHostPort(host, port)
}

// checkDatabase opens the server's database read-only: a lock held by a
// running server is fine (inUse); a file that does not open is not. It
// names each store's schema version.
func checkDatabase(dir string) (f finding, inUse bool) {
	path := filepath.Join(dir, "loa.db")
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		return finding{ok: true, vi: "Chưa có cơ sở dữ liệu (tạo khi chạy lần đầu)", en: "no database yet (created at first start)"}, false
	}
	db, err := bbolt.Open(path, 0o600, &bbolt.Options{ReadOnly: true, Timeout: 500 * time.Millisecond})
	if errors.Is(err, bbolt.ErrTimeout) {
		return finding{ok: true, vi: "Cơ sở dữ liệu đang được máy chủ loa dùng", en: "database in use by a running loa server"}, true
	}
	if err != nil {
		return finding{essential: true, vi: "Không mở được cơ sở dữ liệu: " + err.Error(), en: "database does not open: " + err.Error()}, false
	}
	defer db.Close()
	stores, err := boltstore.Versions(db)
	versions := make([]string, len(stores))
	for i, v := range stores {
		versions[i] = fmt.Sprintf("%s v%d", v.Name, v.Version)
	}
	if err != nil {
		return finding{essential: true, vi: "Không đọc được cơ sở dữ liệu: " + err.Error(), en: "database unreadable: " + err.Error()}, false
	}
	list := strings.Join(versions, ", ")
	return finding{ok: true, vi: "Cơ sở dữ liệu mở được: " + list, en: "database opens: " + list}, false
}

// checkSoundCard looks for an ALSA card when the agent plays to one.
func checkSoundCard(output string) finding {
	kind, _, _ := strings.Cut(output, ":")
	if kind != "speaker" && kind != "aplay" {
		return finding{ok: true, vi: "Đầu ra " + output + ": không cần card âm thanh", en: "output " + output + ": no sound card needed"}
	}
	cards, err := soundCards()
	if err != nil || len(cards) == 0 {
		why := "no sound card found"
		if err != nil {
			why = err.Error()
		}
		return finding{essential: true, vi: "Không thấy card âm thanh (aplay -l): " + why, en: "no sound card (aplay -l): " + why}
	}
	return finding{ok: true, vi: "Card âm thanh: " + cards[0], en: "sound card: " + cards[0]}
}

// soundCards lists the playback cards `aplay -l` names, or else those in
// /proc/asound/cards.
func soundCards() ([]string, error) {
	if out, err := exec.Command("aplay", "-l").CombinedOutput(); err == nil || len(out) > 0 {
		return aplayCards(string(out)), nil
	}
	b, err := os.ReadFile("/proc/asound/cards")
	if err != nil {
		return nil, fmt.Errorf("neither aplay nor /proc/asound/cards: %w", err)
	}
	var cards []string
	for line := range strings.Lines(string(b)) {
		if t := strings.TrimSpace(line); t != "" && t[0] >= '0' && t[0] <= '9' {
			cards = append(cards, t)
		}
	}
	return cards, nil
}

// aplayCards picks the "card N: …" lines of aplay -l.
func aplayCards(out string) []string {
	var cards []string
	for line := range strings.Lines(out) {
		if strings.HasPrefix(line, "card ") {
			cards = append(cards, strings.TrimSpace(line))
		}
	}
	return cards
}

// checkServer asks the server's /healthz and compares its Date header with
// the local clock.
func checkServer(ctx context.Context, base string, now func() time.Time) []finding {
	ctx, cancel := context.WithTimeout(ctx, doctorTimeout)
	defer cancel()
	url := strings.TrimSuffix(base, "/") + "/healthz"
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return []finding{{essential: true, vi: "Địa chỉ máy chủ sai: " + err.Error(), en: "bad server address: " + err.Error()}}
	}
	sent := now()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return []finding{{essential: true, vi: "Không kết nối được máy chủ " + base + ": " + err.Error(), en: "server " + base + " unreachable: " + err.Error()}}
	}
	resp.Body.Close()
	local := sent.Add(now().Sub(sent) / 2)
	out := []finding{{ok: true, essential: true, vi: fmt.Sprintf("Máy chủ %s trả lời (%s)", base, resp.Status), en: fmt.Sprintf("server %s answers (%s)", base, resp.Status)}}
	date, err := http.ParseTime(resp.Header.Get("Date"))
	if err != nil {
		return append(out, finding{vi: "Máy chủ không gửi giờ (Date)", en: "server sent no Date header"})
	}
	skew := local.Sub(date).Round(time.Second)
	f := finding{ok: skew.Abs() <= doctorClockSkew, essential: true}
	f.vi = fmt.Sprintf("Đồng hồ lệch so với máy chủ: %v", skew)
	f.en = fmt.Sprintf("clock differs from the server's by %v", skew)
	if !f.ok {
		f.vi += fmt.Sprintf(" (quá %v: bật NTP)", doctorClockSkew)
		f.en += fmt.Sprintf(" (over %v: enable NTP)", doctorClockSkew)
	}
	return append(out, f)
}

// checkToken opens the agent link with the station's token and waits for
// the welcome: the token, the protocol version and the link all work. A
// running agent on the box is replaced for a moment and reconnects.
func checkToken(ctx context.Context, base, token string) finding {
	fail := func(vi, en string) finding { return finding{essential: true, vi: vi, en: en} }
	if token == "" {
		return fail("Chưa có mã trạm (LOA_AGENT_TOKEN, --token-file)", "no station token (LOA_AGENT_TOKEN, --token-file)")
	}
	u := strings.TrimSuffix(base, "/") + agent.LinkPath
	if rest, ok := strings.CutPrefix(u, "https://"); ok {
		u = "wss://" + rest
	} else {
		u = "ws://" + strings.TrimPrefix(u, "http://")
	}
	ctx, cancel := context.WithTimeout(ctx, doctorTimeout)
	defer cancel()
	d := websocket.Dialer{HandshakeTimeout: doctorTimeout}
	ws, resp, err := d.DialContext(ctx, u, http.Header{"Authorization": {"Bearer " + token}})
	if err != nil {
		if resp != nil && (resp.StatusCode == http.StatusUnauthorized || resp.StatusCode == http.StatusForbidden) {
			return fail("Máy chủ từ chối mã trạm (sai, đã thu hồi hoặc trạm bị tắt)", "the server refused the station token (wrong, revoked or station disabled)")
		}
		return fail("Không mở được kênh trạm: "+err.Error(), "agent link failed: "+err.Error())
	}
	defer ws.Close()
	ws.SetReadDeadline(time.Now().Add(doctorTimeout))
	hello, err := protocol.Encode(protocol.TypeHello, 1, &protocol.Hello{Versions: supportedVersions(), Agent: "loa-doctor " + version, SentMs: time.Now().UnixMilli()})
	if err == nil {
		err = ws.WriteMessage(websocket.TextMessage, hello)
	}
	if err != nil {
		return fail("Không gửi được lời chào: "+err.Error(), "could not send hello: "+err.Error())
	}
	for {
		_, frame, err := ws.ReadMessage()
		if err != nil {
			return linkRefusal(err)
		}
		if m, err := protocol.Decode(frame); err == nil && m.Type == protocol.TypeWelcome {
			w := m.Body.(*protocol.Welcome)
			ws.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseNormalClosure, "doctor done"), time.Now().Add(time.Second))
			return finding{ok: true, essential: true,
				vi: fmt.Sprintf("Mã trạm hợp lệ: trạm %s, giao thức v%d", w.Station, w.Version),
				en: fmt.Sprintf("token valid: station %s, protocol v%d", w.Station, w.Version)}
		}
	}
}

// supportedVersions are the protocol versions this build speaks.
func supportedVersions() []int {
	var vs []int
	for v := protocol.MinVersion; v <= protocol.Version; v++ {
		vs = append(vs, v)
	}
	return vs
}

// linkRefusal explains why the server closed the link before the welcome.
func linkRefusal(err error) finding {
	var ce *websocket.CloseError
	if !errors.As(err, &ce) {
		return finding{essential: true, vi: "Máy chủ không chào lại: " + err.Error(), en: "no welcome from the server: " + err.Error()}
	}
	switch ce.Code {
	case protocol.CloseBadVersion:
		return finding{essential: true,
			vi: fmt.Sprintf("Phiên bản giao thức không khớp: máy này nói v%d–v%d, máy chủ từ chối (%s); nâng cấp loa-agent hoặc máy chủ", protocol.MinVersion, protocol.Version, ce.Text),
			en: fmt.Sprintf("incompatible protocol: this build speaks v%d–v%d, the server refused (%s); upgrade loa-agent or the server", protocol.MinVersion, protocol.Version, ce.Text)}
	case protocol.CloseRevoked, protocol.CloseStationRemoved:
		return finding{essential: true, vi: "Mã trạm đã bị thu hồi hoặc trạm bị xoá/tắt", en: "token revoked or station deleted/disabled"}
	}
	return finding{essential: true, vi: fmt.Sprintf("Máy chủ đóng kênh: %d %s", ce.Code, ce.Text), en: fmt.Sprintf("server closed the link: %d %s", ce.Code, ce.Text)}
}

// checkTool looks for an optional helper program in PATH.
func checkTool(name, vi, en string) finding {
	if path, err := exec.LookPath(name); err == nil {
		return finding{ok: true, vi: fmt.Sprintf("Có %s (%s): %s", name, vi, path), en: fmt.Sprintf("%s found (%s): %s", name, en, path)}
	}
	return finding{vi: fmt.Sprintf("Không có %s: tắt tính năng %s", name, vi), en: fmt.Sprintf("%s not found: %s is off", name, en)}
}
