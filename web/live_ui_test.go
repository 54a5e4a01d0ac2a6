package web

import (
	"context"
	"encoding/binary"
	"math"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// newMicBrowser is newBrowser with a fake microphone that plays file (a
// WAV, looped) and grants the page's request for it without asking.
func newMicBrowser(t *testing.T, base, file string) *browser {
	t.Helper()
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromiumPath(t)), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true), chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true), chromedp.Flag("no-default-browser-check", true),
		chromedp.Flag("lang", "vi-VN"),
		chromedp.Flag("use-fake-ui-for-media-stream", true), chromedp.Flag("use-fake-device-for-media-stream", true),
		chromedp.Flag("use-file-for-fake-audio-capture", file), chromedp.Flag("autoplay-policy", "no-user-gesture-required"),
		chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(desktopW, desktopH),
	}
	root, cancelRoot := context.WithTimeout(context.Background(), 4*time.Minute)
	alloc, cancelAlloc := chromedp.NewExecAllocator(root, opts...)
	ctx, cancelCtx := chromedp.NewContext(alloc)
	t.Cleanup(func() { cancelCtx(); cancelAlloc(); cancelRoot() })
	shots := os.Getenv("LOA_SCREENSHOTS")
	if shots == "" {
		shots = t.TempDir()
	}
	if err := os.MkdirAll(shots, 0o755); err != nil {
		t.Fatal(err)
	}
	b := &browser{t: t, ctx: ctx, base: base, shots: shots}
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	messages := chromedp.Console(ctx)
	go func() {
		for m, err := range messages {
			if err != nil {
				return
			}
			b.console(m)
		}
	}()
	return b
}

// writeMicFile writes the fake microphone's sound: 1.5 s of silence, then
// 0.4 s of a rising sweep (speech-like enough that the browser's noise
// suppression lets it through), 48 kHz mono.
func writeMicFile(t *testing.T) string {
	t.Helper()
	const rate = 48000
	quiet, burst := rate*3/2, rate*2/5
	pcm := make([]byte, 2*(quiet+burst))
	phase := 0.0
	for i := range burst {
		f := 300 + 900*float64(i)/float64(burst)
		phase += 2 * math.Pi * f / rate
		binary.LittleEndian.PutUint16(pcm[2*(quiet+i):], uint16(int16(0.7*32767*math.Sin(phase))))
	}
	h := make([]byte, 0, 44)
	h = append(h, "RIFF"...)
	h = binary.LittleEndian.AppendUint32(h, uint32(36+len(pcm)))
	h = append(h, "WAVEfmt "...)
	for _, v := range []uint32{16, 1 | 1<<16, rate, rate * 2, 2 | 16<<16} {
		h = binary.LittleEndian.AppendUint32(h, v)
	}
	h = append(h, "data"...)
	h = binary.LittleEndian.AppendUint32(h, uint32(len(pcm)))
	path := filepath.Join(t.TempDir(), "mic.wav")
	if err := os.WriteFile(path, append(h, pcm...), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestLiveBroadcastFromBrowserMicrophone is the live broadcast as an
// operator makes it: the page, the browser's (fake) microphone and its
// audio worklet, the server, two real agents. It checks that the stations
// played it, that it was reported and became a segment, and logs the
// mouth-to-output latency: from the instant the worklet handed over the
// start of a burst to the instant the agent's output was given it.
//
// Rerun: go test ./web -run TestLiveBroadcastFromBrowserMicrophone -v -count=1
func TestLiveBroadcastFromBrowserMicrophone(t *testing.T) {
	rig := newLiveRig(t, "tdp-01", "tdp-02")
	b := newMicBrowser(t, rig.ts.URL, writeMicFile(t))
	b.signIn("admin", testPassword)
	b.open("/onair", "#oa-form")
	b.shot("onair")
	b.do(chromedp.SendKeys("#oa-title", "Họp khẩn tổ dân phố"),
		chromedp.Click(`input[name=stations][value="tdp-01"]`), chromedp.Click(`input[name=stations][value="tdp-02"]`))
	b.setValue("#oa-topic", "khac")
	b.do(chromedp.Click("#oa-start"))
	b.waitText("#oa-status", "2 trạm")
	b.waitText("#oa-rows", "Đang phát") // each station's state of the live_start, from the live updates
	b.shot("onair-live")
	rig.waitHeard(t, 3)
	onsets, err := chromedp.Run(b.ctx, chromedp.Evaluate[[]float64](`window.loaLive.onsets`))
	if err != nil {
		t.Fatal(err)
	}
	id, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](`window.loaLive.id`))
	if err != nil {
		t.Fatal(err)
	}
	b.do(chromedp.Click("#oa-stop"))
	b.waitText("#oa-status", "bản tin số")
	var sent []time.Time
	for _, ms := range onsets {
		sent = append(sent, time.UnixMicro(int64(ms*1000)))
	}
	logLatency(t, rig.latencies(sent))
	rig.checkAired(t, id, "Họp khẩn tổ dân phố")
	b.checkConsole()
}
