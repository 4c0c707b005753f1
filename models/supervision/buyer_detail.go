package supervision

import (
	"context"
	"encoding/json"
	"time"

	"github.com/sellercenter/sellercenter/models"
)

// BuyerEvent is one line of the buyer's timeline: who acted by party only
// (商家, 运营, 系统), never a staff member's name or e-mail.
type BuyerEvent struct {
	ID       int64
	At       time.Time
	Kind     string
	Party    models.SupParty
	NodeFrom models.SupNode
	NodeTo   models.SupNode
	Text     string
	Ruling   models.SupRuling // on a ruling
}

// BuyerAppeal is an appeal as the buyer follows it: who filed it by party,
// what was asked, and the ruling with its reason, not who ruled.
type BuyerAppeal struct {
	ID           int64
	Party        models.SupParty
	Reason       string
	Outcome      string
	State        models.SupAppeal
	FiledAt      time.Time
	Ruling       models.SupRuling
	RulingReason string
	RuledAt      *time.Time
}

// BuyerDocument is a document the buyer may download.
type BuyerDocument struct {
	ID          int64
	EventRef    *int64 // the timeline event that carried it
	Kind        string
	Party       models.SupParty
	FileName    string
	ContentType string
	Size        int64
	CreatedAt   time.Time
}

// BuyerDetail is the buyer's read model of its own flow: the node, the
// ruling and every node change, with nothing merchant-internal (SLA flags,
// warnings, escalations, the merchant's appeal evidence) and no staff
// identity. Notifications are per merchant; this is how a buyer is kept
// informed.
type BuyerDetail struct {
	FlowID         int64
	OrderCode      string
	LineCode       string
	ProductName    string
	Node           models.SupNode
	Appeal         models.SupAppeal
	NodeEnteredAt  time.Time
	StartedAt      time.Time
	Variant        models.SupVariant
	AcceptanceMode string
	Criteria       string
	Requirements   string
	Carrier        string
	TrackingNo     string
	SignedAt       *time.Time
	AcceptDueAt    *time.Time // automatic acceptance, while it runs
	AcceptedAt     *time.Time
	ValidFrom      *time.Time
	ValidTo        *time.Time
	ClosedAt       *time.Time
	Events         []BuyerEvent
	Documents      []BuyerDocument
	Template       *BuyerDocument // the requirement template to fill in, nil when none
	Appeals        []BuyerAppeal
	Actions        []models.SupAction
	CanAppeal      bool
	Now            time.Time
}

// BuyerDetail is the buyer's own flow; another customer's is not found, a
// merchant or operations user is refused (they have Detail).
func (s *Service) BuyerDetail(ctx context.Context, actor models.Actor, id int64) (*BuyerDetail, error) {
	if sc, err := s.scopeOf(s.db.WithContext(ctx), actor); err != nil {
		return nil, err
	} else if sc.party != models.SupPartyBuyer {
		return nil, models.ErrForbidden
	}
	d, err := s.Detail(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	f := d.SupFlow
	out := &BuyerDetail{FlowID: f.ID, OrderCode: d.OrderCode, LineCode: d.LineCode, ProductName: d.ProductName,
		Node: f.Node, Appeal: f.Appeal, NodeEnteredAt: f.NodeEnteredAt, StartedAt: f.StartedAt, Variant: f.Variant,
		AcceptanceMode: f.AcceptanceMode, Criteria: f.Criteria, Requirements: f.Requirements, Carrier: f.Carrier,
		TrackingNo: f.TrackingNo, SignedAt: f.SignedAt, AcceptDueAt: f.AcceptDueAt, AcceptedAt: f.AcceptedAt,
		ValidFrom: f.ValidFrom, ValidTo: f.ValidTo, ClosedAt: f.ClosedAt, Actions: d.Actions, CanAppeal: d.CanAppeal,
		Now: d.Now}
	for _, e := range d.Events {
		if !models.SupBuyerSees(e) {
			continue
		}
		be := BuyerEvent{ID: e.ID, At: e.At, Kind: e.Kind, Party: e.Party, NodeFrom: e.NodeFrom, NodeTo: e.NodeTo,
			Text: e.Text}
		if e.Kind == models.SupEvRuled {
			var det struct{ Ruling models.SupRuling }
			_ = json.Unmarshal([]byte(e.Detail), &det)
			be.Ruling = det.Ruling
		}
		out.Events = append(out.Events, be)
	}
	for _, doc := range d.Documents {
		if models.SupBuyerSeesDoc(doc) {
			out.Documents = append(out.Documents, BuyerDocument{ID: doc.ID, EventRef: doc.EventRef, Kind: doc.Kind, Party: doc.Party,
				FileName: doc.FileName, ContentType: doc.ContentType, Size: doc.Size, CreatedAt: doc.CreatedAt})
		}
	}
	if t := d.Template; t != nil {
		out.Template = &BuyerDocument{ID: t.ID, Kind: t.Kind, Party: t.Party, FileName: t.FileName,
			ContentType: t.ContentType, Size: t.Size, CreatedAt: t.CreatedAt}
	}
	for _, a := range d.Appeals {
		out.Appeals = append(out.Appeals, BuyerAppeal{ID: a.ID, Party: a.Party, Reason: a.Reason, Outcome: a.Outcome,
			State: a.State, FiledAt: a.FiledAt, Ruling: a.Ruling, RulingReason: a.RulingReason, RuledAt: a.RuledAt})
	}
	return out, nil
}
