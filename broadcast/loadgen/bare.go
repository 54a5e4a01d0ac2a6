package loadgen

import (
	"net/http"
	"sync"

	"github.com/gorilla/websocket"
)

// bareHub is the baseline: the plainest gorilla/websocket broadcast, one
// reader and one writer goroutine per connection, default buffers, no
// protocol, no authentication.
type bareHub struct {
	upgrader websocket.Upgrader
	mu       sync.Mutex
	conns    map[chan []byte]struct{}
}

func newBareHub() *bareHub {
	return &bareHub{conns: map[chan []byte]struct{}{}}
}

func (b *bareHub) count() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.conns)
}

func (b *bareHub) serve(w http.ResponseWriter, r *http.Request) {
	ws, err := b.upgrader.Upgrade(w, r, nil)
	if err != nil {
		return
	}
	send := make(chan []byte, 16)
	b.mu.Lock()
	b.conns[send] = struct{}{}
	b.mu.Unlock()
	go func() {
		for frame := range send {
			if ws.WriteMessage(websocket.TextMessage, frame) != nil {
				ws.Close()
			}
		}
	}()
	for {
		if _, _, err := ws.ReadMessage(); err != nil {
			break
		}
	}
	b.mu.Lock()
	delete(b.conns, send)
	b.mu.Unlock()
	close(send)
	ws.Close()
}

func (b *bareHub) broadcast(frame []byte) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for send := range b.conns {
		select {
		case send <- frame:
		default:
		}
	}
}
