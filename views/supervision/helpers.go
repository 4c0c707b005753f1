// Package supervision renders 服务监管 pages: the merchant's flows, the
// buyer's, and operations' appeal queue; handlers give them read models.
package supervision

import (
	"context"
	"fmt"
	"net/url"
	"time"

	"github.com/sellercenter/sellercenter/models"
	ms "github.com/sellercenter/sellercenter/models/supervision"
	"github.com/sellercenter/sellercenter/views"
)

// ListData is a flow list (merchant or buyer).
type ListData struct {
	Page  ms.Page
	Query url.Values
	Err   *models.ValidationError
}

// DetailData is one flow for the merchant or operations; after a refused
// action the message shows above the forms.
type DetailData struct {
	D   *ms.Detail
	Err *models.ValidationError
	// Appeal is the appeal page's appeal id (operations), 0 on the flow page.
	Appeal int64
}

// BuyerData is the buyer's flow.
type BuyerData struct {
	D   *ms.BuyerDetail
	Err *models.ValidationError
}

// QueueData is operations' open appeals.
type QueueData struct{ Items []ms.QueueItem }

// PolicyData is the long-running policy form.
type PolicyData struct {
	P   models.SupPolicy
	Err *models.ValidationError
}

// Left is the time left (negative: overdue) in the one remaining-time
// format (views.Remaining).
func Left(ctx context.Context, d time.Duration) string { return views.Remaining(ctx, d) }

func rowLeft(ctx context.Context, r *ms.Row, now time.Time) string {
	if d, ok := r.Left(now); ok {
		return Left(ctx, d)
	}
	return "—"
}

func has(as []models.SupAction, a models.SupAction) bool {
	for _, x := range as {
		if x == a {
			return true
		}
	}
	return false
}

func itoa(n int) string { return fmt.Sprint(n) }

// merchantActions are the merchant forms the detail offers, in order.
var merchantActions = []models.SupAction{models.SupConfirmReq, models.SupRejectReq, models.SupDeliver, models.SupShip,
	models.SupParcelSigned, models.SupActivate}

// buyerForms maps the buyer's node actions to the events its form posts.
var buyerForms = []struct {
	Action models.SupAction
	Event  string
	Name   string
}{
	{models.SupSubmit, ms.EvSubmitRequirements, "submit"},
	{models.SupAccept, ms.EvAccept, "accept"},
	{models.SupRejectDeliv, ms.EvReject, "reject"},
	{models.SupParcelSigned, ms.EvParcelSigned, "parcel_signed"},
}

// SettingsData is a product's 服务监管 settings form; after a refusal the
// page holds what was typed.
type SettingsData struct {
	Page ms.SettingsPage
	Err  *models.ValidationError
}

// eventDocs are the documents an event of the timeline carried.
func eventDocs(docs []models.SupDocument, eventID int64) []models.SupDocument {
	var out []models.SupDocument
	for _, d := range docs {
		if d.EventRef != nil && *d.EventRef == eventID {
			out = append(out, d)
		}
	}
	return out
}
