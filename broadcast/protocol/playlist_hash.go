package protocol

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
)

// hashed is the part of a playlist its hash covers: everything but Version
// and Hash, so equal content always hashes equal across versions.
type hashed struct {
	Station string `json:"station"`
	Date    string `json:"date"`
	Zone    string `json:"zone"`
	Items   []Item `json:"items"`
}

// ComputeHash returns the hex sha256 of the playlist's content (station, date,
// zone and items as encoding/json writes them).
func (p *Playlist) ComputeHash() string {
	items := p.Items
	if items == nil {
		items = []Item{}
	}
	b, err := json.Marshal(hashed{Station: p.Station, Date: p.Date, Zone: p.Zone, Items: items})
	if err != nil {
		// Only NaN/Inf gains can fail, and the hash of an invalid playlist
		// must simply not match.
		return ""
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// Ref returns the playlist's reference.
func (p *Playlist) Ref() PlaylistRef {
	return PlaylistRef{Date: p.Date, Version: p.Version, Hash: p.Hash}
}
