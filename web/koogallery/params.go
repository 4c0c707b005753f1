package koogallery

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"reflect"
	"strings"
	"sync"
)

// wire holds the parameters of one call as received or about to be sent.
// text has every field as text (what V1 signs and what validation reads);
// raw keeps the JSON value of each field for bodies, nil for a V1 query.
type wire struct {
	text map[string]string
	raw  map[string]json.RawMessage
}

func wireFromValues(v url.Values) wire {
	text := make(map[string]string, len(v))
	for name, vs := range v {
		if len(vs) > 0 {
			text[name] = vs[0]
		}
	}
	return wire{text: text}
}

func wireFromJSON(fields map[string]json.RawMessage) wire {
	flat := FlattenV1Body(fields)
	w := wire{text: make(map[string]string, len(flat)), raw: fields}
	for name, vs := range flat {
		w.text[name] = vs[0]
	}
	return w
}

func (w wire) has(name string) bool { return w.text[name] != "" }

// nested reports whether name arrived as a JSON object or array.
func (w wire) nested(name string) bool {
	raw := bytes.TrimSpace(w.raw[name])
	return len(raw) > 0 && (raw[0] == '{' || raw[0] == '[')
}

func (w wire) values() url.Values {
	v := make(url.Values, len(w.text))
	for name, s := range w.text {
		v.Set(name, s)
	}
	return v
}

type dtoField struct {
	index  int
	name   string
	scalar bool // a string field; otherwise a nested JSON value
}

var dtoFields sync.Map // reflect.Type → []dtoField

func fieldsOf(t reflect.Type) []dtoField {
	if f, ok := dtoFields.Load(t); ok {
		return f.([]dtoField)
	}
	var fields []dtoField
	for i := 0; i < t.NumField(); i++ {
		sf := t.Field(i)
		name, _, _ := strings.Cut(sf.Tag.Get("json"), ",")
		if name == "" || name == "-" {
			continue
		}
		fields = append(fields, dtoField{index: i, name: name, scalar: sf.Type.Kind() == reflect.String})
	}
	dtoFields.Store(t, fields)
	return fields
}

// requestToWire renders a DTO as wire parameters, activity included.
func requestToWire(req Request) (wire, error) {
	rv := reflect.ValueOf(req)
	if rv.Kind() != reflect.Pointer || rv.IsNil() {
		return wire{}, fmt.Errorf("koogallery: request must be a non-nil pointer, got %T", req)
	}
	rv = rv.Elem()
	w := wire{text: map[string]string{}, raw: map[string]json.RawMessage{}}
	set := func(name, text string, raw json.RawMessage) {
		w.text[name] = text
		w.raw[name] = raw
	}
	activity := string(req.Activity())
	set(ParamActivity, activity, mustQuote(activity))
	for _, f := range fieldsOf(rv.Type()) {
		fv := rv.Field(f.index)
		if fv.IsZero() {
			continue
		}
		if f.scalar {
			s := fv.String()
			set(f.name, s, mustQuote(s))
			continue
		}
		b, err := json.Marshal(fv.Interface())
		if err != nil {
			return wire{}, fmt.Errorf("koogallery: %s: %w", f.name, err)
		}
		set(f.name, string(b), b)
	}
	return w, nil
}

func mustQuote(s string) json.RawMessage {
	return appendJSONString(nil, s, false)
}

// wireToRequest fills a DTO from validated wire parameters, taking only
// the fields the table of (v, a) lists: a DTO shared by V1 and V2 must not
// pick up the other generation's fields. Nested values that do not fit the
// DTO's shape are reported as field errors.
func wireToRequest(v Version, w wire, req Request) *ValidationError {
	ve := &ValidationError{}
	listed := listedFields(v, req.Activity())
	rv := reflect.ValueOf(req).Elem()
	for _, f := range fieldsOf(rv.Type()) {
		text, ok := w.text[f.name]
		if !ok || !listed[f.name] {
			continue
		}
		fv := rv.Field(f.index)
		if f.scalar {
			fv.SetString(text)
			continue
		}
		raw := w.raw[f.name]
		if raw == nil {
			raw = json.RawMessage(text)
		}
		if err := json.Unmarshal(raw, fv.Addr().Interface()); err != nil {
			ve.add(f.name, "does not have the expected structure: %v", err)
		}
	}
	if len(ve.Fields) == 0 {
		checkDecoded(v, req, ve)
	}
	if len(ve.Fields) == 0 {
		return nil
	}
	return ve
}

func validJSON(s string) bool { return json.Valid([]byte(s)) }
