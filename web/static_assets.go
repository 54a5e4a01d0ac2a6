package web

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
	"sync"
	"time"
)

// The embedded CSS, JavaScript and icons are served under names that
// carry a hash of their content (app.3f2a9c1b20.css): such a name never
// changes meaning, so browsers keep it a year without asking again, and a
// new release is a new name. The plain names still work, revalidated by
// ETag. Text files go gzip-compressed to browsers that accept it.

// staticFile is one embedded asset, read and compressed once.
type staticFile struct {
	hash  string // first 10 hex digits of the content's SHA-256
	ctype string
	body  []byte
	gz    []byte // gzip of body; nil when compressing does not pay
}

// staticFiles are the assets by plain name, loaded on first use (they are
// embedded, so they cannot change while the server runs).
var staticIndex = sync.OnceValue(func() map[string]*staticFile {
	out := map[string]*staticFile{}
	entries, _ := fs.ReadDir(staticFS, "static") // the embed pattern guarantees the folder
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		body, err := fs.ReadFile(staticFS, "static/"+e.Name())
		if err != nil {
			continue
		}
		sum := sha256.Sum256(body)
		f := &staticFile{hash: hex.EncodeToString(sum[:5]), ctype: staticType(e.Name()), body: body}
		if strings.HasPrefix(f.ctype, "text/") || strings.Contains(f.ctype, "svg") || strings.Contains(f.ctype, "json") {
			f.gz = gzipped(body)
		}
		out[e.Name()] = f
	}
	return out
})

func staticType(name string) string {
	switch path.Ext(name) {
	case ".js":
		return "text/javascript; charset=utf-8"
	case ".css":
		return "text/css; charset=utf-8"
	case ".svg":
		return "image/svg+xml"
	}
	if t := mime.TypeByExtension(path.Ext(name)); t != "" {
		return t
	}
	return "application/octet-stream"
}

func gzipped(b []byte) []byte {
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	zw.Write(b)
	zw.Close()
	if buf.Len() >= len(b) {
		return nil
	}
	return buf.Bytes()
}

// staticURL is the content-hashed address of an asset ("app.css" →
// "/static/app.3f2a9c1b20.css"); an unknown name keeps its plain address.
func staticURL(name string) string {
	f := staticIndex()[name]
	if f == nil {
		return "/static/" + name
	}
	ext := path.Ext(name)
	return "/static/" + strings.TrimSuffix(name, ext) + "." + f.hash + ext
}

// Asset is staticURL for the templates: {{.Asset "app.css"}}.
func (p pageData) Asset(name string) string { return staticURL(name) }

// unhash splits "app.3f2a9c1b20.css" into "app.css" and its hash; a plain
// name has no hash.
func unhash(name string) (plain, hash string) {
	ext := path.Ext(name)
	stem := strings.TrimSuffix(name, ext)
	i := strings.LastIndexByte(stem, '.')
	if i < 0 || len(stem)-i-1 != 10 || strings.Trim(stem[i+1:], "0123456789abcdef") != "" {
		return name, ""
	}
	return stem[:i] + ext, stem[i+1:]
}

// staticAssets serves the embedded assets: a hashed name that matches the
// content for a year (immutable), any other name revalidated by ETag;
// gzip when the browser accepts it. Folders are never listed.
func staticAssets() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := strings.TrimPrefix(r.URL.Path, "/static/")
		plain, hash := unhash(name)
		f := staticIndex()[plain]
		if f == nil || strings.Contains(name, "/") {
			http.NotFound(w, r)
			return
		}
		h := w.Header()
		h.Set("Content-Type", f.ctype)
		h.Set("Vary", "Accept-Encoding")
		if hash == f.hash {
			h.Set("Cache-Control", "public, max-age=31536000, immutable")
		} else {
			h.Set("Cache-Control", "no-cache")
		}
		body, etag := f.body, `"`+f.hash+`"`
		if f.gz != nil && acceptsGzip(r) {
			body, etag = f.gz, `"`+f.hash+`-gz"`
			h.Set("Content-Encoding", "gzip")
		}
		h.Set("ETag", etag)
		http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(body))
	})
}

func acceptsGzip(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		coding, q, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.EqualFold(strings.TrimSpace(coding), "gzip") && strings.ReplaceAll(q, " ", "") != "q=0" {
			return true
		}
	}
	return false
}

// favicon answers /favicon.ico, which browsers ask for on their own, with
// the icon's hashed address.
func favicon(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Cache-Control", "public, max-age=86400")
	http.Redirect(w, r, staticURL("favicon.svg"), http.StatusMovedPermanently)
	return nil
}
