// Package debugger renders the interface debugger (应用接入调试) page.
package debugger

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/sellercenter/sellercenter/models"
	md "github.com/sellercenter/sellercenter/models/debugger"
	"github.com/sellercenter/sellercenter/views"
)

// Data is the debugger page.
type Data struct {
	Page       *md.PageData
	Form       ComposeForm
	Result     *md.Result
	Calc       CalcForm
	CalcResult *md.CalcResult
}

// ComposeForm echoes the compose form.
type ComposeForm struct {
	md.Compose
	Name string // case name, for 保存为用例
	Err  *models.ValidationError
}

// CalcForm echoes the calculator form.
type CalcForm struct {
	md.CalcInput
	Err *models.ValidationError
}

// Statuses and scenes offered in the compose form.
var (
	statuses = []string{"FREEZE", "UNFREEZE", "NORMAL"}
	scenes   = []string{"TRIAL_TO_FORMAL", "RENEWAL", "UNSUBSCRIBE_RENEWAL_PERIOD", "RENEWAL_CHANGE"}
)

func selected(a, b string) bool { return a == b }

func productSelected(f ComposeForm, id int64) bool { return f.ProductRef == id }

// meaning is the result code's meaning in the viewer's language.
func meaning(ctx context.Context, r *md.Result) string {
	if views.Lang(ctx) == "en" {
		return r.MeaningEN
	}
	return r.MeaningZH
}

// classLabel names the outcome class of a test call.
func classLabel(ctx context.Context, r *md.Result) string {
	if r.OK() {
		return views.T(ctx, "outcome.ok")
	}
	return views.T(ctx, "errclass."+r.Class)
}

// allSteps lists the request's signature steps, then the response's.
func allSteps(r *md.Result) []md.Step {
	return slices.Concat(r.Steps, r.ResponseSteps)
}

func classBadge(r *md.Result) string {
	if r.OK() {
		return "ok"
	}
	return "bad"
}

// StatusBadge is the badge class of a product status.
func StatusBadge(status string) string {
	switch status {
	case models.ProductOnSale:
		return "ok"
	case models.ProductFrozen:
		return "warn"
	}
	return "bad"
}

// RunBadge is the badge class of a dial run.
func RunBadge(r models.DialRun) string {
	if r.Outcome == models.DialOK {
		return "ok"
	}
	return "bad"
}

// RunTitle describes a dial run in a tooltip.
func RunTitle(ctx context.Context, r models.DialRun) string {
	parts := []string{views.Time(ctx, r.At), r.CaseName, r.Activity}
	if r.ResultCode != "" {
		parts = append(parts, r.ResultCode)
	}
	if r.ErrorClass != "" {
		parts = append(parts, views.T(ctx, "errclass."+r.ErrorClass))
	}
	return strings.Join(parts, " · ")
}

func shortParams(p string) string {
	if len(p) > 120 {
		return p[:120] + "…"
	}
	return p
}

func itoa(n int) string { return fmt.Sprint(n) }
