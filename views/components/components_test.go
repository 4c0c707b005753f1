package components

import (
	"bytes"
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/a-h/templ"

	"github.com/sellercenter/sellercenter/models/i18n"
	"github.com/sellercenter/sellercenter/views"
	"github.com/sellercenter/sellercenter/views/paths"
)

func render(t *testing.T, c templ.Component) string {
	t.Helper()
	ctx := views.WithMeta(context.Background(), &views.Meta{L: i18n.For(i18n.EN), CSRF: "tok"})
	var b bytes.Buffer
	if err := c.Render(ctx, &b); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestPagerLinksTheNextPageOnly(t *testing.T) {
	got := render(t, Pager(paths.Tickets, url.Values{"state": {"open"}, "before": {"12"}}, "tickets-next"))
	if !strings.Contains(got, `href="/tickets?before=12&amp;state=open"`) || !strings.Contains(got, `data-testid="tickets-next"`) ||
		!strings.Contains(got, "Next page") {
		t.Fatalf("pager: %s", got)
	}
	if got := render(t, Pager(paths.Tickets, nil, "tickets-next")); got != "" {
		t.Fatalf("last page shows %q", got)
	}
}

func TestExportFormCarriesTheRequest(t *testing.T) {
	got := render(t, ExportForm("orders", url.Values{"order": {"ORD-1*"}}))
	for _, want := range []string{`action="/exports"`, `data-testid="export-form"`, `name="kind" value="orders"`,
		`name="query" value="order=ORD-1%2A"`, `name="format"`, `data-testid="export-submit"`, `value="tok"`} {
		if !strings.Contains(got, want) {
			t.Errorf("export form lacks %s: %s", want, got)
		}
	}
}
