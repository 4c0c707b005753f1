package views

import (
	"context"
	"time"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/i18n"
	"github.com/sellercenter/sellercenter/static"
)

// Flash is a one-time message carried across a redirect.
type Flash struct {
	Kind string // success, error, info
	Msg  models.Msg
}

// Meta is what every page needs besides its own data.
type Meta struct {
	L        *i18n.Localizer
	User     *models.User // nil when nobody is logged in
	Merchant *models.Merchant
	CSRF     string
	Path     string
	Loc      *time.Location
	Flash    *Flash

	timesShown bool // the page rendered a time: its heading names the zone
}

type metaKey struct{}

// WithMeta returns ctx carrying m for the components rendered under it.
func WithMeta(ctx context.Context, m *Meta) context.Context {
	return context.WithValue(ctx, metaKey{}, m)
}

// MetaOf returns the page meta of ctx (a Chinese anonymous one if absent).
func MetaOf(ctx context.Context) *Meta {
	if m, ok := ctx.Value(metaKey{}).(*Meta); ok && m != nil {
		return m
	}
	return &Meta{L: i18n.For(i18n.ZH), Loc: time.UTC}
}

// T localizes a message id.
func T(ctx context.Context, id string, kv ...any) string { return MetaOf(ctx).L.T(id, kv...) }

// TM localizes a models.Msg.
func TM(ctx context.Context, m models.Msg) string { return MetaOf(ctx).L.Msg(m) }

// Lang is the page language tag for <html lang>.
func Lang(ctx context.Context) string { return string(MetaOf(ctx).L.Lang) }

// Time formats t in the viewer's zone; zero renders as a dash.
func Time(ctx context.Context, t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	noteTime(ctx)
	return t.In(MetaOf(ctx).Loc).Format("2006-01-02 15:04:05")
}

// TimePtr is Time for optional instants.
func TimePtr(ctx context.Context, t *time.Time) string {
	if t == nil {
		return "—"
	}
	return Time(ctx, *t)
}

// Asset is the cache-busted URL of an embedded asset.
func Asset(name string) string { return static.URL(name) }

// Can reports whether the viewer's role grants p (for showing links only:
// handlers enforce the same table).
func Can(ctx context.Context, p models.Permission) bool {
	u := MetaOf(ctx).User
	return u != nil && u.Role.Can(p)
}

// FieldErr returns the localized message of a field in a validation error.
func FieldErr(ctx context.Context, v *models.ValidationError, field string) string {
	if v == nil {
		return ""
	}
	if m, ok := v.Fields[field]; ok {
		return TM(ctx, m)
	}
	return ""
}

// FormErr returns the localized form-wide message of a validation error.
func FormErr(ctx context.Context, v *models.ValidationError) string {
	if v == nil || v.Form == nil {
		return ""
	}
	return TM(ctx, *v.Form)
}
