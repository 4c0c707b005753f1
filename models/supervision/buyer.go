package supervision

import (
	"context"
	"errors"
	"strings"

	"gorm.io/gorm"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/filestore"
)

// Buyer events the marketplace forwards.
const (
	EvSubmitRequirements = "submit_requirements"
	EvAccept             = "accept"
	EvReject             = "reject"
	EvAppeal             = "appeal"
	EvParcelSigned       = "parcel_signed"
)

// BuyerEvents lists them.
var BuyerEvents = []string{EvSubmitRequirements, EvAccept, EvReject, EvAppeal, EvParcelSigned}

// EventTakesDocuments says whether a buyer event may carry documents: an
// appeal's evidence, or what its node action takes (SupAction.TakesFiles).
func EventTakesDocuments(event string) bool {
	return event == EvAppeal || eventAction[event].TakesFiles()
}

// eventAction is the node action each buyer event performs.
var eventAction = map[string]models.SupAction{EvSubmitRequirements: models.SupSubmit, EvAccept: models.SupAccept,
	EvReject: models.SupRejectDeliv, EvParcelSigned: models.SupParcelSigned}

// BuyerResult is what a buyer event left: the flow as it is after it.
type BuyerResult struct {
	FlowID  int64            `json:"-"`
	EventID string           `json:"eventId"`
	Event   string           `json:"event"`
	Node    models.SupNode   `json:"node"`
	Appeal  models.SupAppeal `json:"appeal"`
}

// BuyerEvent applies a buyer's action forwarded by the marketplace to the
// flow of order line lineRef (its orderLineId). The same eventId again
// returns the flow as it is, created false, and does nothing; the same
// eventId with another event is a conflict. Unknown line: not found; an
// event the node does not allow, or any while an appeal is open: conflict
// (IsAppealOpen tells the latter).
func (s *Service) BuyerEvent(ctx context.Context, lineRef, eventID, event, text string, files []Upload) (res BuyerResult, created bool, err error) {
	text = strings.TrimSpace(text)
	v := &models.ValidationError{}
	v.ID("eventId", eventID, true)
	if !validEvent(event) {
		v.Add("event", models.M("err.enum", "Values", strings.Join(BuyerEvents, ", ")))
	}
	v.Text("text", text, models.SupTextMax, false, true)
	if len(files) > 0 && validEvent(event) && !EventTakesDocuments(event) {
		v.Add("documents", models.M("supervision.err.no_documents"))
	}
	if v.Err() != nil {
		return res, false, v
	}
	if !models.IsID(lineRef) {
		return res, false, models.ErrNotFound
	}
	err = s.withFiles(files, func(stored []filestore.Stored) error {
		return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
			var f models.SupFlow
			if err := tx.Where("line_ref = (SELECT id FROM order_lines WHERE order_line_id = ?)", lineRef).
				Take(&f).Error; err != nil {
				return notFound(err)
			}
			var seen struct{ Event string }
			err := tx.Table("supervision_buyer_events").Select("event").Where("flow_ref = ? AND event_id = ?", f.ID, eventID).
				Take(&seen).Error
			switch {
			case err == nil && seen.Event == event:
				res = BuyerResult{FlowID: f.ID, EventID: eventID, Event: event, Node: f.Node, Appeal: f.Appeal}
				return errRepeat
			case err == nil:
				return conflict(models.M("supervision.err.event_id_reused"))
			case !errors.Is(err, gorm.ErrRecordNotFound):
				return err
			}
			// The contract answers an event the flow does not allow now
			// (409) before what its text lacks (422).
			if err := buyerMay(&f, event); err != nil {
				return err
			}
			if event == EvReject || event == EvAppeal {
				rv := &models.ValidationError{}
				if reason(rv, "text", text); rv.Err() != nil {
					return rv
				}
			}
			evRef, err := s.buyerAct(tx, &f, who{party: models.SupPartyBuyer, actor: models.Actor{Email: marketplace}},
				event, text, stored)
			if err != nil {
				return err
			}
			if err := tx.Exec(`INSERT INTO supervision_buyer_events (flow_ref, event_id, event, event_ref, created_at)
				VALUES (?, ?, ?, ?, ?)`, f.ID, eventID, event, evRef, s.now()).Error; err != nil {
				return err
			}
			res = BuyerResult{FlowID: f.ID, EventID: eventID, Event: event, Node: f.Node, Appeal: f.Appeal}
			created = true
			return nil
		})
	})
	if errors.Is(err, errRepeat) {
		// The repeat stored no file; its uploads were removed with the error.
		return res, false, nil
	}
	// The marketplace's events call their files documents.
	return res, created, renameField(err, "files", "documents")
}

// buyerMay refuses an event the flow does not allow now: any while an
// appeal is open, an appeal where none may be filed, a node action the
// transition table, the variant or the party does not allow.
func buyerMay(f *models.SupFlow, event string) error {
	if f.Appeal == models.SupAppealOpen {
		return appealOpen()
	}
	if event == EvAppeal {
		if !models.SupCanAppeal(f.Node, f.Appeal, models.SupPartyBuyer) {
			return refused(f)
		}
		return nil
	}
	a := eventAction[event]
	if _, err := models.SupTransition(f.Node, a); err != nil || !models.SupVariantAllows(f.Variant, a) ||
		!partyMay(models.SupPartyBuyer, a) {
		return refused(f)
	}
	return nil
}

// errRepeat ends a repeated event's transaction without a change.
var errRepeat = errors.New("supervision: repeated event")

func validEvent(e string) bool {
	for _, x := range BuyerEvents {
		if x == e {
			return true
		}
	}
	return false
}

// BuyerAct is a buyer's action from the buyer pages on its own flow.
func (s *Service) BuyerAct(ctx context.Context, actor models.Actor, id int64, event, text string, files []Upload) error {
	text = strings.TrimSpace(text)
	v := &models.ValidationError{}
	if !validEvent(event) || event == EvAppeal {
		v.Add("event", models.M("err.filter_value"))
	}
	v.Text("text", text, models.SupTextMax, false, true)
	if event == EvReject {
		reason(v, "text", text)
	}
	if v.Err() != nil {
		return v
	}
	return s.withFiles(files, func(stored []filestore.Stored) error {
		return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
			sc, err := s.scopeOf(tx, actor)
			if err != nil {
				return err
			}
			if sc.party != models.SupPartyBuyer {
				return models.ErrForbidden
			}
			f, err := loadFlow(tx, id, sc.where(""))
			if err != nil {
				return err
			}
			_, err = s.buyerAct(tx, f, who{models.SupPartyBuyer, actor}, event, text, stored)
			return err
		})
	})
}

// buyerAct maps a buyer event to its node action (or an appeal) and runs it.
func (s *Service) buyerAct(tx *gorm.DB, f *models.SupFlow, w who, event, text string, files []filestore.Stored) (int64, error) {
	now := s.now()
	var st step
	switch event {
	case EvSubmitRequirements:
		st = step{action: models.SupSubmit, kind: models.SupEvSubmitted, text: text, docKind: models.SupDocRequirements,
			files: files, change: func(f *models.SupFlow) { f.Requirements = text }}
	case EvAccept:
		st = step{action: models.SupAccept, kind: models.SupEvAccepted, text: text}
	case EvReject:
		st = step{action: models.SupRejectDeliv, kind: models.SupEvRefused, text: text,
			change: func(f *models.SupFlow) { f.RejectCount++ }}
	case EvParcelSigned:
		st = s.signedStep(nil, false, now, &models.ValidationError{})
	case EvAppeal:
		_, evID, err := s.fileAppeal(tx, f, w, AppealInput{Reason: text, Outcome: models.SupOutcomeOther}, files)
		return evID, err
	}
	if len(files) > 0 && st.docKind == "" {
		st.docKind = models.SupDocEvidence
	}
	st.files = files
	return s.apply(tx, f, w, st, now)
}
