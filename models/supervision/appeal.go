package supervision

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"gorm.io/gorm"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/audit"
	"github.com/sellercenter/sellercenter/models/filestore"
	"github.com/sellercenter/sellercenter/models/notify"
)

// AppealInput is 发起申诉: the reason, the outcome asked for, evidence.
type AppealInput struct {
	Reason  string
	Outcome string // models.SupOutcomes
	Files   []Upload
}

func (in *AppealInput) validate() *models.ValidationError {
	in.Reason = strings.TrimSpace(in.Reason)
	v := &models.ValidationError{}
	reason(v, "reason", in.Reason)
	if in.Outcome == "" {
		in.Outcome = models.SupOutcomeOther
	}
	if !slices.Contains(models.SupOutcomes, in.Outcome) {
		v.Add("outcome", models.M("err.enum", "Values", strings.Join(models.SupOutcomes, ", ")))
	}
	if v.Err() != nil {
		return v
	}
	return nil
}

// Appeal files an appeal on one of the actor's flows (a merchant user with
// the right to appeal, or a buyer on its own flow).
func (s *Service) Appeal(ctx context.Context, actor models.Actor, id int64, in AppealInput) (*models.SupAppealRow, error) {
	if v := in.validate(); v != nil {
		return nil, v
	}
	var a *models.SupAppealRow
	err := s.withFiles(in.Files, func(files []filestore.Stored) error {
		return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
			sc, err := s.scopeOf(tx, actor)
			if err != nil {
				return err
			}
			if sc.party == models.SupPartyOps || !sc.appeal {
				return models.ErrForbidden
			}
			f, err := loadFlow(tx, id, sc.where(""))
			if err != nil {
				return err
			}
			a, _, err = s.fileAppeal(tx, f, who{sc.party, actor}, in, files)
			return err
		})
	})
	return a, err
}

// fileAppeal opens the appeal: the flow freezes and every running timer
// pauses with its remaining time; operations has 3 working days.
func (s *Service) fileAppeal(tx *gorm.DB, f *models.SupFlow, w who, in AppealInput, files []filestore.Stored) (*models.SupAppealRow, int64, error) {
	if f.Appeal == models.SupAppealOpen {
		return nil, 0, appealOpen()
	}
	if !models.SupCanAppeal(f.Node, f.Appeal, w.party) {
		return nil, 0, refused(f)
	}
	hs, err := s.holidaySet(tx.Statement.Context)
	if err != nil {
		return nil, 0, err
	}
	now := s.now()
	warn, due := rulingWindow(now, hs)
	fromAppeal := f.Appeal
	to, err := models.SupAppealTransition(f.Appeal, models.SupAppealFile)
	if err != nil {
		return nil, 0, refused(f)
	}
	f.Appeal, f.PausedAt, f.UpdatedAt = to, &now, now
	settle(f, now)
	evID, err := s.event(tx, f, w, models.SupEvAppealed, f.Node, f.Node, in.Reason, map[string]any{"outcome": in.Outcome,
		"due_at": due}, now)
	if err != nil {
		return nil, 0, err
	}
	a := &models.SupAppealRow{FlowRef: f.ID, MerchantID: f.MerchantID, Party: w.party, FiledBy: w.name(), Node: f.Node,
		Reason: in.Reason, Outcome: in.Outcome, EventRef: &evID, State: models.SupAppealOpen, FiledAt: now, DueAt: due,
		WarnAt: warn}
	if w.actor.UserID != 0 {
		uid := w.actor.UserID
		a.FiledByUserID = &uid
	}
	if err := tx.Create(a).Error; err != nil {
		return nil, 0, err
	}
	f.AppealRef = &a.ID
	if err := save(tx, f, f.Node, fromAppeal); err != nil {
		return nil, 0, err
	}
	if err := recordDocs(tx, f, evID, models.SupDocEvidence, w.party, files, now); err != nil {
		return nil, 0, err
	}
	if w.party == models.SupPartyBuyer {
		code, err := s.orderCode(tx, f)
		if err != nil {
			return nil, 0, err
		}
		if err := notify.Write(tx, now, f.MerchantID, models.NotifyOps, models.M("supervision.notify.appealed",
			"Order", code), link(f.ID)); err != nil {
			return nil, 0, err
		}
	}
	// Every appeal waits on the platform's ruling: operations hear of it.
	code, err := s.orderCode(tx, f)
	if err != nil {
		return nil, 0, err
	}
	if err := notify.WritePlatform(tx, now, f.MerchantID, models.NotifyOps, models.M("ops.notify.appeal_filed",
		"Order", code, "Party", models.M("supervision.party."+string(w.party))), fmt.Sprintf("/appeals/%d", a.ID)); err != nil {
		return nil, 0, err
	}
	if err := audit.Write(tx, now, w.actor, audit.Event{Action: models.AuditSupAppealed, MerchantID: f.MerchantID,
		TargetType: "supervision_appeal", TargetID: a.ID, Detail: map[string]any{"flow": f.ID, "party": w.party,
			"outcome": in.Outcome}}); err != nil {
		return nil, 0, err
	}
	return a, evID, s.ScheduleTx(tx, []Timer{{ID: a.ID, Kind: TimerAppealWarn, At: warn}, {ID: a.ID, Kind: TimerAppealDue, At: due}})
}

// Rule is an operations manager's ruling on an open appeal, with a written
// reason: dismiss (the flow resumes at its node, timers with exactly what
// they had left), accept (forced acceptance → done), return (back to
// delivery), unsubscribe (closed; the line unsubscribed and its instance
// released through the core). Both parties are told (501); audited.
func (s *Service) Rule(ctx context.Context, actor models.Actor, appealID int64, ruling models.SupRuling, why string) error {
	if !actor.IsPlatform() || !actor.Can(models.PermAdminAppeals) {
		return models.ErrForbidden
	}
	why = strings.TrimSpace(why)
	v := &models.ValidationError{}
	if !slices.Contains(models.SupRulings, ruling) {
		v.Add("ruling", models.M("err.enum", "Values", "dismiss, accept, return, unsubscribe"))
	}
	reason(v, "reason", why)
	if v.Err() != nil {
		return v
	}
	now := s.now()
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var a models.SupAppealRow
		if err := tx.Take(&a, appealID).Error; err != nil {
			return notFound(err)
		}
		if _, err := models.SupAppealTransition(a.State, models.SupAppealRule); err != nil || a.State != models.SupAppealOpen {
			return conflict(models.M("supervision.err.appeal_ruled"))
		}
		f, err := loadFlow(tx, a.FlowRef, nil)
		if err != nil {
			return err
		}
		res := tx.Model(&models.SupAppealRow{}).Where("id = ? AND state = ?", a.ID, models.SupAppealOpen).Updates(map[string]any{
			"state": models.SupAppealRuled, "ruling": ruling, "ruling_reason": why, "ruled_by": actor.Email,
			"ruled_by_user_id": actor.UserID, "ruled_at": now})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected != 1 {
			return conflict(models.M("supervision.err.appeal_ruled"))
		}
		// The freeze ends first, so the ruling's own move runs on a live flow.
		fromAppeal := f.Appeal
		f.Appeal, f.PausedAt, f.UpdatedAt = models.SupAppealRuled, nil, now
		w := who{models.SupPartyOps, actor}
		var st *step
		switch ruling {
		case models.SupRuleAccept:
			st = &step{action: models.SupForceAccept, kind: models.SupEvAccepted, text: why}
		case models.SupRuleReturn:
			st = &step{action: models.SupReturn, kind: models.SupEvReturned, text: why}
		case models.SupRuleUnsubscribe:
			st = &step{action: models.SupUnsubscribe, kind: models.SupEvUnsubscribed, text: why}
		}
		timers := settle(f, now)
		if err := save(tx, f, f.Node, fromAppeal); err != nil {
			return err
		}
		if err := s.ScheduleTx(tx, timers); err != nil {
			return err
		}
		if _, err := s.event(tx, f, w, models.SupEvRuled, f.Node, f.Node, why, map[string]any{"ruling": ruling,
			"appeal": a.ID}, now); err != nil {
			return err
		}
		if st != nil {
			if _, err := s.apply(tx, f, w, *st, now); err != nil {
				return err
			}
		}
		code, err := s.orderCode(tx, f)
		if err != nil {
			return err
		}
		if err := notify.Write(tx, now, f.MerchantID, models.NotifyOps, models.M("supervision.notify.ruled",
			"Order", code, "Ruling", string(ruling)), link(f.ID)); err != nil {
			return err
		}
		return audit.Write(tx, now, actor, audit.Event{Action: models.AuditSupRuled, MerchantID: f.MerchantID,
			TargetType: "supervision_appeal", TargetID: a.ID, Detail: map[string]any{"flow": f.ID, "ruling": ruling,
				"reason": why}})
	})
}
