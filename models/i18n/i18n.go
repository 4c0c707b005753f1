package i18n

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"maps"
	"strings"
	"sync"

	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"

	"github.com/sellercenter/sellercenter/models"
)

//go:embed locales/*.json
var localeFS embed.FS

// Lang is a supported UI language tag.
type Lang string

const (
	ZH Lang = "zh-CN"
	EN Lang = "en"
)

// Langs lists the supported languages, default first.
var Langs = []Lang{ZH, EN}

// Parse returns the supported language for s, or false.
func Parse(s string) (Lang, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "zh-cn", "zh", "zh-hans", "zh-hans-cn":
		return ZH, true
	case "en", "en-us", "en-gb":
		return EN, true
	}
	return "", false
}

// FromAcceptLanguage picks the best supported language for a header value,
// defaulting to Chinese.
func FromAcceptLanguage(h string) Lang {
	tags, _, err := language.ParseAcceptLanguage(h)
	if err != nil {
		return ZH
	}
	m := language.NewMatcher([]language.Tag{language.SimplifiedChinese, language.English})
	_, idx, conf := m.Match(tags...)
	if conf == language.No || idx == 0 {
		return ZH
	}
	return EN
}

var (
	bundleOnce sync.Once
	bundle     *goi18n.Bundle
	locs       map[Lang]*Localizer
)

func load() {
	bundle = goi18n.NewBundle(language.SimplifiedChinese)
	bundle.RegisterUnmarshalFunc("json", json.Unmarshal)
	for _, l := range Langs {
		files, err := catalogFiles(l)
		if err != nil {
			panic(fmt.Sprintf("i18n: %s: %v", l, err))
		}
		for _, f := range files {
			if _, err := bundle.LoadMessageFileFS(localeFS, f); err != nil {
				panic(fmt.Sprintf("i18n: %s: %v", f, err)) // a broken embedded catalog is a build defect
			}
		}
	}
	locs = map[Lang]*Localizer{}
	for _, l := range Langs {
		locs[l] = &Localizer{Lang: l, l: goi18n.NewLocalizer(bundle, string(l)), cache: map[string]string{}}
	}
}

// Localizer renders messages in one language.
type Localizer struct {
	Lang  Lang
	l     *goi18n.Localizer
	mu    sync.RWMutex
	cache map[string]string // messages without template data, by id
}

// For returns the localizer of a language (Chinese when unknown).
func For(l Lang) *Localizer {
	bundleOnce.Do(load)
	if loc, ok := locs[l]; ok {
		return loc
	}
	return locs[ZH]
}

// T renders the message id with alternating key/value template data.
// An unknown id renders as itself, so a missing translation shows, not breaks.
func (l *Localizer) T(id string, kv ...any) string {
	if len(kv) == 0 {
		l.mu.RLock()
		s, ok := l.cache[id]
		l.mu.RUnlock()
		if ok {
			return s
		}
	}
	var data map[string]any
	if len(kv) > 1 {
		data = make(map[string]any, len(kv)/2)
		for i := 0; i+1 < len(kv); i += 2 {
			data[fmt.Sprint(kv[i])] = kv[i+1]
		}
	}
	s, err := l.l.Localize(&goi18n.LocalizeConfig{MessageID: id, TemplateData: data})
	if err != nil {
		s = id
	}
	if len(kv) == 0 {
		l.mu.Lock()
		l.cache[id] = s
		l.mu.Unlock()
	}
	return s
}

// Msg renders a models.Msg. An argument that is itself a models.Msg (an
// enum's label, say a status) is rendered in the same language first, so a
// message never shows a raw code.
func (l *Localizer) Msg(m models.Msg) string {
	args, cloned := m.Args, false
	for k, v := range m.Args {
		if inner, ok := v.(models.Msg); ok {
			if !cloned {
				args, cloned = maps.Clone(m.Args), true
			}
			args[k] = l.Msg(inner)
		}
	}
	s, err := l.l.Localize(&goi18n.LocalizeConfig{MessageID: m.ID, TemplateData: args})
	if err != nil {
		return m.ID
	}
	return s
}

// Has reports whether the catalog of l defines id.
func (l *Localizer) Has(id string) bool {
	_, err := l.l.Localize(&goi18n.LocalizeConfig{MessageID: id})
	return err == nil
}

// IDs returns every message id of a language's catalog file.
func IDs(l Lang) ([]string, error) {
	files, err := catalogFiles(l)
	if err != nil {
		return nil, err
	}
	var ids []string
	seen := map[string]string{}
	for _, f := range files {
		b, err := localeFS.ReadFile(f)
		if err != nil {
			return nil, err
		}
		var m map[string]json.RawMessage
		if err := json.Unmarshal(b, &m); err != nil {
			return nil, fmt.Errorf("%s: %w", f, err)
		}
		for k := range m {
			if prev, dup := seen[k]; dup {
				return nil, fmt.Errorf("%q is in both %s and %s", k, prev, f)
			}
			seen[k] = f
			ids = append(ids, k)
		}
	}
	return ids, nil
}

// catalogFiles lists a language's catalog: locales/<lang>.json plus one
// locales/<area>.<lang>.json per workflow area, so areas grow independently.
func catalogFiles(l Lang) ([]string, error) {
	area, err := fs.Glob(localeFS, "locales/*."+string(l)+".json")
	if err != nil {
		return nil, err
	}
	return append([]string{"locales/" + string(l) + ".json"}, area...), nil
}
