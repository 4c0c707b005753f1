package supervision

import (
	"encoding/json"
	"time"

	"gorm.io/gorm"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/audit"
	"github.com/sellercenter/sellercenter/models/bizclock"
	"github.com/sellercenter/sellercenter/models/filestore"
	"github.com/sellercenter/sellercenter/models/notify"
)

// who is the party acting and, for people, the actor.
type who struct {
	party models.SupParty
	actor models.Actor
}

func (w who) name() string { return w.actor.Email }

// step is one node action on a flow read inside the transaction: what it
// changes besides the node, the event it records and the documents that
// event carries.
type step struct {
	action  models.SupAction
	kind    string // event kind
	text    string
	detail  map[string]any
	docKind string
	files   []filestore.Stored
	change  func(f *models.SupFlow) // field changes besides the node
}

// evNotFoundOrState is the refusal of an action the table does not allow
// at the flow's node (or for its variant).
func refused(f *models.SupFlow) error {
	return conflict(models.M("supervision.err.node." + string(f.Node)))
}

// apply runs one node action on a flow read in tx: refused while an appeal
// is open (except a ruling, which opens the freeze itself), refused when the
// table, the party or the variant does not allow it; otherwise the node
// moves, the timers settle, the event and its documents are recorded, and a
// flow reaching done or closed ends its line through the core. It returns
// the recorded event's id.
func (s *Service) apply(tx *gorm.DB, f *models.SupFlow, w who, st step, now time.Time) (int64, error) {
	if f.Appeal == models.SupAppealOpen && w.party != models.SupPartyOps {
		return 0, appealOpen()
	}
	to, err := models.SupTransition(f.Node, st.action)
	if err != nil || !models.SupVariantAllows(f.Variant, st.action) || !partyMay(w.party, st.action) {
		return 0, refused(f)
	}
	from, fromAppeal := f.Node, f.Appeal
	f.Node = to
	if to != from {
		f.NodeEnteredAt = now
	}
	if st.change != nil {
		st.change(f)
	}
	switch to {
	case models.SupDone:
		f.AcceptedAt = &now
	case models.SupClosed:
		f.ClosedAt = &now
	}
	timers := settle(f, now)
	f.UpdatedAt = now
	if err := save(tx, f, from, fromAppeal); err != nil {
		return 0, err
	}
	evID, err := s.event(tx, f, w, st.kind, from, to, st.text, st.detail, now)
	if err != nil {
		return 0, err
	}
	if err := recordDocs(tx, f, evID, st.docKind, w.party, st.files, now); err != nil {
		return 0, err
	}
	switch {
	case to == models.SupDone && from != models.SupDone:
		if err := s.complete(tx, f, w, now); err != nil {
			return 0, err
		}
	case to == models.SupClosed && from != models.SupClosed:
		if err := s.unsubscribe(tx, f); err != nil {
			return 0, err
		}
	}
	if err := audit.Write(tx, now, w.actor, audit.Event{Action: models.AuditSupAction, MerchantID: f.MerchantID,
		TargetType: "supervision", TargetID: f.ID, Detail: map[string]any{"action": st.action, "from": from, "to": to,
			"party": w.party}}); err != nil {
		return 0, err
	}
	return evID, s.ScheduleTx(tx, timers)
}

func partyMay(p models.SupParty, a models.SupAction) bool {
	for _, x := range models.SupActionBy(a) {
		if x == p {
			return true
		}
	}
	return false
}

// save writes the flow from the node and appeal it was read in; a change
// in between is a conflict, not a lost update.
func save(tx *gorm.DB, f *models.SupFlow, node models.SupNode, appeal models.SupAppeal) error {
	res := tx.Model(&models.SupFlow{}).Where("id = ? AND node = ? AND appeal = ?", f.ID, node, appeal).
		Select("*").Omit("id", "created_at").Updates(f)
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected != 1 {
		return conflict(models.M("supervision.err.changed"))
	}
	return nil
}

// event appends one line of the timeline.
func (s *Service) event(tx *gorm.DB, f *models.SupFlow, w who, kind string, from, to models.SupNode, text string,
	detail map[string]any, now time.Time) (int64, error) {
	b := []byte("{}")
	if len(detail) > 0 {
		var err error
		if b, err = json.Marshal(detail); err != nil {
			return 0, err
		}
	}
	ev := models.SupEvent{FlowRef: f.ID, At: now, Kind: kind, Party: w.party, Actor: w.name(), NodeFrom: from,
		NodeTo: to, Text: text, Detail: string(b)}
	if w.actor.UserID != 0 {
		id := w.actor.UserID
		ev.ActorUserID = &id
	}
	if err := tx.Create(&ev).Error; err != nil {
		return 0, err
	}
	return ev.ID, nil
}

// complete ends the line (completed; the order completes with its last
// line), moves the validity to start at acceptance when no actual start was
// given (and tells the merchant's endpoint through the core), and tells
// the merchant the buyer accepted (用户已确认验收服务, 101).
func (s *Service) complete(tx *gorm.DB, f *models.SupFlow, w who, now time.Time) error {
	core, err := s.coreOrErr()
	if err != nil {
		return err
	}
	if err := core.MoveLineTx(tx, f.LineRef, models.LineCompleted, ""); err != nil {
		return err
	}
	if f.ServiceStartAt == nil {
		var l models.OrderLine
		if err := tx.Select("id", "ordered_at", "expire_at", "period_type", "period_number").Take(&l, f.LineRef).Error; err != nil {
			return err
		}
		if from, to, ok := models.SupShiftedValidity(l.OrderedAt, l.ExpireAt, l.PeriodType, l.PeriodNumber, now,
			bizclock.Shanghai); ok {
			if err := tx.Model(&models.OrderLine{}).Where("id = ?", l.ID).Updates(map[string]any{"expire_at": to,
				"updated_at": now}).Error; err != nil {
				return err
			}
			if err := tx.Model(&models.SupFlow{}).Where("id = ?", f.ID).Updates(map[string]any{"valid_from": from,
				"valid_to": to}).Error; err != nil {
				return err
			}
			f.ValidFrom, f.ValidTo = &from, &to
			if _, err := s.event(tx, f, who{party: models.SupPartySystem, actor: system}, models.SupEvValidity, f.Node,
				f.Node, "", map[string]any{"from": from, "to": to, "was": l.ExpireAt}, now); err != nil {
				return err
			}
			if err := core.RefreshExpiryTx(tx, f.LineRef); err != nil {
				return err
			}
		}
	} else {
		if err := tx.Model(&models.SupFlow{}).Where("id = ?", f.ID).Update("valid_from", *f.ServiceStartAt).Error; err != nil {
			return err
		}
	}
	code, err := s.orderCode(tx, f)
	if err != nil {
		return err
	}
	return notify.Write(tx, now, f.MerchantID, models.NotifyProvisioning, models.M("supervision.notify.accepted",
		"Order", code, "By", string(w.party)), link(f.ID))
}

// unsubscribe ends the line (unsubscribed) and has the core release its
// instance: the call is queued, never made inside the transaction.
func (s *Service) unsubscribe(tx *gorm.DB, f *models.SupFlow) error {
	core, err := s.coreOrErr()
	if err != nil {
		return err
	}
	if err := core.MoveLineTx(tx, f.LineRef, models.LineUnsubscribed, "supervision"); err != nil {
		return err
	}
	return core.ReleaseLineTx(tx, f.LineRef)
}

func (s *Service) orderCode(tx *gorm.DB, f *models.SupFlow) (string, error) {
	var code string
	err := tx.Model(&models.OrderLine{}).Select("order_code").Where("id = ?", f.LineRef).Scan(&code).Error
	return code, err
}

// system is who the timers act as.
var system = models.SystemActor(sysName)

// loadFlow reads a flow inside tx, scoped by where ("" for none).
func loadFlow(tx *gorm.DB, id int64, scope func(*gorm.DB) *gorm.DB) (*models.SupFlow, error) {
	var f models.SupFlow
	q := tx.Where("id = ?", id)
	if scope != nil {
		q = scope(q)
	}
	if err := q.Take(&f).Error; err != nil {
		return nil, notFound(err)
	}
	return &f, nil
}
