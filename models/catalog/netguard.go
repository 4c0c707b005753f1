package catalog

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"strings"
	"syscall"
)

// ErrPrivateAddress is returned when an endpoint resolves to an address the
// seller center must not reach (loopback, private, link-local…): otherwise
// any merchant could make the server probe the operator's internal network.
var ErrPrivateAddress = errors.New("endpoint resolves to a private or loopback address")

// privateAddr reports addresses that are not on the public internet.
func privateAddr(a netip.Addr) bool {
	a = a.Unmap()
	return a.IsLoopback() || a.IsPrivate() || a.IsLinkLocalUnicast() || a.IsLinkLocalMulticast() ||
		a.IsUnspecified() || a.IsMulticast() || a.IsInterfaceLocalMulticast() ||
		netip.MustParsePrefix("100.64.0.0/10").Contains(a) || // carrier-grade NAT
		netip.MustParsePrefix("169.254.0.0/16").Contains(a)
}

// GuardedDialer refuses, at connect time, addresses privateAddr rejects:
// checking only the URL would miss names that resolve (or later re-resolve)
// to internal hosts.
func GuardedDialer(allowPrivate bool) *net.Dialer {
	d := &net.Dialer{}
	if allowPrivate {
		return d
	}
	d.Control = func(network, address string, _ syscall.RawConn) error {
		ap, err := netip.ParseAddrPort(address)
		if err != nil {
			return fmt.Errorf("%w: %s", ErrPrivateAddress, address)
		}
		if privateAddr(ap.Addr()) {
			return fmt.Errorf("%w: %s", ErrPrivateAddress, address)
		}
		return nil
	}
	return d
}

// URLPolicy decides which endpoint URLs a merchant may register.
type URLPolicy struct {
	// AllowPrivate admits http and loopback/private hosts (demo mode,
	// SELLERCENTER_ALLOW_PRIVATE_ENDPOINTS=1).
	AllowPrivate bool
	// SelfHosts are host:port pairs of this seller center itself; an endpoint
	// there would make the core call itself.
	SelfHosts []string
	// Resolve looks names up; nil uses the system resolver.
	Resolve func(ctx context.Context, host string) ([]netip.Addr, error)
}

// Check returns a catalog message id for a refused URL, or "".
func (p URLPolicy) Check(ctx context.Context, raw string) string {
	if len(raw) > 512 {
		return "err.url_too_long"
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || u.User != nil || u.Fragment != "" {
		return "err.url_format"
	}
	switch u.Scheme {
	case "https":
	case "http":
		if !p.AllowPrivate {
			return "err.url_https"
		}
	default:
		return "err.url_format"
	}
	host := u.Hostname()
	port := u.Port()
	if port == "" {
		port = map[string]string{"http": "80", "https": "443"}[u.Scheme]
	}
	for _, self := range p.SelfHosts {
		sh, sp, err := net.SplitHostPort(self)
		if err != nil {
			continue
		}
		if sp == port && (strings.EqualFold(sh, host) || (sh == "" || sh == "0.0.0.0" || sh == "::") && isLocalName(host)) {
			return "err.url_self"
		}
	}
	if p.AllowPrivate {
		return ""
	}
	if isLocalName(host) {
		return "err.url_private"
	}
	addrs := []netip.Addr{}
	if a, err := netip.ParseAddr(host); err == nil {
		addrs = append(addrs, a)
	} else {
		resolve := p.Resolve
		if resolve == nil {
			resolve = func(ctx context.Context, h string) ([]netip.Addr, error) {
				return net.DefaultResolver.LookupNetIP(ctx, "ip", h)
			}
		}
		// An unresolvable name is allowed: DNS may not be set up yet, and the
		// dialer refuses private answers at call time anyway.
		addrs, _ = resolve(ctx, host)
	}
	for _, a := range addrs {
		if privateAddr(a) {
			return "err.url_private"
		}
	}
	return ""
}

func isLocalName(h string) bool {
	h = strings.ToLower(strings.TrimSuffix(h, "."))
	if h == "localhost" || strings.HasSuffix(h, ".localhost") {
		return true
	}
	if a, err := netip.ParseAddr(h); err == nil {
		return a.IsLoopback() || a.IsUnspecified()
	}
	return false
}
