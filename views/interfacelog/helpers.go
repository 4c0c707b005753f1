package interfacelog

import (
	"context"

	il "github.com/sellercenter/sellercenter/models/interfacelog"
	"github.com/sellercenter/sellercenter/views"
)

// resultMeaning is the result code's meaning in the viewer's language.
func resultMeaning(ctx context.Context, d *il.Detail) string {
	if views.Lang(ctx) == "en" {
		return d.ResultEN
	}
	return d.ResultZH
}

func orDash(s string) string {
	if s == "" {
		return "none"
	}
	return s
}
