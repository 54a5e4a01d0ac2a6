package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"loa/audio/playback"
	"loa/broadcast/agent"
)

// config is the command line and environment, validated.
type config struct {
	server, token, data, output string
	rate                        int
	playLate, showVersion       bool
	logLevel                    slog.Level
	relayNoStream, relayDeadAir time.Duration
}

var errHelp = flag.ErrHelp

// Defaults.
const (
	DefaultData   = "/var/lib/loa-agent"
	DefaultOutput = "speaker"
)

// parseConfig reads flags over LOA_AGENT_* variables (getenv) and checks
// them, with messages that say what to fix.
func parseConfig(args []string, getenv func(string) string) (config, error) {
	env := func(name, def string) string {
		if v := getenv("LOA_AGENT_" + name); v != "" {
			return v
		}
		return def
	}
	fs := flag.NewFlagSet("loa-agent", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	var c config
	var tokenFile, level, rate, playLate string
	var relay [2]string
	fs.StringVar(&c.server, "server", env("SERVER", ""), "the ward server's base URL (LOA_AGENT_SERVER)")
	fs.StringVar(&c.token, "token", env("TOKEN", ""), "the station token; prefer LOA_AGENT_TOKEN or --token-file (visible in ps)")
	fs.StringVar(&tokenFile, "token-file", env("TOKEN_FILE", ""), "a file holding the station token (LOA_AGENT_TOKEN_FILE)")
	fs.StringVar(&c.data, "data", env("DATA", DefaultData), "directory for the cache and journal (LOA_AGENT_DATA)")
	fs.StringVar(&c.output, "output", env("OUTPUT", DefaultOutput), "speaker[:DEVICE] | aplay[:DEVICE] | wav:DIR | null (LOA_AGENT_OUTPUT)")
	fs.StringVar(&rate, "rate", env("RATE", strconv.Itoa(playback.DefaultRate)), "output sample rate in Hz (LOA_AGENT_RATE)")
	playLate = env("PLAY_LATE", "false")
	late, _ := strconv.ParseBool(playLate)
	fs.BoolVar(&c.playLate, "play-late", late, "play items whose start has passed instead of reporting them missed (LOA_AGENT_PLAY_LATE)")
	fs.StringVar(&relay[0], "relay-no-stream", env("RELAY_NO_STREAM", agent.DefaultRelayNoStream.String()),
		"a relay with no audio this long after its start gives its slot to the library (LOA_AGENT_RELAY_NO_STREAM)")
	fs.StringVar(&relay[1], "relay-dead-air", env("RELAY_DEAD_AIR", agent.DefaultRelayDeadAir.String()),
		"a relay down or silent this long gives the rest of its slot to the library (LOA_AGENT_RELAY_DEAD_AIR)")
	fs.StringVar(&level, "log-level", env("LOG_LEVEL", "info"), "debug | info | warn | error (LOA_AGENT_LOG_LEVEL)")
	fs.BoolVar(&c.showVersion, "version", false, "print the version and exit")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fs.SetOutput(os.Stdout)
			fs.PrintDefaults()
		}
		return c, err
	}
	if c.showVersion {
		return c, nil
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	return c, c.check(tokenFile, rate, playLate, level, relay)
}

func (c *config) check(tokenFile, rate, playLate, level string, relay [2]string) error {
	var problems []string
	if u, err := url.Parse(c.server); c.server == "" || err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		problems = append(problems, "--server must be the server's http:// or https:// URL, e.g. https://loa.phuong.example")
	}
	if tokenFile != "" {
		b, err := os.ReadFile(tokenFile)
		if err != nil {
			problems = append(problems, fmt.Sprintf("--token-file: %v", err))
		}
		c.token = strings.TrimSpace(string(b))
	}
	if c.token == "" {
		problems = append(problems, "no token: set LOA_AGENT_TOKEN or --token-file (the token shown once when the station was created)")
	}
	if c.data == "" {
		problems = append(problems, "--data must name a directory")
	}
	if err := checkOutput(c.output); err != nil {
		problems = append(problems, err.Error())
	}
	var err error
	if c.rate, err = strconv.Atoi(rate); err != nil || c.rate < 8000 || c.rate > 192000 {
		problems = append(problems, "--rate must be a sample rate between 8000 and 192000")
	}
	if _, err := strconv.ParseBool(playLate); err != nil {
		problems = append(problems, "LOA_AGENT_PLAY_LATE must be true or false")
	}
	if err := c.logLevel.UnmarshalText([]byte(level)); err != nil {
		problems = append(problems, "--log-level must be debug, info, warn or error")
	}
	for i, d := range []*time.Duration{&c.relayNoStream, &c.relayDeadAir} {
		if *d, err = time.ParseDuration(relay[i]); err != nil || *d < time.Second || *d > 10*time.Minute {
			problems = append(problems, fmt.Sprintf("--%s must be a duration from 1s to 10m, e.g. 30s",
				[]string{"relay-no-stream", "relay-dead-air"}[i]))
		}
	}
	if len(problems) > 0 {
		return errors.New(strings.Join(problems, "\n  "))
	}
	return nil
}

func checkOutput(spec string) error {
	kind, arg, _ := strings.Cut(spec, ":")
	switch {
	case kind == "speaker", kind == "aplay", kind == "null" && arg == "":
		return nil
	case kind == "wav" && arg != "":
		return nil
	}
	return fmt.Errorf("--output %q: want speaker[:DEVICE], aplay[:DEVICE], wav:DIR or null", spec)
}
