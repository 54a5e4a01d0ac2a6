package web

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"image/png"
	"io"
	"net/http"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"go.etcd.io/bbolt"

	"loa/playlist/library"
)

// publicWard is a test server with an approved public bulletin and a
// handful of segments the public must never see.
type publicWard struct {
	*testServer
	approver, editor *client
	public           segmentView // approved and public
	hidden           map[string]uint64
}

func newPublicWard(t *testing.T) *publicWard {
	t.Helper()
	return newPublicWardAt(t, func() time.Time { return time.Date(2026, 12, 7, 23, 30, 0, 0, time.UTC) }) // 06:30 in the ward
}

// newPublicWardAt is newPublicWard on the clock now.
func newPublicWardAt(t *testing.T, now func() time.Time) *publicWard {
	t.Helper()
	ts := newTestServer(t)
	ts.web.now = now
	ts.addUser(t, "bientap", RoleEditor)
	ts.addUser(t, "lanhdao", RoleApprover)
	w := &publicWard{testServer: ts, editor: ts.signIn(t, "bientap"), approver: ts.signIn(t, "lanhdao"), hidden: map[string]uint64{}}
	w.public = w.approved(t, "Hướng dẫn cài đặt VNeID mức 2", "cchc-tthc")
	if resp := w.approver.json("PUT", pathOf(w.public, "/public"), map[string]bool{"public": true}, &w.public); resp.StatusCode != 200 || !w.public.Public {
		t.Fatalf("make public: %s %+v", resp.Status, w.public.Segment)
	}
	w.hidden["approved, not public"] = w.approved(t, "Lịch tiếp công dân", "cchc-tthc").ID
	w.hidden["draft"] = w.upload(t, "Bản nháp", "khac").ID
	// Public, then edited: back with the approver, so off the site until approved again.
	edited := w.approved(t, "Thông báo đã sửa", "khac")
	w.approver.json("PUT", pathOf(edited, "/public"), map[string]bool{"public": true}, nil)
	w.editor.json("PATCH", pathOf(edited, ""), map[string]any{"title": "Thông báo đã sửa lại", "revision": edited.Revision + 1}, nil)
	w.hidden["edited after approval"] = edited.ID
	archived := w.approved(t, "Tin cũ", "khac")
	w.approver.json("PUT", pathOf(archived, "/public"), map[string]bool{"public": true}, nil)
	w.approver.json("POST", pathOf(archived, "/archive"), nil, nil)
	w.hidden["archived"] = archived.ID
	return w
}

func (w *publicWard) upload(t *testing.T, title, topic string) segmentView {
	t.Helper()
	var seg segmentView
	if resp := w.editor.upload("mp3/cbr64-mono-44k.mp3", map[string]string{"title": title, "topic": topic}, &seg); resp.StatusCode != http.StatusCreated {
		t.Fatalf("upload %s: %s", title, resp.Status)
	}
	return seg
}

func (w *publicWard) approved(t *testing.T, title, topic string) segmentView {
	t.Helper()
	seg := w.upload(t, title, topic)
	w.editor.json("POST", pathOf(seg, "/submit"), nil, nil)
	if resp := w.approver.json("POST", pathOf(seg, "/approve"), nil, &seg); resp.StatusCode != 200 {
		t.Fatalf("approve %s: %s", title, resp.Status)
	}
	return seg
}

// get fetches path anonymously.
func (w *publicWard) get(t *testing.T, path string, hdr ...string) (*http.Response, []byte) {
	t.Helper()
	req, _ := http.NewRequest("GET", w.URL+path, nil)
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if c := resp.Header.Get("Set-Cookie"); c != "" {
		t.Errorf("GET %s sets a cookie: %s", path, c)
	}
	return resp, body
}

// bulletinPaths are every public route that names one bulletin.
func bulletinPaths(id uint64) []string {
	p := fmt.Sprintf("/nghe-lai/ban-tin/%d", id)
	return []string{p, p + "/audio", p + "/loi.txt", p + "/nhung", p + "/qr.png", p + "/qr.svg"}
}

func TestPublicSiteShowsOnlyWhatAnApproverMadePublic(t *testing.T) {
	w := newPublicWard(t)
	_, index := w.get(t, "/nghe-lai/")
	_, feed := w.get(t, "/nghe-lai/feed.xml")
	for _, page := range []string{string(index), string(feed)} {
		if !strings.Contains(page, "Hướng dẫn cài đặt VNeID mức 2") {
			t.Fatalf("the public bulletin is missing:\n%s", page)
		}
		for _, title := range []string{"Lịch tiếp công dân", "Bản nháp", "Thông báo đã sửa", "Tin cũ"} {
			if strings.Contains(page, title) {
				t.Errorf("%q is shown to the public", title)
			}
		}
	}
	for what, id := range w.hidden {
		for _, path := range bulletinPaths(id) {
			if resp, _ := w.get(t, path); resp.StatusCode != http.StatusNotFound {
				t.Errorf("%s (%s): %s, want 404", path, what, resp.Status)
			}
		}
	}
	// The text of a recording is absent (no transcript yet), so its text page is 404 too.
	if resp, _ := w.get(t, fmt.Sprintf("/nghe-lai/ban-tin/%d/loi.txt", w.public.ID)); resp.StatusCode != http.StatusNotFound {
		t.Errorf("text of a recording without transcript: %s", resp.Status)
	}

	// An emergency can never be made public.
	emergency := w.upload(t, "Bão số 5", "khac")
	w.editor.json("PATCH", pathOf(emergency, ""), map[string]any{"level": "emergency", "revision": emergency.Revision}, nil)
	w.editor.json("POST", pathOf(emergency, "/submit"), nil, nil)
	w.approver.json("POST", pathOf(emergency, "/approve"), nil, nil)
	var e apiErr
	if resp := w.approver.json("PUT", pathOf(emergency, "/public"), map[string]bool{"public": true}, &e); resp.StatusCode != http.StatusConflict || e.Error.Code != "not_publishable" {
		t.Errorf("emergency made public: %s %+v", resp.Status, e)
	}
	// An editor cannot make anything public; a missing field is an error in words.
	if resp := w.editor.json("PUT", pathOf(w.public, "/public"), map[string]bool{"public": false}, nil); resp.StatusCode != http.StatusForbidden {
		t.Errorf("editor withdraws: %s", resp.Status)
	}
	if resp := w.approver.json("PUT", pathOf(w.public, "/public"), map[string]any{}, &e); resp.StatusCode != http.StatusBadRequest || !strings.Contains(e.Error.Message, "công khai") {
		t.Errorf("no field: %s %+v", resp.Status, e)
	}

	// Withdrawn: gone at once from every page, the feed and the audio.
	w.approver.json("PUT", pathOf(w.public, "/public"), map[string]bool{"public": false}, nil)
	for _, path := range bulletinPaths(w.public.ID) {
		if resp, _ := w.get(t, path); resp.StatusCode != http.StatusNotFound {
			t.Errorf("withdrawn %s: %s", path, resp.Status)
		}
	}
	if _, feed := w.get(t, "/nghe-lai/feed.xml"); bytes.Contains(feed, []byte("VNeID")) {
		t.Error("the withdrawn bulletin stays in the feed")
	}
	// And the history says who did it.
	var seg segmentView
	w.approver.json("GET", pathOf(w.public, ""), nil, &seg)
	last := seg.History[len(seg.History)-1]
	if last.Action != library.ActionUnpublish || last.By != "lanhdao" {
		t.Errorf("history: %+v", last)
	}
}

func TestPublicFeedHasWhatPodcastAppsNeed(t *testing.T) {
	w := newPublicWard(t)
	for _, path := range []string{"/nghe-lai/feed.xml", "/nghe-lai/chu-de/cchc-tthc/feed.xml"} {
		resp, body := w.get(t, path)
		if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/rss+xml") {
			t.Fatalf("%s: %s %s", path, resp.Status, resp.Header.Get("Content-Type"))
		}
		var doc feedDoc
		if err := xml.Unmarshal(body, &doc); err != nil {
			t.Fatalf("%s is not XML: %v", path, err)
		}
		ch := doc.Channel
		var link, self string
		for _, l := range ch.Links {
			switch {
			case l.XMLName.Space == "" && l.Value != "":
				link = l.Value
			case l.XMLName.Space == "http://www.w3.org/2005/Atom" && l.Rel == "self":
				self = l.Href
			}
		}
		if doc.Version != "2.0" || ch.Title == "" || ch.Description == "" || ch.Language != "vi" ||
			!strings.HasPrefix(link, "http") || !strings.HasSuffix(self, path) {
			t.Errorf("%s channel: %+v", path, ch)
		}
		if !strings.HasSuffix(ch.ITunesImage.Href, "/nghe-lai/anh.png") || ch.Category.Text == "" || ch.Explicit != "false" || len(ch.GUID) != 36 {
			t.Errorf("%s iTunes/Podcasting 2.0 tags: %+v", path, ch)
		}
		if len(ch.Items) != 1 {
			t.Fatalf("%s: %d items", path, len(ch.Items))
		}
		it := ch.Items[0]
		if it.Title != "Hướng dẫn cài đặt VNeID mức 2" || it.GUID == "" || it.Enclosure.Type != "audio/mpeg" ||
			it.Enclosure.Length != fmt.Sprint(w.public.Audio.Size) || it.Duration == "" || it.Duration == "0" {
			t.Errorf("%s item: %+v", path, it)
		}
		if _, err := time.Parse(time.RFC1123Z, it.PubDate); err != nil {
			t.Errorf("pubDate %q: %v", it.PubDate, err)
		}
		// The enclosure is served, whole, at the length the feed says.
		if resp, audio := w.get(t, strings.TrimPrefix(it.Enclosure.URL, w.URL)); resp.StatusCode != 200 || fmt.Sprint(len(audio)) != it.Enclosure.Length {
			t.Errorf("enclosure: %s, %d bytes", resp.Status, len(audio))
		}
	}
	// The artwork is a square PNG of the size podcast apps ask for.
	resp, art := w.get(t, "/nghe-lai/anh.png")
	img, err := png.Decode(bytes.NewReader(art))
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("artwork: %s %v", resp.Status, err)
	}
	if b := img.Bounds(); b.Dx() != b.Dy() || b.Dx() < 1400 || b.Dx() > 3000 {
		t.Errorf("artwork is %v", b)
	}
}

type feedDoc struct {
	Version string `xml:"version,attr"`
	Channel struct {
		Title string `xml:"title"`
		Links []struct {
			XMLName xml.Name
			Href    string `xml:"href,attr"`
			Rel     string `xml:"rel,attr"`
			Value   string `xml:",chardata"`
		} `xml:"link"` // RSS's link and atom:link
		Description string `xml:"description"`
		Language    string `xml:"language"`
		ITunesImage struct {
			Href string `xml:"href,attr"`
		} `xml:"http://www.itunes.com/dtds/podcast-1.0.dtd image"`
		Category struct {
			Text string `xml:"text,attr"`
		} `xml:"http://www.itunes.com/dtds/podcast-1.0.dtd category"`
		Explicit string `xml:"http://www.itunes.com/dtds/podcast-1.0.dtd explicit"`
		GUID     string `xml:"https://podcastindex.org/namespace/1.0 guid"`
		Items    []struct {
			Title     string `xml:"title"`
			GUID      string `xml:"guid"`
			PubDate   string `xml:"pubDate"`
			Enclosure struct {
				URL    string `xml:"url,attr"`
				Length string `xml:"length,attr"`
				Type   string `xml:"type,attr"`
			} `xml:"enclosure"`
			Duration string `xml:"http://www.itunes.com/dtds/podcast-1.0.dtd duration"`
		} `xml:"item"`
	} `xml:"channel"`
}

func TestPublicAudioRangesAndListensWithoutTracking(t *testing.T) {
	w := newPublicWard(t)
	audioPath := fmt.Sprintf("/nghe-lai/ban-tin/%d/audio", w.public.ID)
	resp, part := w.get(t, audioPath, "Range", "bytes=0-99", "User-Agent", "dien-thoai-1")
	if resp.StatusCode != http.StatusPartialContent || len(part) != 100 || resp.Header.Get("ETag") == "" ||
		!strings.Contains(resp.Header.Get("Cache-Control"), "public") || resp.Header.Get("Accept-Ranges") != "bytes" {
		t.Fatalf("range: %s, %d bytes, %v", resp.Status, len(part), resp.Header)
	}
	w.get(t, audioPath, "Range", "bytes=100-", "User-Agent", "dien-thoai-1") // the same listen, going on
	w.get(t, audioPath, "Range", "bytes=0-", "User-Agent", "dien-thoai-1")   // the same person again today
	w.get(t, audioPath, "User-Agent", "may-tinh-2")                          // someone else
	if resp, _ := w.get(t, audioPath, "If-None-Match", `"`+w.public.Audio.SHA256+`"`); resp.StatusCode != http.StatusNotModified {
		t.Errorf("conditional: %s", resp.Status)
	}
	var rep listensReport
	w.approver.json("GET", "/api/reports/2026-Q4/listens", nil, &rep)
	if rep.Total != 3 || len(rep.Bulletins) != 1 || rep.Bulletins[0].ID != w.public.ID || rep.Bulletins[0].Listens != 3 ||
		len(rep.Topics) != 1 || rep.Topics[0].Topic != "cchc-tthc" {
		t.Fatalf("listens (want 3: two people, and the 304 is a third start): %+v", rep)
	}
	// The next ward day, the same person counts again.
	w.web.now = func() time.Time { return time.Date(2026, 12, 8, 17, 1, 0, 0, time.UTC) } // 00:01 on the 9th in the ward
	if resp, _ := w.get(t, audioPath, "User-Agent", "dien-thoai-1"); resp.StatusCode != 200 {
		t.Fatalf("next day: %s", resp.Status)
	}
	rep = listensReport{}
	w.approver = w.signIn(t, "lanhdao") // a new day, a new session
	if resp := w.approver.json("GET", "/api/reports/2026-Q4/listens", nil, &rep); resp.StatusCode != 200 {
		t.Fatalf("listens report: %s", resp.Status)
	}
	if rep.Total != 4 {
		t.Errorf("after the day turned: %d listens: %+v", rep.Total, rep)
	}
	// The quarterly report carries them beside the loudspeakers' airtime.
	csv := w.approver.page(t, "/api/reports/2026-Q4?format=csv")
	if !strings.Contains(csv, "Nghe lại trên mạng") || !strings.Contains(csv, "Hướng dẫn cài đặt VNeID mức 2") {
		t.Errorf("the report's CSV has no online listens:\n%s", csv)
	}
	if page := w.approver.page(t, "/reports?period=2026-Q4"); !strings.Contains(page, "Nghe lại trên mạng") {
		t.Errorf("the reports page has no online listens")
	}
	// Nothing stored can tell who listened: no address, no user agent.
	err := w.web.app.DB.View(func(tx *bbolt.Tx) error {
		return tx.ForEach(func(name []byte, b *bbolt.Bucket) error {
			return b.ForEach(func(k, v []byte) error {
				for _, s := range []string{"127.0.0.1", "dien-thoai", "may-tinh"} {
					if s == "127.0.0.1" && string(name) != "podcast_listens" {
						continue // operators' sessions keep where they signed in from
					}
					if bytes.Contains(k, []byte(s)) || bytes.Contains(v, []byte(s)) {
						t.Errorf("bucket %s keeps %q", name, s)
					}
				}
				return nil
			})
		})
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestPublicPlayerIsEmbeddableOnlyWhereAllowed(t *testing.T) {
	w := newPublicWard(t)
	w.web.public.cfg.FrameAncestors = []string{"https://phuong-an-phu.gov.vn"}
	resp, body := w.get(t, fmt.Sprintf("/nghe-lai/ban-tin/%d/nhung", w.public.ID))
	if resp.StatusCode != 200 || resp.Header.Get("X-Frame-Options") != "" ||
		!strings.Contains(resp.Header.Get("Content-Security-Policy"), "frame-ancestors https://phuong-an-phu.gov.vn;") ||
		!bytes.Contains(body, []byte("<audio")) {
		t.Fatalf("embed: %s %v", resp.Status, resp.Header)
	}
	for _, path := range []string{fmt.Sprintf("/nghe-lai/ban-tin/%d", w.public.ID), "/nghe-lai/", "/login"} {
		resp, _ := w.get(t, path)
		if resp.Header.Get("X-Frame-Options") != "DENY" || !strings.Contains(resp.Header.Get("Content-Security-Policy"), "frame-ancestors 'none'") {
			t.Errorf("%s may be framed: %v", path, resp.Header)
		}
	}
}

func TestPublicQRCodesForPosters(t *testing.T) {
	w := newPublicWard(t)
	want := w.URL + fmt.Sprintf("/nghe-lai/ban-tin/%d", w.public.ID)
	resp, data := w.get(t, fmt.Sprintf("/nghe-lai/ban-tin/%d/qr.png?tai=1", w.public.ID))
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil || resp.StatusCode != 200 || !strings.Contains(resp.Header.Get("Content-Disposition"), "qr-ban-tin-") {
		t.Fatalf("qr png: %s %v %v", resp.Status, err, resp.Header)
	}
	if b := img.Bounds(); b.Dx() < 600 || b.Dx() != b.Dy() {
		t.Errorf("qr png is %v: too small to print", b)
	}
	for _, path := range []string{"/nghe-lai/qr.svg", "/nghe-lai/chu-de/cchc-tthc/qr.svg"} {
		resp, svg := w.get(t, path)
		if err := xml.Unmarshal(svg, new(struct{})); err != nil || resp.Header.Get("Content-Type") != "image/svg+xml" {
			t.Errorf("%s: %s %v", path, resp.Status, err)
		}
	}
	if resp, _ := w.get(t, "/nghe-lai/qr.gif"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("qr.gif: %s", resp.Status)
	}
	// A real reader reads the printed code back (zbar, installed by .ci/test.sh).
	zbar, err := exec.LookPath("zbarimg")
	if err != nil {
		t.Skip("zbarimg is not installed (bash .ci/test.sh installs zbar-tools)")
	}
	cmd := exec.Command(zbar, "--quiet", "--raw", "png:-")
	cmd.Stdin = bytes.NewReader(data)
	out, err := cmd.Output()
	if got := strings.TrimSpace(string(out)); err != nil || got != want {
		t.Errorf("zbarimg read %q (%v), want %q", got, err, want)
	}
}

func TestPublicLimitIsApartFromTheOperators(t *testing.T) {
	w := newPublicWard(t)
	w.web.public.limit = rateLimiter{rate: 0.001, burst: 3}
	var last *http.Response
	for range 4 {
		last, _ = w.get(t, "/nghe-lai/")
	}
	if last.StatusCode != http.StatusTooManyRequests || last.Header.Get("Retry-After") == "" {
		t.Fatalf("4th public request: %s", last.Status)
	}
	if resp := w.approver.json("GET", "/api/me", nil, nil); resp.StatusCode != 200 {
		t.Errorf("an operator from the same address: %s", resp.Status)
	}
}

func TestPublicPageIsLight(t *testing.T) {
	w := newPublicWard(t)
	for i := range 60 {
		seg := w.approved(t, fmt.Sprintf("Bản tin cải cách hành chính số %d: thủ tục đăng ký thường trú trực tuyến trên Cổng dịch vụ công", i), "cchc-tthc")
		w.approver.json("PUT", pathOf(seg, "/public"), map[string]bool{"public": true}, nil)
	}
	_, page := w.get(t, "/nghe-lai/")
	_, css := w.get(t, "/nghe-lai/kieu.css")
	if n := len(page) + len(css); n > 50<<10 {
		t.Errorf("page and stylesheet weigh %d bytes, want ≤ 50 KB", n)
	}
	if bytes.Contains(page, []byte("<script")) {
		t.Error("the public page runs a script")
	}
	t.Logf("public page %d B + stylesheet %d B", len(page), len(css))
}

// TestPublicRoutesExposeNothingElse walks every public route of the route
// table with the ids and topics of things the public must not see: a
// route added later is covered the moment it is in the table.
func TestPublicRoutesExposeNothingElse(t *testing.T) {
	w := newPublicWard(t)
	n := 0
	for _, rt := range w.web.routeTable() {
		if rt.who != public {
			continue
		}
		n++
		_, path, _ := strings.Cut(rt.pattern, " ")
		if !strings.Contains(path, "{id}") && !strings.Contains(path, "{topic}") {
			if resp, _ := w.get(t, strings.TrimSuffix(path, "{$}")); resp.StatusCode != 200 {
				t.Errorf("%s: %s", rt.pattern, resp.Status)
			}
			continue
		}
		for what, id := range w.hidden {
			p := strings.NewReplacer("{id}", fmt.Sprint(id), "{topic}", "khac").Replace(path)
			if resp, body := w.get(t, p); resp.StatusCode != http.StatusNotFound || !bytes.Contains(body, []byte("Không tìm thấy")) {
				t.Errorf("%s with the %s segment: %s", p, what, resp.Status)
			}
		}
	}
	if n < 10 {
		t.Fatalf("only %d public routes in the table", n)
	}
}

func TestPublicTranscriptIsReadable(t *testing.T) {
	w := newPublicWard(t)
	text := "Từ ngày 01/01/2027, người dân làm thủ tục đăng ký thường trú trên Cổng dịch vụ công.\n\nMọi thắc mắc xin liên hệ bộ phận một cửa."
	var seg segmentView
	w.approver.json("GET", pathOf(w.public, ""), nil, &seg)
	var e apiErr
	if resp := w.editor.json("PATCH", pathOf(seg, ""), map[string]any{"transcript": strings.Repeat("a", library.MaxTranscript+1), "revision": seg.Revision}, &e); resp.StatusCode != http.StatusUnprocessableEntity || e.Error.Field != "transcript" {
		t.Fatalf("too long a transcript: %s %+v", resp.Status, e)
	}
	w.editor.json("PATCH", pathOf(seg, ""), map[string]any{"transcript": text, "revision": seg.Revision}, &seg)
	w.editor.json("POST", pathOf(seg, "/submit"), nil, nil)
	w.approver.json("POST", pathOf(seg, "/approve"), nil, nil) // the edit went back to the approver
	resp, page := w.get(t, fmt.Sprintf("/nghe-lai/ban-tin/%d", seg.ID))
	if resp.StatusCode != 200 || !bytes.Contains(page, []byte("<p>Mọi thắc mắc xin liên hệ bộ phận một cửa.</p>")) ||
		!bytes.Contains(page, []byte(`property="og:title" content="Hướng dẫn cài đặt VNeID mức 2"`)) {
		t.Fatalf("bulletin page: %s\n%s", resp.Status, page)
	}
	_, txt := w.get(t, fmt.Sprintf("/nghe-lai/ban-tin/%d/loi.txt", seg.ID))
	if !strings.Contains(string(txt), "Cổng dịch vụ công") {
		t.Errorf("text: %q", txt)
	}
	_, feed := w.get(t, "/nghe-lai/feed.xml")
	if !bytes.Contains(feed, []byte(`<podcast:transcript url="`)) {
		t.Error("the feed names no transcript")
	}
}

// TestPublicSiteInBrowser: an approver sees the public item's links on the
// library card; a resident on a phone opens the page and the player loads
// the audio.
func TestPublicSiteInBrowser(t *testing.T) {
	w := newPublicWardAt(t, time.Now) // the browser's session cookie lives in real time
	b := newBrowser(t, w.URL)
	b.signIn("lanhdao", testPassword)
	b.open("/library", "#items")
	b.waitText(fmt.Sprintf("#seg-%d .public-links", w.public.ID), "Đang công khai")
	if n := b.count(fmt.Sprintf("#seg-%d .embed-code", w.public.ID)); n != 1 {
		t.Errorf("embed code boxes: %d", n)
	}
	b.shot("public-library-card")

	b.do(chromedp.EmulateViewport(phoneW, phoneH))
	b.open("/nghe-lai/", "main article")
	b.waitText("main article h2", "Hướng dẫn cài đặt VNeID mức 2")
	if _, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](`(function(){var a=document.querySelector("audio"); a.preload="metadata"; a.load(); return true})()`)); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(20 * time.Second)
	for {
		ready, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](`(function(){var a=document.querySelector("audio"); return a.readyState>=1 && a.duration>1})()`))
		if err == nil && ready {
			break
		}
		if time.Now().After(deadline) {
			b.failed()
			t.Fatalf("the player did not load the audio (err %v)", err)
		}
		time.Sleep(200 * time.Millisecond)
	}
	b.shot("public-page")
	b.checkConsole()
}
