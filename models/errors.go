package models

import (
	"errors"
	"fmt"
	"sort"
	"strings"
)

// ErrNotFound is returned for rows that do not exist or that the actor may not
// see: tenancy violations look exactly like absence so existence never leaks.
var ErrNotFound = errors.New("not found")

// ErrForbidden is returned when the actor's role does not allow an action.
var ErrForbidden = errors.New("forbidden")

// Msg is a localizable message: a catalog id and its template data. Models
// speak in Msgs so they never depend on the reader's language.
type Msg struct {
	ID   string
	Args map[string]any
}

// M builds a Msg from an id and alternating key/value pairs.
func M(id string, kv ...any) Msg {
	m := Msg{ID: id}
	if len(kv) > 1 {
		m.Args = make(map[string]any, len(kv)/2)
		for i := 0; i+1 < len(kv); i += 2 {
			m.Args[fmt.Sprint(kv[i])] = kv[i+1]
		}
	}
	return m
}

// ValidationError carries per-field messages plus an optional form-wide one.
// It always maps to a 4xx: the input was wrong, nothing was changed.
type ValidationError struct {
	Form   *Msg
	Fields map[string]Msg
}

func (e *ValidationError) Error() string {
	var parts []string
	if e.Form != nil {
		parts = append(parts, e.Form.ID)
	}
	for _, k := range e.FieldNames() {
		parts = append(parts, k+": "+e.Fields[k].ID)
	}
	return "invalid input: " + strings.Join(parts, "; ")
}

// FieldNames lists the fields with a message, sorted, so pages show them
// in a stable order (nil for a nil error).
func (e *ValidationError) FieldNames() []string {
	if e == nil {
		return nil
	}
	keys := make([]string, 0, len(e.Fields))
	for k := range e.Fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Add records a field message; the first message for a field wins.
func (e *ValidationError) Add(field string, m Msg) {
	if e.Fields == nil {
		e.Fields = map[string]Msg{}
	}
	if _, ok := e.Fields[field]; !ok {
		e.Fields[field] = m
	}
}

// Err returns e when it holds any message, nil otherwise (also for a nil e,
// so a parse that found nothing wrong may return either).
func (e *ValidationError) Err() error {
	if e == nil || e.Form == nil && len(e.Fields) == 0 {
		return nil
	}
	return e
}

// FormError is a ValidationError with one form-wide message.
func FormError(m Msg) *ValidationError { return &ValidationError{Form: &m} }

// RateLimitedError says the caller must wait before trying again.
type RateLimitedError struct{ RetryAfterSeconds int }

// RetryAfterMinutes is the wait in whole minutes, rounded up, so a person
// told "1 minute" is never refused again when it has passed.
func (e *RateLimitedError) RetryAfterMinutes() int { return (e.RetryAfterSeconds + 59) / 60 }

func (e *RateLimitedError) Error() string {
	return fmt.Sprintf("rate limited: retry after %ds", e.RetryAfterSeconds)
}

// ConflictError says the request contradicts what is already recorded (an
// order id repeated with other content); nothing was changed.
type ConflictError struct{ Msg Msg }

func (e *ConflictError) Error() string { return "conflict: " + e.Msg.ID }
