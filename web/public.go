package web

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"loa/audio"
	"loa/broadcast/podcast"
	"loa/internal/app"
	"loa/playlist/library"
)

// The public listening site ("Nghe lại"): the ward's public bulletins for
// the residents the loudspeakers miss, with a podcast feed, an embeddable
// player and QR codes for posters. No sign-in, no cookies, no script; its
// own per-address limit, apart from the operators' and the agents'.

// PublicConfig sets the public listening site.
type PublicConfig struct {
	// Path is where the site lives ("" = DefaultPublicPath; "off" = none).
	Path string
	// URL is the server's address as the public reaches it (for example
	// https://loa.phuong-an-phu.gov.vn): feeds, share links and QR codes
	// carry absolute addresses. "" = the address of each request.
	URL string
	// FrameAncestors are the origins allowed to embed the player in an
	// <iframe> (the ward's portal); none = no site may.
	FrameAncestors []string
	// Ward names the publisher in the feed and the page's heading.
	Ward string
}

// DefaultPublicPath is where the public site lives unless configured.
const DefaultPublicPath = "/nghe-lai"

// Per-address limit on the public routes: a listener's page, stylesheet,
// artwork and a few range requests of audio, with room for a shared
// address (a school, a ward office) behind one NAT.
const (
	publicRate  = 20
	publicBurst = 120
)

//go:embed templates/public/*.html
var publicTemplateFS embed.FS

// publicSite is what the public routes need beside the Server.
type publicSite struct {
	cfg     PublicConfig
	cat     *podcast.Catalogue
	listens *podcast.Listens
	limit   rateLimiter
	pages   map[string]*template.Template
	cache   pageCache // rendered pages, until the library changes
}

// pageCache keeps rendered public pages for one library generation: a
// crowd of listeners costs one rendering per page, and any change to the
// library (a withdrawal above all) empties it.
type pageCache struct {
	mu    sync.Mutex
	gen   uint64
	pages map[string][]byte
}

// maxCachedPages bounds the cache: pages by topic, bulletin, language and
// the address they were asked at.
const maxCachedPages = 512

func (c *pageCache) get(gen uint64, key string) ([]byte, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	page, ok := c.pages[key]
	return page, ok && c.gen == gen
}

func (c *pageCache) put(gen uint64, key string, page []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.gen != gen || c.pages == nil || len(c.pages) >= maxCachedPages {
		c.gen, c.pages = gen, map[string][]byte{}
	}
	c.pages[key] = page
}

// openPublicSite reads the public bulletins from the library and counts
// their listens in the app's store.
func openPublicSite(cfg PublicConfig, a *app.App, f formatter) (*publicSite, error) {
	return newPublicSite(cfg, podcast.NewCatalogue(a.Library), a.Listens, f)
}

func newPublicSite(cfg PublicConfig, cat *podcast.Catalogue, listens *podcast.Listens, f formatter) (*publicSite, error) {
	if cfg.Path == "" {
		cfg.Path = DefaultPublicPath
	}
	cfg.Path = "/" + strings.Trim(cfg.Path, "/")
	cfg.URL = strings.TrimRight(cfg.URL, "/")
	pages, err := parsePublicPages(f)
	if err != nil {
		return nil, err
	}
	return &publicSite{cfg: cfg, cat: cat, listens: listens, pages: pages,
		limit: rateLimiter{rate: publicRate, burst: publicBurst}}, nil
}

func parsePublicPages(f formatter) (map[string]*template.Template, error) {
	funcs := template.FuncMap{"date": f.date, "dur": duration, "paras": paragraphs}
	base, err := template.New("layout.html").Funcs(funcs).ParseFS(publicTemplateFS, "templates/public/layout.html")
	if err != nil {
		return nil, fmt.Errorf("parse public layout: %w", err)
	}
	out := map[string]*template.Template{}
	for _, name := range []string{"index", "bulletin", "embed", "missing"} {
		t, err := template.Must(base.Clone()).ParseFS(publicTemplateFS, "templates/public/"+name+".html")
		if err != nil {
			return nil, fmt.Errorf("parse public %s: %w", name, err)
		}
		out[name] = t
	}
	return out, nil
}

// enabled reports whether the site is on.
func (p *publicSite) enabled() bool { return p.cfg.Path != "/off" }

// publicRoutes are the public site's routes, under its path.
func (s *Server) publicRoutes() []route {
	if !s.public.enabled() {
		return nil
	}
	b := "GET " + s.public.cfg.Path
	return []route{
		{b + "/{$}", public, s.publicIndex},
		{b + "/chu-de/{topic}", public, s.publicIndex},
		{b + "/ban-tin/{id}", public, s.publicBulletin},
		{b + "/ban-tin/{id}/audio", public, s.publicAudio},
		{b + "/ban-tin/{id}/loi.txt", public, s.publicText},
		{b + "/ban-tin/{id}/nhung", public, s.publicEmbed},
		{b + "/ban-tin/{id}/qr.png", public, s.publicQR("png")},
		{b + "/ban-tin/{id}/qr.svg", public, s.publicQR("svg")},
		{b + "/chu-de/{topic}/qr.png", public, s.publicQR("png")},
		{b + "/chu-de/{topic}/qr.svg", public, s.publicQR("svg")},
		{b + "/qr.png", public, s.publicQR("png")},
		{b + "/qr.svg", public, s.publicQR("svg")},
		{b + "/feed.xml", public, s.publicFeed},
		{b + "/chu-de/{topic}/feed.xml", public, s.publicFeed},
		{b + "/anh.png", public, s.publicArtwork},
		{b + "/kieu.css", public, s.publicStylesheet},
	}
}

// limitPublic applies the public site's own per-address limit.
func (s *Server) limitPublic(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if ok, wait := s.public.limit.allow(s.clientAddr(r), s.now()); !ok {
			w.Header().Set("Retry-After", retryAfter(wait))
			http.Error(w, "Quá nhiều yêu cầu, xin thử lại sau giây lát. / Too many requests.", http.StatusTooManyRequests)
			return
		}
		h.ServeHTTP(w, r)
	})
}

// publicPage is what every public template receives.
type publicPage struct {
	Lang   string
	Ward   string
	Base   string // the site's path
	Self   string // this page's absolute address (Open Graph)
	Image  string // the artwork's absolute address
	Title  string
	Topics []library.Topic
	Topic  string // the topic shown, if one
	List   []podcast.Bulletin
	One    podcast.Bulletin
	Feed   string // the feed of what is shown
}

// T is the catalogue text of key in the page's language.
func (p publicPage) T(key string, args ...any) string { return T(p.Lang, key, args...) }

// TopicName names a topic in the page's language.
func (p publicPage) TopicName(id string) string {
	for _, t := range p.Topics {
		if t.ID == id {
			if p.Lang == "en" && t.NameEn != "" {
				return t.NameEn
			}
			return t.Name
		}
	}
	return id
}

func (s *Server) publicIndex(w http.ResponseWriter, r *http.Request) error {
	list, topics, gen, err := s.public.cat.Snapshot()
	if err != nil {
		return err
	}
	key := s.publicURL(r, r.URL.Path) + "?" + r.URL.Query().Get("lang")
	if page, ok := s.public.cache.get(gen, key); ok {
		return writePublic(w, r, page, "public, max-age=30")
	}
	p := s.publicPageFor(r, topics)
	p.Title, p.List, p.Feed = p.T("pub.title"), list, s.publicURL(r, "/feed.xml")
	if topic := r.PathValue("topic"); topic != "" {
		p.Topic, p.List = topic, podcast.ByTopic(list, topic)
		if len(p.List) == 0 {
			return s.publicMissing(w, r, topics)
		}
		p.Title, p.Feed = p.TopicName(topic), s.publicURL(r, "/chu-de/"+url.PathEscape(topic)+"/feed.xml")
	}
	const most = 50 // a light page on a cheap phone; older ones are in the feed
	if len(p.List) > most {
		p.List = p.List[:most]
	}
	page, err := s.public.render("index", p)
	if err != nil {
		return err
	}
	s.public.cache.put(gen, key, page)
	return writePublic(w, r, page, "public, max-age=30")
}

func (s *Server) publicBulletin(w http.ResponseWriter, r *http.Request) error {
	b, topics, ok, err := s.publicOne(r)
	if err != nil || !ok {
		return s.publicNone(w, r, topics, err)
	}
	p := s.publicPageFor(r, topics)
	p.Title, p.One, p.Feed = b.Title, b, s.publicURL(r, "/chu-de/"+url.PathEscape(b.Topic)+"/feed.xml")
	return s.renderPublic(w, r, "bulletin", p, "public, max-age=30")
}

func (s *Server) publicEmbed(w http.ResponseWriter, r *http.Request) error {
	b, topics, ok, err := s.publicOne(r)
	if err != nil || !ok {
		return s.publicNone(w, r, topics, err)
	}
	// Only the embeddable player may be framed, and only by the sites the
	// admin named; every other page keeps X-Frame-Options: DENY.
	w.Header().Del("X-Frame-Options")
	w.Header().Set("Content-Security-Policy", strings.Replace(contentSecurityPolicy,
		"frame-ancestors 'none'", "frame-ancestors "+frameAncestors(s.public.cfg.FrameAncestors), 1))
	p := s.publicPageFor(r, topics)
	p.Title, p.One = b.Title, b
	return s.renderPublic(w, r, "embed", p, "public, max-age=30")
}

// frameAncestors is the CSP source list of the sites that may frame the
// player.
func frameAncestors(origins []string) string {
	if len(origins) == 0 {
		return "'none'"
	}
	return strings.Join(origins, " ")
}

// publicAudio serves a public bulletin's audio with Range and conditional
// requests, and counts a listen when a client starts from the beginning.
func (s *Server) publicAudio(w http.ResponseWriter, r *http.Request) error {
	b, topics, ok, err := s.publicOne(r)
	if err != nil || !ok {
		return s.publicNone(w, r, topics, err)
	}
	f, err := s.blobs.Open(b.SHA256)
	if errors.Is(err, audio.ErrBlobNotFound) {
		return s.publicNone(w, r, topics, nil)
	}
	if err != nil {
		return err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", b.MIME)
	w.Header().Set("ETag", `"`+b.SHA256+`"`)
	// Short public caching: a withdrawn bulletin must stop being served soon.
	w.Header().Set("Cache-Control", "public, max-age=300")
	http.ServeContent(w, r, "", info.ModTime(), f)
	if startsListening(r) {
		if _, err := s.public.listens.Count(s.now(), b, s.clientAddr(r)+"\x00"+r.UserAgent()); err != nil {
			s.log.Warn("count listen", "bulletin", b.ID, "err", err)
		}
	}
	return nil
}

// startsListening reports whether r begins playback: the whole file, or a
// range from its first byte (what a browser's player asks first).
func startsListening(r *http.Request) bool {
	if r.Method != http.MethodGet {
		return false
	}
	rng := r.Header.Get("Range")
	return rng == "" || strings.HasPrefix(rng, "bytes=0-")
}

// publicText serves what a bulletin says, as plain text (the podcast
// transcript, and the page for those who read rather than hear).
func (s *Server) publicText(w http.ResponseWriter, r *http.Request) error {
	b, topics, ok, err := s.publicOne(r)
	if err != nil || !ok || b.Text == "" {
		return s.publicNone(w, r, topics, err)
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=300")
	_, err = fmt.Fprintf(w, "%s\n\n%s\n", b.Title, b.Text)
	return err
}

func (s *Server) publicFeed(w http.ResponseWriter, r *http.Request) error {
	list, topics, err := s.public.cat.Bulletins()
	if err != nil {
		return err
	}
	p := s.publicPageFor(r, topics)
	ch := podcast.Channel{Title: p.T("pub.feed_title", p.Ward), Description: p.T("pub.feed_about", p.Ward),
		Link: s.publicURL(r, "/"), SelfURL: s.publicURL(r, "/feed.xml"), ImageURL: p.Image, Author: p.Ward, Updated: s.now()}
	if topic := r.PathValue("topic"); topic != "" {
		list = podcast.ByTopic(list, topic)
		if len(list) == 0 {
			return s.publicMissing(w, r, topics)
		}
		name := p.TopicName(topic)
		ch.Title, ch.Description = p.T("pub.feed_title", p.Ward)+" — "+name, name
		ch.Link = s.publicURL(r, "/chu-de/"+url.PathEscape(topic))
		ch.SelfURL = ch.Link + "/feed.xml"
	}
	if len(list) > 0 {
		ch.Updated = list[0].Published
	}
	eps := make([]podcast.Episode, 0, len(list))
	for _, b := range list {
		eps = append(eps, s.episode(r, b))
	}
	var buf bytes.Buffer
	if err := podcast.WriteRSS(&buf, ch, eps); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/rss+xml; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=300")
	_, err = w.Write(buf.Bytes())
	return err
}

func (s *Server) episode(r *http.Request, b podcast.Bulletin) podcast.Episode {
	page := s.publicURL(r, "/ban-tin/"+strconv.FormatUint(b.ID, 10))
	e := podcast.Episode{Bulletin: b, PageURL: page, AudioURL: page + "/audio"}
	if b.Text != "" {
		e.TranscriptURL = page + "/loi.txt"
	}
	return e
}

// publicOne finds the public bulletin the path names.
func (s *Server) publicOne(r *http.Request) (podcast.Bulletin, []library.Topic, bool, error) {
	_, topics, err := s.public.cat.Bulletins()
	if err != nil {
		return podcast.Bulletin{}, nil, false, err
	}
	id, err := strconv.ParseUint(r.PathValue("id"), 10, 64)
	if err != nil {
		return podcast.Bulletin{}, topics, false, nil
	}
	b, ok, err := s.public.cat.Bulletin(id)
	return b, topics, ok, err
}

// publicNone answers a failed look-up: the error, or the "no such
// bulletin" page.
func (s *Server) publicNone(w http.ResponseWriter, r *http.Request, topics []library.Topic, err error) error {
	if err != nil {
		return err
	}
	return s.publicMissing(w, r, topics)
}

func (s *Server) publicMissing(w http.ResponseWriter, r *http.Request, topics []library.Topic) error {
	p := s.publicPageFor(r, topics)
	p.Title = p.T("pub.missing")
	w.WriteHeader(http.StatusNotFound)
	return s.renderPublic(w, r, "missing", p, "no-store")
}

func (s *Server) publicPageFor(r *http.Request, topics []library.Topic) publicPage {
	lang := "vi"
	if r.URL.Query().Get("lang") == "en" {
		lang = "en"
	}
	ward := s.public.cfg.Ward
	if ward == "" {
		ward = T(lang, "pub.ward_default")
	}
	return publicPage{Lang: lang, Ward: ward, Base: s.public.cfg.Path, Topics: topics,
		Self: s.publicURL(r, strings.TrimPrefix(r.URL.Path, s.public.cfg.Path)), Image: s.publicURL(r, "/anh.png")}
}

// publicURL is the absolute address of path under the public site.
func (s *Server) publicURL(r *http.Request, path string) string {
	origin := s.public.cfg.URL
	if origin == "" {
		scheme := "http"
		if s.isHTTPS(r) {
			scheme = "https"
		}
		origin = scheme + "://" + r.Host
	}
	return origin + s.public.cfg.Path + path
}

// renderPublic renders a public page into a buffer first, so a template
// error is a clean 500.
func (s *Server) renderPublic(w http.ResponseWriter, r *http.Request, name string, p publicPage, cache string) error {
	page, err := s.public.render(name, p)
	if err != nil {
		return err
	}
	return writePublic(w, r, page, cache)
}

func (p *publicSite) render(name string, data publicPage) ([]byte, error) {
	var buf bytes.Buffer
	if err := p.pages[name].Execute(&buf, data); err != nil {
		return nil, fmt.Errorf("render public %s: %w", name, err)
	}
	return buf.Bytes(), nil
}

func writePublic(w http.ResponseWriter, r *http.Request, page []byte, cache string) error {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", cache)
	if r.Method == http.MethodHead {
		return nil
	}
	_, err := w.Write(page)
	return err
}

// paragraphs splits a text into its paragraphs (blank lines between).
func paragraphs(text string) []string {
	var out []string
	for _, p := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n\n") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// publicStylesheet serves the public pages' small stylesheet.
func (s *Server) publicStylesheet(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Content-Type", "text/css; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=86400")
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(publicCSS))
	return nil
}

//go:embed templates/public/kieu.css
var publicCSS []byte
