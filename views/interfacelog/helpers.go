package interfacelog

import (
	"context"
	"net/url"
	"strconv"

	"github.com/a-h/templ"

	il "github.com/sellercenter/sellercenter/models/interfacelog"
	"github.com/sellercenter/sellercenter/views"
	"github.com/sellercenter/sellercenter/views/paths"
)

// resultMeaning is the selected attempt's result code meaning in the
// viewer's language.
func resultMeaning(ctx context.Context, d *il.Detail) string {
	if views.Lang(ctx) == "en" {
		return d.ResultEN
	}
	return d.ResultZH
}

// attemptURL is the call's page showing one attempt's exchange.
func attemptURL(callID int64, attempt int) templ.SafeURL {
	return paths.InterfaceMessage.With(url.Values{"attempt": {strconv.Itoa(attempt)}}, callID)
}

func orDash(s string) string {
	if s == "" {
		return "none"
	}
	return s
}
