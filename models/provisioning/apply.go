package provisioning

import (
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/notify"
	"github.com/sellercenter/sellercenter/models/vault"
	"github.com/sellercenter/sellercenter/web/koogallery"
)

const appInfoPurpose = vault.PurposeAppInfo

// applied says how the attempt's log row must read after apply decided.
type applied struct {
	nextRetry *time.Time
	outcome   string // overrides the protocol's verdict when set
	errClass  string
	errDetail string
}

// Error classes of answers the protocol accepts but the core cannot use.
const (
	ClassDecrypt           = "decrypt"            // appInfo credentials do not decrypt with the key
	ClassDuplicateInstance = "duplicate_instance" // the instanceId already belongs to another line
	ClassNotReady          = "not_ready"          // queryInstance has no appInfo yet
)

func (s *Service) apply(tx *gorm.DB, cc *callCtx, msg *models.InterfaceMessage, out *koogallery.Outcome, cfgErr error, now time.Time) (applied, error) {
	c := cc.call
	isCreate := c.Activity == models.ActNewInstance
	polling := c.State == models.CallPolling
	ok := cfgErr == nil && out.OK()

	// V2 create answers only an instanceId (000000) or "processing" (000004):
	// the credentials come from queryInstance, polled until they are ready.
	if cfgErr == nil && isCreate && !polling && cc.version == koogallery.V2 {
		if resp := out.NewInstance(); resp != nil && resp.InstanceID != "" && (ok || out.ResultCode == koogallery.ResultProcessing) {
			cc.params.InstanceID = resp.InstanceID
			at := now
			if !ok {
				at = now.Add(s.cfg.PollInterval)
			}
			if err := s.moveCall(tx, cc, models.CallPolling, &at, "", nil); err != nil {
				return applied{}, err
			}
			return applied{outcome: models.OutcomeOK, errClass: "-"}, nil
		}
	}
	// "Still processing" while polling is the expected answer, not a failure.
	if polling && cfgErr == nil && out.ResultCode == koogallery.ResultProcessing {
		f, err := s.applyFailure(tx, cc, msg, ClassNotReady, now)
		f.outcome, f.errClass = models.OutcomeOK, "-"
		return f, err
	}
	if ok {
		res, err := s.applySuccess(tx, cc, out, now)
		if err != nil || res.outcome == models.OutcomeError {
			if err != nil {
				return applied{}, err
			}
			// The answer was valid protocol but unusable: a failure like any other.
			f, ferr := s.applyFailure(tx, cc, msg, res.errClass, now)
			f.outcome, f.errClass, f.errDetail = models.OutcomeError, res.errClass, res.errDetail
			return f, ferr
		}
		return res, nil
	}
	class := string(ClassConfig)
	if cfgErr == nil {
		class = string(out.Class)
	}
	return s.applyFailure(tx, cc, msg, class, now)
}

func (s *Service) applySuccess(tx *gorm.DB, cc *callCtx, out *koogallery.Outcome, now time.Time) (applied, error) {
	c := cc.call
	r := s.run(tx)
	switch c.Activity {
	case models.ActNewInstance:
		if cc.created == nil { // finishAttempt prepares it before the transaction
			return applied{}, errors.New("provisioning: create answer not prepared")
		}
		if ci := cc.created; ci.errClass != "" {
			return applied{outcome: models.OutcomeError, errClass: ci.errClass, errDetail: ci.errDetail}, nil
		}
		return s.createInstance(tx, cc, now)
	case models.ActRefreshInstance:
		if cc.instance != nil {
			set, args := "updated_at = ?", []any{now}
			if cc.line != nil && cc.line.ExpireAt != nil {
				set, args = set+", expire_at = ?", append(args, *cc.line.ExpireAt)
			}
			if _, err := r.exec("UPDATE instances SET "+set+" WHERE id = ?", append(args, cc.instance.ID)...); err != nil {
				return applied{}, err
			}
			// A renewal of a frozen (expired) instance brings it back, through
			// the table from the status it has now (the read was before the
			// transaction).
			if cc.instance.Status == models.InstanceFrozen && cc.params.Scene != "UNSUBSCRIBE_RENEWAL_PERIOD" {
				if err := s.moveInstance(r, cc.instance, models.InstanceNormal, now); err != nil {
					return applied{}, err
				}
			}
		}
	case models.ActExpireInstance, models.ActUpdateStatus:
		to := models.InstanceFrozen
		if cc.params.Status == koogallery.StatusUnfreeze {
			to = models.InstanceNormal
		}
		if err := s.moveInstance(r, cc.instance, to, now); err != nil {
			return applied{}, err
		}
	case models.ActReleaseInstance:
		if err := s.moveInstance(r, cc.instance, models.InstanceReleased, now); err != nil {
			return applied{}, err
		}
		if cc.instance != nil {
			creating := models.OrderLine{ID: cc.instance.CreatingLineRef}
			if err := r.row(`SELECT order_ref, product_ref, status FROM order_lines WHERE id = ?`, []any{creating.ID},
				&creating.OrderRef, &creating.ProductRef, &creating.Status); err != nil {
				return applied{}, err
			}
			if creating.Status != models.LineUnsubscribed {
				if err := s.moveLine(r, cc, &creating, models.LineUnsubscribed, "released", now, nil); err != nil {
					return applied{}, err
				}
			}
		}
	case models.ActUpgrade:
		if cc.instance != nil && cc.line != nil {
			if _, err := r.exec(`UPDATE instances SET product_id = ?, updated_at = ? WHERE id = ?`,
				cc.line.ProductRef, now, cc.instance.ID); err != nil {
				return applied{}, err
			}
		}
	}
	if cc.line != nil {
		if err := s.moveLine(r, cc, cc.line, models.LineCompleted, "", now, nil); err != nil {
			return applied{}, err
		}
		if s.refunds != nil {
			if err := s.refunds.LineRefunded(tx, cc.line, now); err != nil {
				return applied{}, err
			}
		}
	}
	return applied{}, s.succeed(tx, cc, nil)
}

// createdInstance is what a successful create answered: the instance id and
// its credentials sealed for storage, or why the answer cannot be used.
type createdInstance struct {
	id        string
	sealed    string
	errClass  string
	errDetail string
}

// prepareInstance reads the instance out of a create's successful answer and
// seals its credentials, which needs no database: done before the record's
// transaction, it does not hold the write lock. nil for any other answer.
func (s *Service) prepareInstance(cc *callCtx, out *koogallery.Outcome) *createdInstance {
	polling := cc.call.State == models.CallPolling
	if cc.call.Activity != models.ActNewInstance || out == nil || !out.OK() || (cc.version == koogallery.V2 && !polling) {
		return nil
	}
	var id string
	var info *koogallery.AppInfo
	enc := koogallery.EncryptType("")
	if polling {
		if q := out.QueryInstance(); q != nil {
			enc = q.EncryptType
			for _, it := range q.Info {
				if it.InstanceID == cc.params.InstanceID && it.AppInfo != nil && it.AppInfo.FrontEndURL != "" {
					id, info = it.InstanceID, it.AppInfo
				}
			}
		}
		if id == "" {
			return &createdInstance{errClass: ClassNotReady}
		}
	} else if r := out.NewInstance(); r != nil {
		id, info, enc = r.InstanceID, r.AppInfo, r.EncryptType
	}
	plain := models.AppInfo{}
	if info != nil {
		plain = models.AppInfo{FrontEndURL: info.FrontEndURL, AdminURL: info.AdminURL, Memo: info.Memo}
		for _, f := range []struct {
			in  string
			out *string
		}{{info.UserName, &plain.UserName}, {info.Password, &plain.Password}} {
			if f.in == "" {
				continue
			}
			v, derr := s.decryptCredential(cc, f.in, enc)
			if derr != nil {
				return &createdInstance{errClass: ClassDecrypt, errDetail: derr.Error()}
			}
			*f.out = v
		}
	}
	b, _ := json.Marshal(plain)
	return &createdInstance{id: id, sealed: s.vault.Seal(b, appInfoPurpose)}
}

// createInstance records the merchant's instance for the line. The line may
// own one instance only (a unique column), so a repeated success — after a
// crash, a restart or a duplicate delivery — finds the first and stops.
func (s *Service) createInstance(tx *gorm.DB, cc *callCtx, now time.Time) (applied, error) {
	c, ci, r := cc.call, cc.created, s.run(tx)
	instRef, err := r.insert(`INSERT INTO instances (merchant_id, instance_id, product_id, status, expire_at, app_info_enc,
		creating_line_ref, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
		c.MerchantID, ci.id, cc.line.ProductRef, models.InstanceNormal, cc.line.ExpireAt, ci.sealed, cc.line.ID, now, now)
	if err != nil {
		return applied{}, err
	}
	if instRef == 0 {
		// Either the instance id belongs to another line, or this line has its instance already.
		var otherLine int64
		err := r.row(`SELECT creating_line_ref FROM instances WHERE merchant_id = ? AND instance_id = ? AND creating_line_ref <> ?`,
			[]any{c.MerchantID, ci.id, cc.line.ID}, &otherLine)
		if err == nil {
			return applied{outcome: models.OutcomeError, errClass: ClassDuplicateInstance,
				errDetail: fmt.Sprintf("instanceId %s already belongs to order line %d", ci.id, otherLine)}, nil
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return applied{}, err
		}
		if err := r.row(`SELECT id FROM instances WHERE creating_line_ref = ?`, []any{cc.line.ID}, &instRef); err != nil {
			return applied{}, err
		}
	}
	// Whether the line is supervised was decided when it arrived (its own
	// supervision status): a later change of the product's flag is for the
	// lines received after it.
	to := models.LineCompleted
	if cc.line.Supervision != models.SupervisionNone && cc.line.Supervision != "" {
		to = models.LineSupervising
	}
	if err := s.moveLine(r, cc, cc.line, to, "", now, &instRef); err != nil {
		return applied{}, err
	}
	if to == models.LineSupervising {
		if err := s.supervisionStarted(tx, cc.line.ID); err != nil {
			return applied{}, err
		}
	}
	return applied{}, s.succeed(tx, cc, &instRef)
}

func (s *Service) decryptCredential(cc *callCtx, value string, enc koogallery.EncryptType) (string, error) {
	if enc == "" && cc.endpoint != nil {
		enc = koogallery.EncryptType(fmt.Sprint(cc.endpoint.EncryptType))
	}
	if enc != "" {
		if v, err := koogallery.Decrypt(cc.usedKey, value, enc); err == nil {
			return v, nil
		}
	}
	v, _, err := koogallery.DecryptAuto(cc.usedKey, value)
	return v, err
}

// succeed ends the call (recovered after a restart); instRef, when set, is
// the instance it created.
func (s *Service) succeed(tx *gorm.DB, cc *callCtx, instRef *int64) error {
	return s.moveCall(tx, cc, models.CallSucceeded, nil, "", instRef)
}

// applyFailure schedules the next attempt inside the window, or gives up:
// a create that never succeeds fails its line and unsubscribes the buyer.
func (s *Service) applyFailure(tx *gorm.DB, cc *callCtx, msg *models.InterfaceMessage, class string, now time.Time) (applied, error) {
	c := cc.call
	interval := time.Duration(c.IntervalS) * time.Second
	if c.State == models.CallPolling {
		interval = s.cfg.PollInterval
	}
	planned := now
	if c.NextAt != nil {
		planned = *c.NextAt
	}
	next := planned.Add(interval)
	if next.Before(now) {
		next = now
	}
	typeCode := models.NotifyOps
	if c.Activity == models.ActNewInstance {
		typeCode = models.NotifyProvisioning
	}
	link := fmt.Sprintf("/interface-messages/%d", c.ID)
	if !next.After(c.DeadlineAt) {
		state := models.CallRetrying
		if c.State == models.CallPolling {
			state = models.CallPolling
		}
		if err := s.moveCall(tx, cc, state, &next, class, nil); err != nil {
			return applied{}, err
		}
		if class != ClassNotReady {
			if err := notify.Write(tx, now, c.MerchantID, typeCode, models.M("notify.call_failed", "Activity", models.M("ops.activity."+msg.Activity),
				"Order", msg.OrderID, "Attempt", c.Attempts, "Class", models.M("errclass."+class)), link); err != nil {
				return applied{}, err
			}
		}
		return applied{nextRetry: &next}, nil
	}
	if err := s.moveCall(tx, cc, models.CallFailed, nil, class, nil); err != nil {
		return applied{}, err
	}
	if c.Activity == models.ActNewInstance && cc.line != nil && cc.line.Status == models.LineProcessing {
		if err := s.moveLine(s.run(tx), cc, cc.line, models.LineProvisioningFailed, "auto_unsubscribed", now, nil); err != nil {
			return applied{}, err
		}
		// The line is closed: 重新启动 is refused from now on (Call.Restartable).
		if _, err := s.run(tx).exec(`UPDATE calls SET closed_at = ? WHERE id = ?`, now, c.ID); err != nil {
			return applied{}, err
		}
		return applied{}, notify.Write(tx, now, c.MerchantID, typeCode, models.M("notify.auto_unsubscribed",
			"Order", msg.OrderID, "Attempts", c.Attempts), link)
	}
	return applied{}, notify.Write(tx, now, c.MerchantID, typeCode, models.M("notify.call_exhausted",
		"Activity", models.M("ops.activity."+msg.Activity), "Order", msg.OrderID, "Instance", msg.InstanceID, "Attempts", c.Attempts), link)
}

// moveCall changes the call's state through the transition table. The
// update only applies from the state the attempt started in; if a person
// restarted the call meanwhile, the move is checked again from the state
// found (a success of a restarted call is a recovery). instRef, when set, is
// the instance the call created.
func (s *Service) moveCall(tx *gorm.DB, cc *callCtx, to models.CallState, next *time.Time, lastErr string, instRef *int64) error {
	r := s.run(tx)
	b, _ := json.Marshal(cc.params)
	for tries := 0; ; tries++ {
		if to == models.CallSucceeded && cc.call.Restarted {
			to = models.CallRecovered
		}
		if err := models.CallTransition(cc.call.State, to, cc.call.Restarted); err != nil {
			return err
		}
		// The attempt is recorded with this move: none is in flight any more.
		set, args := "state = ?, next_at = ?, params = ?, updated_at = ?, inflight_at = NULL", []any{to, next, string(b), s.now()}
		if lastErr != "" || to == models.CallSucceeded || to == models.CallRecovered {
			set, args = set+", last_error = ?", append(args, lastErr)
		}
		if instRef != nil {
			set, args = set+", instance_ref = ?", append(args, *instRef)
		}
		n, err := r.exec("UPDATE calls SET "+set+" WHERE id = ? AND state = ?", append(args, cc.call.ID, cc.call.State)...)
		if err != nil {
			return err
		}
		if n == 1 {
			break
		}
		if tries > 0 {
			return fmt.Errorf("call %d: state changed under the write lock", cc.call.ID)
		}
		if err := r.row(`SELECT state, restarted FROM calls WHERE id = ?`, []any{cc.call.ID}, &cc.call.State, &cc.call.Restarted); err != nil {
			return err
		}
	}
	cc.call.State = to
	if next != nil {
		return s.schedule(tx, cc.call.ID, *next)
	}
	return nil
}

// moveLine changes a line's status through the transition table (from the
// status the line has now, re-read if the attempt's copy is out of date) and
// keeps its order's summary status in step. instRef, when set, is the
// instance the line created.
func (s *Service) moveLine(r sqlRun, cc *callCtx, l *models.OrderLine, to models.LineStatus, reason string, now time.Time, instRef *int64) error {
	for tries := 0; ; tries++ {
		if err := models.LineTransition(l.Status, to); err != nil {
			return err
		}
		// A line's supervision follows its status only if the line was
		// supervised when it arrived, whatever the product's flag says now.
		set, args := "status = ?, status_reason = ?, supervision = CASE supervision WHEN ? THEN supervision ELSE ? END, updated_at = ?",
			[]any{to, reason, models.SupervisionNone, models.SupervisionOf(true, to), now}
		if instRef != nil {
			set, args = set+", instance_ref = ?", append(args, *instRef)
		}
		n, err := r.exec("UPDATE order_lines SET "+set+" WHERE id = ? AND status = ?", append(args, l.ID, l.Status)...)
		if err != nil {
			return err
		}
		if n == 1 {
			break
		}
		if tries > 0 {
			return fmt.Errorf("order line %d: status changed under the write lock", l.ID)
		}
		if err := r.row(`SELECT status FROM order_lines WHERE id = ?`, []any{l.ID}, &l.Status); err != nil {
			return err
		}
	}
	l.Status = to
	statuses, err := r.strings(`SELECT status FROM order_lines WHERE order_ref = ?`, l.OrderRef)
	if err != nil {
		return err
	}
	lines := make([]models.LineStatus, len(statuses))
	for i, st := range statuses {
		lines[i] = models.LineStatus(st)
	}
	sum := models.OrderStatus(lines)
	_, err = r.exec(`UPDATE orders SET status = ?, updated_at = ? WHERE id = ? AND status <> ?`, sum, now, l.OrderRef, sum)
	return err
}

// moveInstance changes an instance's status through the transition table,
// from the status it has now.
func (s *Service) moveInstance(r sqlRun, inst *models.Instance, to models.InstanceStatus, now time.Time) error {
	if inst == nil {
		return nil
	}
	for tries := 0; ; tries++ {
		if err := models.InstanceTransition(inst.Status, to); err != nil {
			return err
		}
		n, err := r.exec(`UPDATE instances SET status = ?, updated_at = ? WHERE id = ? AND status = ?`, to, now, inst.ID, inst.Status)
		if err != nil {
			return err
		}
		if n == 1 {
			inst.Status = to
			return nil
		}
		if tries > 0 {
			return fmt.Errorf("instance %d: status changed under the write lock", inst.ID)
		}
		if err := r.row(`SELECT status FROM instances WHERE id = ?`, []any{inst.ID}, &inst.Status); err != nil {
			return err
		}
	}
}
