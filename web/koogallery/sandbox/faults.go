package sandbox

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// Faults are the knobs that make the sandbox misbehave the way real seller
// endpoints do. The JSON names equal the command-line flag names.
type Faults struct {
	Latency     time.Duration // delay before every /produce answer
	FailRate    float64       // share of calls answered 000005, drawn from a seeded source
	ResultCode  string        // forced resultCode for every call ("" or "000000" = off)
	BadBodySign bool          // sign answers with the wrong key
	Async       bool          // newInstance answers 000004; the instance appears after AsyncDelay
	AsyncDelay  time.Duration
}

// DefaultAsyncDelay is how long an async instance stays pending.
const DefaultAsyncDelay = 2 * time.Second

// maxLatency keeps a typo from parking connections for hours.
const maxLatency = 10 * time.Minute

type faultsJSON struct {
	Latency     string  `json:"latency"`
	FailRate    float64 `json:"fail-rate"`
	ResultCode  string  `json:"result-code"`
	BadBodySign bool    `json:"bad-body-sign"`
	Async       bool    `json:"async"`
	AsyncDelay  string  `json:"async-delay"`
}

// MarshalJSON writes durations as Go duration strings ("150ms").
func (f Faults) MarshalJSON() ([]byte, error) {
	return json.Marshal(faultsJSON{
		Latency: f.Latency.String(), FailRate: f.FailRate, ResultCode: f.ResultCode,
		BadBodySign: f.BadBodySign, Async: f.Async, AsyncDelay: f.AsyncDelay.String(),
	})
}

// Validate reports knobs outside their range.
func (f Faults) Validate() error {
	var errs []error
	if f.Latency < 0 || f.Latency > maxLatency {
		errs = append(errs, fmt.Errorf("latency must be between 0 and %s", maxLatency))
	}
	if f.FailRate < 0 || f.FailRate > 1 || f.FailRate != f.FailRate {
		errs = append(errs, errors.New("fail-rate must be between 0 and 1"))
	}
	if f.ResultCode != "" && !isResultCode(f.ResultCode) {
		errs = append(errs, errors.New("result-code must be six digits"))
	}
	if f.AsyncDelay < 0 || f.AsyncDelay > maxLatency {
		errs = append(errs, fmt.Errorf("async-delay must be between 0 and %s", maxLatency))
	}
	return errors.Join(errs...)
}

func isResultCode(s string) bool {
	if len(s) != 6 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// faultsPatch is a POST /sandbox/faults body: only the keys present change.
type faultsPatch struct {
	Latency     *string  `json:"latency"`
	FailRate    *float64 `json:"fail-rate"`
	ResultCode  *string  `json:"result-code"`
	BadBodySign *bool    `json:"bad-body-sign"`
	Async       *bool    `json:"async"`
	AsyncDelay  *string  `json:"async-delay"`
}

// applyPatch decodes a patch strictly and applies it to f.
func applyPatch(f Faults, body []byte) (Faults, error) {
	var p faultsPatch
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&p); err != nil {
		return f, fmt.Errorf("faults: %w", err)
	}
	if dec.More() {
		return f, errors.New("faults: data after the JSON object")
	}
	dur := func(name string, s *string, dst *time.Duration) error {
		if s == nil {
			return nil
		}
		d, err := time.ParseDuration(*s)
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		*dst = d
		return nil
	}
	if err := dur("latency", p.Latency, &f.Latency); err != nil {
		return f, err
	}
	if err := dur("async-delay", p.AsyncDelay, &f.AsyncDelay); err != nil {
		return f, err
	}
	if p.FailRate != nil {
		f.FailRate = *p.FailRate
	}
	if p.ResultCode != nil {
		f.ResultCode = *p.ResultCode
	}
	if p.BadBodySign != nil {
		f.BadBodySign = *p.BadBodySign
	}
	if p.Async != nil {
		f.Async = *p.Async
	}
	return f, f.Validate()
}
