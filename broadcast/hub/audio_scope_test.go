package hub

import (
	"net/http"
	"strings"
	"testing"
)

// A station token fetches only the audio its station was sent (issue 15):
// not a draft's, not another area's.
func TestAudioScopedToWhatTheStationWasSent(t *testing.T) {
	t.Parallel()
	s := newTestServer(t)
	mine, other := s.addStation(t, "tdp-41"), s.addStation(t, "tdp-42")
	s.playlists.set("tdp-41", playlistFor("tdp-41", "2026-12-07", 1, "Thông báo thu thuế"))
	sum := strings.Repeat("ab", 32) // the item's audio, which the server has
	status := func(token string) int {
		req, _ := http.NewRequest("GET", s.url+"/agent/v1/audio/"+sum, nil)
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if got := status(mine); got != http.StatusOK {
		t.Fatalf("the station it was sent to: %d", got)
	}
	if got := status(other); got != http.StatusNotFound {
		t.Fatalf("another station: %d, want 404", got)
	}
}
