package web

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"

	"rsc.io/qr"

	"loa/broadcast/podcast"
)

// QR codes of the public site for posters and panos: PNG at print
// resolution, or SVG that scales to any size.

// qrQuiet is the white border the QR standard asks for, in modules.
const qrQuiet = 4

// qrModulePx is a PNG module's size: a version-5 code (the public URLs)
// is 45 modules with its border, so 900 px, 7.6 cm at 300 dpi.
const qrModulePx = 20

// publicQR serves the QR code of a bulletin, a topic or the whole site,
// as PNG or SVG; ?tai=1 offers it as a download.
func (s *Server) publicQR(format string) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error { return s.writeQR(w, r, format) }
}

func (s *Server) writeQR(w http.ResponseWriter, r *http.Request, format string) error {
	target, name := "/", "nghe-lai"
	switch id, topic := r.PathValue("id"), r.PathValue("topic"); {
	case id != "":
		b, topics, ok, err := s.publicOne(r)
		if err != nil || !ok {
			return s.publicNone(w, r, topics, err)
		}
		target, name = "/ban-tin/"+strconv.FormatUint(b.ID, 10), "ban-tin-"+strconv.FormatUint(b.ID, 10)
	case topic != "":
		list, topics, err := s.public.cat.Bulletins()
		if err != nil || len(podcast.ByTopic(list, topic)) == 0 {
			return s.publicNone(w, r, topics, err)
		}
		target, name = "/chu-de/"+url.PathEscape(topic), "chu-de-"+topic
	}
	code, err := qr.Encode(s.publicURL(r, target), qr.Q)
	if err != nil {
		return fmt.Errorf("encode qr: %w", err)
	}
	var buf bytes.Buffer
	if format == "png" {
		err = png.Encode(&buf, qrImage(code, qrModulePx))
		w.Header().Set("Content-Type", "image/png")
	} else {
		qrSVG(&buf, code)
		w.Header().Set("Content-Type", "image/svg+xml")
	}
	if err != nil {
		return err
	}
	if r.URL.Query().Get("tai") == "1" {
		w.Header().Set("Content-Disposition", `attachment; filename="qr-`+safeFileName(name)+"."+format+`"`)
	}
	w.Header().Set("Cache-Control", "public, max-age=3600")
	_, err = w.Write(buf.Bytes())
	return err
}

// qrImage draws code with its quiet zone, px pixels a module.
func qrImage(code *qr.Code, px int) image.Image {
	side := (code.Size + 2*qrQuiet) * px
	img := image.NewPaletted(image.Rect(0, 0, side, side), color.Palette{color.White, color.Black})
	for y := range code.Size {
		for x := range code.Size {
			if !code.Black(x, y) {
				continue
			}
			for dy := range px {
				row := img.Pix[((y+qrQuiet)*px+dy)*img.Stride:]
				for dx := range px {
					row[(x+qrQuiet)*px+dx] = 1
				}
			}
		}
	}
	return img
}

// qrSVG writes code as one SVG path, a unit square a module.
func qrSVG(buf *bytes.Buffer, code *qr.Code) {
	side := code.Size + 2*qrQuiet
	fmt.Fprintf(buf, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" width="%dmm" height="%dmm" shape-rendering="crispEdges">`, side, side, side, side)
	fmt.Fprintf(buf, `<rect width="%d" height="%d" fill="#fff"/><path fill="#000" d="`, side, side)
	for y := range code.Size {
		for x := range code.Size {
			if code.Black(x, y) {
				fmt.Fprintf(buf, "M%d %dh1v1h-1z", x+qrQuiet, y+qrQuiet)
			}
		}
	}
	buf.WriteString(`"/></svg>`)
}

// safeFileName keeps letters, digits and dashes.
func safeFileName(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' {
			return r
		}
		return '-'
	}, strings.ToLower(s))
}

// publicArtwork serves the feed's square artwork (podcast apps ask for
// 1400–3000 px) and the pages' share picture: drawn once, a loudspeaker
// horn and its sound waves in the colours of a ward notice board.
func (s *Server) publicArtwork(w http.ResponseWriter, r *http.Request) error {
	data, err := artworkPNG()
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "image/png")
	w.Header().Set("Cache-Control", "public, max-age=86400")
	_, err = w.Write(data)
	return err
}

var artworkPNG = sync.OnceValues(func() ([]byte, error) {
	const side = 1400
	red, gold := color.RGBA{0xb7, 0x1c, 0x1c, 0xff}, color.RGBA{0xff, 0xd5, 0x4f, 0xff}
	img := image.NewPaletted(image.Rect(0, 0, side, side), color.Palette{red, gold})
	for y := range side {
		for x := range side {
			if artworkGold(float64(x), float64(y)) {
				img.Pix[y*img.Stride+x] = 1
			}
		}
	}
	var buf bytes.Buffer
	err := png.Encode(&buf, img)
	return buf.Bytes(), err
})

// artworkGold reports whether the artwork's pixel (x, y) is gold: the
// horn's body (a box), its bell (a widening cone) and three arcs of sound.
func artworkGold(x, y float64) bool {
	const cy = 700
	switch {
	case x >= 330 && x < 470 && math.Abs(y-cy) < 110: // body
		return true
	case x >= 470 && x < 760 && math.Abs(y-cy) < 110+(x-470)*0.75: // bell
		return true
	}
	d := math.Hypot(x-760, y-cy)
	angle := math.Abs(math.Atan2(y-cy, x-760))
	for _, r := range []float64{130, 250, 370} {
		if x > 760 && angle < 0.75 && math.Abs(d-r) < 28 {
			return true
		}
	}
	return false
}
