package main

import (
	"errors"
	"os"
	"sort"
	"strings"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/i18n"
)

// cliLang follows the operator's locale: Chinese for zh_*, English otherwise.
func cliLang() *i18n.Localizer {
	for _, k := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if v := os.Getenv(k); v != "" {
			if strings.HasPrefix(strings.ToLower(v), "zh") {
				return i18n.For(i18n.ZH)
			}
			return i18n.For(i18n.EN)
		}
	}
	return i18n.For(i18n.EN)
}

// describe renders validation errors field by field in the operator's language.
func describe(err error) string {
	var v *models.ValidationError
	if !errors.As(err, &v) {
		return err.Error()
	}
	l := cliLang()
	var parts []string
	if v.Form != nil {
		parts = append(parts, l.Msg(*v.Form))
	}
	keys := make([]string, 0, len(v.Fields))
	for k := range v.Fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		parts = append(parts, k+": "+l.Msg(v.Fields[k]))
	}
	return strings.Join(parts, "; ")
}

func isInputError(err error) bool {
	var v *models.ValidationError
	return errors.As(err, &v)
}
