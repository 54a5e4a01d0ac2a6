package podcast

import (
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
)

// Channel describes a feed: the ward's whole public page or one topic.
// Every URL is absolute: podcast apps fetch them from elsewhere.
type Channel struct {
	Title       string
	Description string
	Link        string // the public page the feed belongs to
	SelfURL     string // the feed's own address
	ImageURL    string // square artwork, 1400–3000 px (Artwork)
	Author      string // the ward, as the apps name the publisher
	Updated     time.Time
}

// Episode is one bulletin as the feed lists it, with its absolute URLs.
type Episode struct {
	Bulletin
	PageURL       string
	AudioURL      string
	TranscriptURL string // empty: no text
}

// Namespaces of the tags podcast apps read besides RSS 2.0.
const (
	nsITunes  = "http://www.itunes.com/dtds/podcast-1.0.dtd"
	nsPodcast = "https://podcastindex.org/namespace/1.0"
	nsAtom    = "http://www.w3.org/2005/Atom"
)

// podcastGUIDNamespace is Podcasting 2.0's namespace for a feed's
// podcast:guid, a UUIDv5 of the feed URL without its scheme.
var podcastGUIDNamespace = uuid.MustParse("ead4c236-bf58-58c6-a2c6-a6b28d128cb6")

// FeedGUID is the podcast:guid of the feed at url, as Podcasting 2.0
// derives it: stable as long as the address is.
func FeedGUID(url string) string {
	_, rest, ok := strings.Cut(url, "://")
	if !ok {
		rest = url
	}
	return uuid.NewSHA1(podcastGUIDNamespace, []byte(strings.TrimRight(rest, "/"))).String()
}

// EpisodeGUID never changes for a bulletin: its id and the content address
// of its audio (a new recording is a new bulletin).
func EpisodeGUID(b Bulletin) string {
	sha := b.SHA256
	if len(sha) > 16 {
		sha = sha[:16]
	}
	return fmt.Sprintf("loa-%d-%s", b.ID, sha)
}

// WriteRSS writes the feed of ch with its episodes, newest first.
func WriteRSS(w io.Writer, ch Channel, eps []Episode) error {
	doc := rss{Version: "2.0", ITunes: nsITunes, Podcast: nsPodcast, Atom: nsAtom, Channel: channelOf(ch, eps)}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("write feed: %w", err)
	}
	return enc.Close()
}

func channelOf(ch Channel, eps []Episode) rssChannel {
	c := rssChannel{
		Title: ch.Title, Link: ch.Link, Description: ch.Description, Language: "vi",
		Generator: "Loa", LastBuild: ch.Updated.UTC().Format(time.RFC1123Z),
		Self:   atomLink{Href: ch.SelfURL, Rel: "self", Type: "application/rss+xml"},
		Image:  rssImage{URL: ch.ImageURL, Title: ch.Title, Link: ch.Link},
		IImage: hrefTag{Href: ch.ImageURL}, Author: ch.Author, Explicit: "false", Type: "episodic",
		Category: category{Text: "Government"}, Locked: "no", GUID: FeedGUID(ch.SelfURL),
	}
	for _, e := range eps {
		c.Items = append(c.Items, itemOf(e))
	}
	return c
}

func itemOf(e Episode) rssItem {
	desc := e.Summary
	if desc == "" {
		desc = e.Title
	}
	it := rssItem{
		Title: e.Title, Description: desc, Link: e.PageURL,
		GUID:      guid{IsPermaLink: "false", Value: EpisodeGUID(e.Bulletin)},
		PubDate:   e.Published.UTC().Format(time.RFC1123Z),
		Enclosure: enclosure{URL: e.AudioURL, Length: strconv.FormatInt(e.Bytes, 10), Type: e.MIME},
		Duration:  strconv.FormatInt(int64(e.Duration.Round(time.Second)/time.Second), 10),
		Episode:   "full", Explicit: "false",
	}
	if e.TranscriptURL != "" {
		it.Transcript = &transcript{URL: e.TranscriptURL, Type: "text/plain", Language: "vi"}
	}
	return it
}

// The XML shapes of the feed.
type (
	rss struct {
		XMLName xml.Name   `xml:"rss"`
		Version string     `xml:"version,attr"`
		ITunes  string     `xml:"xmlns:itunes,attr"`
		Podcast string     `xml:"xmlns:podcast,attr"`
		Atom    string     `xml:"xmlns:atom,attr"`
		Channel rssChannel `xml:"channel"`
	}
	rssChannel struct {
		Title       string    `xml:"title"`
		Link        string    `xml:"link"`
		Description string    `xml:"description"`
		Language    string    `xml:"language"`
		Generator   string    `xml:"generator"`
		LastBuild   string    `xml:"lastBuildDate"`
		Self        atomLink  `xml:"atom:link"`
		Image       rssImage  `xml:"image"`
		IImage      hrefTag   `xml:"itunes:image"`
		Author      string    `xml:"itunes:author"`
		Category    category  `xml:"itunes:category"`
		Explicit    string    `xml:"itunes:explicit"`
		Type        string    `xml:"itunes:type"`
		Locked      string    `xml:"podcast:locked"`
		GUID        string    `xml:"podcast:guid"`
		Items       []rssItem `xml:"item"`
	}
	rssItem struct {
		Title       string      `xml:"title"`
		Description string      `xml:"description"`
		Link        string      `xml:"link"`
		GUID        guid        `xml:"guid"`
		PubDate     string      `xml:"pubDate"`
		Enclosure   enclosure   `xml:"enclosure"`
		Duration    string      `xml:"itunes:duration"`
		Episode     string      `xml:"itunes:episodeType"`
		Explicit    string      `xml:"itunes:explicit"`
		Transcript  *transcript `xml:"podcast:transcript,omitempty"`
	}
	atomLink struct {
		Href string `xml:"href,attr"`
		Rel  string `xml:"rel,attr"`
		Type string `xml:"type,attr"`
	}
	rssImage struct {
		URL   string `xml:"url"`
		Title string `xml:"title"`
		Link  string `xml:"link"`
	}
	hrefTag struct {
		Href string `xml:"href,attr"`
	}
	category struct {
		Text string `xml:"text,attr"`
	}
	guid struct {
		IsPermaLink string `xml:"isPermaLink,attr"`
		Value       string `xml:",chardata"`
	}
	enclosure struct {
		URL    string `xml:"url,attr"`
		Length string `xml:"length,attr"`
		Type   string `xml:"type,attr"`
	}
	transcript struct {
		URL      string `xml:"url,attr"`
		Type     string `xml:"type,attr"`
		Language string `xml:"language,attr"`
	}
)
