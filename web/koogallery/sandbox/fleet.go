package sandbox

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"
)

// Spec names one sandbox of a fleet and how it is configured.
type Spec struct {
	Name   string
	Config Config
}

// Fleet is a set of sandboxes served on loopback ports: the demo's seller
// endpoints, and the tests' (listeners live here, on the HTTP side, never in
// models/).
type Fleet struct {
	servers map[string]*Server
	urls    map[string]string
	http    []*http.Server
}

// StartFleet serves each spec on its own 127.0.0.1 port.
func StartFleet(specs []Spec, logger *slog.Logger) (*Fleet, error) {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	f := &Fleet{servers: map[string]*Server{}, urls: map[string]string{}}
	for _, sp := range specs {
		if sp.Config.Logger == nil {
			sp.Config.Logger = logger
		}
		srv, err := New(sp.Config)
		if err != nil {
			f.Close()
			return nil, fmt.Errorf("sandbox %s: %w", sp.Name, err)
		}
		f.servers[sp.Name] = srv
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			f.Close()
			return nil, err
		}
		hs := &http.Server{Handler: srv, ReadHeaderTimeout: 5 * time.Second}
		f.http = append(f.http, hs)
		go func(name string) {
			if err := hs.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
				logger.Error("sandbox", "name", name, "err", err)
			}
		}(sp.Name)
		f.urls[sp.Name] = "http://" + ln.Addr().String() + "/produce"
	}
	return f, nil
}

// URLs maps each sandbox's name to its /produce URL.
func (f *Fleet) URLs() map[string]string { return f.urls }

// Server is the named sandbox, or nil.
func (f *Fleet) Server(name string) *Server { return f.servers[name] }

// SetFailRate changes the share of the named sandbox's calls answered 000005.
func (f *Fleet) SetFailRate(name string, rate float64) error {
	s := f.servers[name]
	if s == nil {
		return fmt.Errorf("no sandbox %q", name)
	}
	return s.SetFaults(Faults{FailRate: rate})
}

// Close stops every sandbox.
func (f *Fleet) Close() {
	for _, hs := range f.http {
		_ = hs.Close()
	}
	for _, s := range f.servers {
		_ = s.Close()
	}
}
