package koogallery

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
)

// MaxBodyBytes is the largest request or response body this package reads.
const MaxBodyBytes = 1 << 20

// Verifier authenticates and parses calls arriving at a seller's production
// interface. Build it with NewVerifier, or fill the fields yourself; it is
// safe for concurrent use and must not be copied after first use.
type Verifier struct {
	Key string           // the access key (Key值)
	Now func() time.Time // nil means time.Now

	// V2Window is the allowed |now − timestamp| of V2 calls; 0 means 60 s.
	V2Window time.Duration
	// V1Window, if positive, also bounds the age of V1 timeStamps. The spec
	// documents no V1 window, so the default is not to check.
	V1Window time.Duration
	// Nonces remembers V2 nonces; nil means one made on first use with a
	// TTL of twice the window.
	Nonces *NonceCache
	// MaxBodyBytes bounds POST bodies; 0 means MaxBodyBytes (1 MiB).
	MaxBodyBytes int64

	once sync.Once
}

// NewVerifier returns a Verifier with the documented defaults.
func NewVerifier(accessKey string) *Verifier {
	return &Verifier{Key: accessKey}
}

// Incoming is a verified, parsed call.
type Incoming struct {
	Version  Version
	Activity Activity
	// Request is the typed DTO, e.g. *NewInstanceRequest; nil when the call
	// failed validation.
	Request Request
	// Params holds every received parameter as text (authentication
	// parameters excluded), including those the tables do not list.
	Params map[string]string
	// Body is the raw POST body.
	Body []byte
	// Payload says which V2 body form the signature covered.
	Payload PayloadForm
}

func (v *Verifier) now() time.Time {
	if v.Now != nil {
		return v.Now()
	}
	return time.Now()
}

func (v *Verifier) nonces() *NonceCache {
	v.once.Do(func() {
		if v.Nonces == nil {
			v.Nonces = NewNonceCache(2*v.window(), DefaultNonceCacheSize)
		}
	})
	return v.Nonces
}

func (v *Verifier) window() time.Duration {
	if v.V2Window > 0 {
		return v.V2Window
	}
	return DefaultV2Window
}

// ParseRequest authenticates r and parses its activity. The protocol is
// chosen by shape: GET is V1; POST with signature/timestamp/nonce in the
// query is V2; POST with an authToken header is V1 POST (联营).
//
// Authentication is checked before anything is parsed beyond what the
// signature needs. On error the returned Incoming may be partly filled
// (Version, and Activity when known) for logging; ResultCodeForError gives
// the result code to answer with.
func (v *Verifier) ParseRequest(r *http.Request) (*Incoming, error) {
	in := &Incoming{}
	if v.Key == "" {
		return in, ErrEmptyKey
	}
	var w wire
	switch r.Method {
	case http.MethodGet:
		in.Version = V1
		params, token, err := ParseV1Query(r.URL.RawQuery)
		if err != nil {
			return in, err
		}
		if err := v.verifyV1(params, token); err != nil {
			return in, err
		}
		w = wireFromValues(params)
	case http.MethodPost:
		query, err := parseStrictQuery(r.URL.RawQuery)
		if err != nil {
			return in, err
		}
		body, err := readBody(r.Body, v.maxBody())
		if err != nil {
			return in, err
		}
		in.Body = body
		switch {
		case query.Has(ParamSignature) || query.Has(ParamTimestamp) || query.Has(ParamNonce):
			in.Version = V2
			check := V2Check{Key: v.Key, Now: v.now, Window: v.window(), Nonces: v.nonces()}
			in.Payload, err = check.Verify(query.Get(ParamSignature), query.Get(ParamTimestamp), query.Get(ParamNonce), body)
			if err != nil {
				return in, err
			}
			fields, err := ParseJSONBody(body)
			if err != nil {
				return in, err
			}
			w = wireFromJSON(fields)
		case headerValue(r.Header, ParamAuthToken) != "":
			in.Version = V1Post
			fields, err := ParseJSONBody(body)
			if err != nil {
				return in, err
			}
			w = wireFromJSON(fields)
			token := headerValue(r.Header, ParamAuthToken)
			if err := v.verifyV1(w.values(), token); err != nil {
				return in, err
			}
		default:
			return in, ErrMissingSignature
		}
	default:
		return in, fmt.Errorf("%w: %s", ErrMethod, r.Method)
	}

	delete(w.text, ParamAuthToken)
	in.Params = w.text
	in.Activity = Activity(w.text[ParamActivity])
	if err := validateWire(in.Version, in.Activity, w, false).orNil(); err != nil {
		return in, err
	}
	req := newRequest(in.Activity)
	if err := wireToRequest(in.Version, w, req).orNil(); err != nil {
		return in, err
	}
	in.Request = req
	return in, nil
}

func (v *Verifier) verifyV1(params url.Values, token string) error {
	if params.Get(ParamTimeStamp) == "" {
		return ErrMissingTimestamp
	}
	if err := VerifyV1Token(v.Key, params, token); err != nil {
		return err
	}
	if v.V1Window > 0 {
		ts, err := ParseTime(params.Get(ParamTimeStamp))
		if err != nil {
			return fmt.Errorf("%w: %v", ErrBadTimestamp, err)
		}
		if d := v.now().Sub(ts); d > v.V1Window || d < -v.V1Window {
			return fmt.Errorf("%w: timeStamp off by %s", ErrStaleTimestamp, d.Round(time.Millisecond))
		}
	}
	return nil
}

func (v *Verifier) maxBody() int64 {
	if v.MaxBodyBytes > 0 {
		return v.MaxBodyBytes
	}
	return MaxBodyBytes
}

func parseStrictQuery(raw string) (url.Values, error) {
	q, err := url.ParseQuery(raw)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBadQuery, err)
	}
	for name, vs := range q {
		if len(vs) > 1 {
			return nil, fmt.Errorf("%w: %q", ErrDuplicateParam, name)
		}
	}
	return q, nil
}

// readBody reads at most limit bytes and fails if there are more.
func readBody(r io.Reader, limit int64) ([]byte, error) {
	if r == nil {
		return nil, nil
	}
	b, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, fmt.Errorf("%w: more than %d bytes", ErrBodyTooLarge, mbe.Limit)
		}
		return nil, fmt.Errorf("%w: reading body: %v", ErrBadJSON, err)
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("%w: more than %d bytes", ErrBodyTooLarge, limit)
	}
	return b, nil
}

// EncodeResponse marshals resp as ASCII JSON and returns the body with its
// Body-Sign header value, computed over exactly those bytes.
func EncodeResponse(accessKey string, resp any) (body []byte, bodySign string, err error) {
	body, err = MarshalASCII(resp)
	if err != nil {
		return nil, "", err
	}
	return body, BodySignHeader(accessKey, body), nil
}

// WriteResponse answers a marketplace call: HTTP 200, Content-Type
// application/json, the Body-Sign header, and the body bytes that were
// signed (no trailing newline).
func WriteResponse(w http.ResponseWriter, accessKey string, resp any) error {
	body, sign, err := EncodeResponse(accessKey, resp)
	if err != nil {
		return err
	}
	WriteSigned(w, body, sign)
	return nil
}

// WriteSigned writes an already encoded body with the given Body-Sign value.
func WriteSigned(w http.ResponseWriter, body []byte, bodySign string) {
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set(HeaderBodySign, bodySign)
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(body)
}

// headerValue finds a header whatever its case: net/http canonicalises
// incoming names, but a handler may also be fed a hand-built request.
func headerValue(h http.Header, name string) string {
	if v := h.Get(name); v != "" {
		return v
	}
	for k, vs := range h {
		if strings.EqualFold(k, name) && len(vs) > 0 {
			return vs[0]
		}
	}
	return ""
}
