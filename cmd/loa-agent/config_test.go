package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestConfigFromFlagsAndEnvironment(t *testing.T) {
	t.Parallel()
	tokenFile := filepath.Join(t.TempDir(), "token")
	os.WriteFile(tokenFile, []byte("s3cret\n"), 0o600)
	env := map[string]string{"LOA_AGENT_SERVER": "https://loa.example", "LOA_AGENT_TOKEN_FILE": tokenFile, "LOA_AGENT_OUTPUT": "null"}
	env["LOA_AGENT_RELAY_DEAD_AIR"] = "1m"
	c, err := parseConfig([]string{"--output", "wav:/tmp/x", "--play-late"}, func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	if c.server != "https://loa.example" || c.token != "s3cret" || c.output != "wav:/tmp/x" || !c.playLate || c.data != DefaultData {
		t.Errorf("config %+v", c)
	}
	if c.relayDeadAir != time.Minute || c.relayNoStream != 10*time.Second {
		t.Errorf("relay limits %v %v, want 1m from the environment and the 10s default", c.relayDeadAir, c.relayNoStream)
	}
}

func TestConfigSaysWhatToFix(t *testing.T) {
	t.Parallel()
	none := func(string) string { return "" }
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--token", "x"}, "--server must be"},
		{[]string{"--server", "ftp://x", "--token", "x"}, "--server must be"},
		{[]string{"--server", "http://x"}, "no token"},
		{[]string{"--server", "http://x", "--token", "x", "--output", "wav:"}, "--output"},
		{[]string{"--server", "http://x", "--token", "x", "--rate", "fast"}, "--rate"},
		{[]string{"--server", "http://x", "--token-file", "/nonexistent/token"}, "--token-file"},
		{[]string{"--server", "http://x", "--token", "x", "--relay-dead-air", "30"}, "--relay-dead-air"},
	} {
		_, err := parseConfig(tc.args, none)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: %v, want %q", tc.args, err, tc.want)
		}
	}
}
