package debugger

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

	"gorm.io/gorm"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/audit"
	"github.com/sellercenter/sellercenter/models/notify"
	"github.com/sellercenter/sellercenter/web/koogallery"
)

// maxStoredText bounds the request and response text a dial run keeps.
const maxStoredText = 16 << 10

// DialReport says what one DialAll did.
type DialReport struct {
	Runs    int
	Failed  int
	Frozen  []string // productIds frozen by this evaluation
	Flagged []string // productIds flagged for delisting
}

// dialSystem is the actor of the dial tests and the rules.
var dialSystem = models.SystemActor("dial")

// DialAll runs every saved case of every on-sale product once, records a
// dial run for each, then evaluates the freeze and delist rules at now.
// Merchants are called in parallel (a few at a time), each merchant's cases
// one after the other, so a slow endpoint delays only its own merchant.
func (s *Service) DialAll(ctx context.Context, now time.Time) (*DialReport, error) {
	now = now.UTC()
	type dialCase struct {
		models.TestCase
		ProductCode string `gorm:"column:product_code"`
	}
	var cases []dialCase
	if err := s.db.WithContext(ctx).Table("test_cases").
		Select("test_cases.*, products.product_id AS product_code").
		Joins("JOIN products ON products.id = test_cases.product_ref").
		Where("products.status = ?", models.ProductOnSale).
		Order("test_cases.merchant_id, test_cases.id").Scan(&cases).Error; err != nil {
		return nil, err
	}
	byMerchant := map[int64][]dialCase{}
	var order []int64
	for _, c := range cases {
		if _, ok := byMerchant[c.MerchantID]; !ok {
			order = append(order, c.MerchantID)
		}
		byMerchant[c.MerchantID] = append(byMerchant[c.MerchantID], c)
	}
	rep := &DialReport{}
	var mu sync.Mutex
	var firstErr error
	sem := make(chan struct{}, 4)
	var wg sync.WaitGroup
	for _, mid := range order {
		wg.Add(1)
		sem <- struct{}{}
		go func(mid int64, cs []dialCase) {
			defer wg.Done()
			defer func() { <-sem }()
			tgt, terr := s.targetFor(ctx, mid)
			for _, c := range cs {
				run := s.dialOne(ctx, tgt, terr, c.TestCase, c.ProductCode, now)
				if ctx.Err() != nil {
					return // shutting down: a cancelled call says nothing about the merchant
				}
				err := s.db.WithContext(ctx).Create(&run).Error
				mu.Lock()
				if err != nil && firstErr == nil {
					firstErr = err
				}
				rep.Runs++
				if run.Outcome != models.DialOK {
					rep.Failed++
				}
				mu.Unlock()
			}
		}(mid, byMerchant[mid])
	}
	wg.Wait()
	if firstErr != nil {
		return rep, firstErr
	}
	if err := ctx.Err(); err != nil {
		return rep, err
	}
	frozen, flagged, err := s.EvaluateRules(ctx, now)
	rep.Frozen, rep.Flagged = frozen, flagged
	return rep, err
}

// dialOne sends one case and describes the run. A case that cannot be sent
// (no endpoint, no key, parameters the protocol refuses) is a failed run:
// the marketplace's dial test would fail the same way.
func (s *Service) dialOne(ctx context.Context, tgt *target, terr error, tc models.TestCase, productCode string, now time.Time) models.DialRun {
	run := models.DialRun{MerchantID: tc.MerchantID, ProductRef: *tc.ProductRef, CaseRef: &tc.ID, CaseName: tc.Name,
		Activity: tc.Activity, At: now, Outcome: models.DialError}
	if terr != nil {
		run.ErrorClass, run.ErrorDetail = "config", truncate(models.MaskSecrets(terr.Error()), 1000)
		return run
	}
	p, msg := parseParams(tc.Params)
	if msg != nil {
		run.ErrorClass, run.ErrorDetail = string(koogallery.ClassInvalidRequest), msg.ID
		return run
	}
	req, err := prepare(tgt.version, koogallery.Activity(tc.Activity), p, productCode, now)
	if err != nil {
		run.ErrorClass, run.ErrorDetail = string(koogallery.ClassInvalidRequest), truncate(models.MaskSecrets(err.Error()), 1000)
		return run
	}
	res := s.call(ctx, tgt, req)
	run.Activity = res.Activity
	run.ResultCode, run.LatencyMS = res.ResultCode, res.LatencyMS
	run.RequestText = truncate(res.Method+" "+res.URL+"\n"+res.RequestText, maxStoredText)
	run.ResponseText = truncate(res.ResponseText, maxStoredText)
	// A V2 create may answer 000004 (processing): the interface works, the
	// marketplace would go on polling.
	if res.OK() || (res.Class == string(koogallery.ClassBusinessCode) && res.ResultCode == string(koogallery.ResultProcessing)) {
		run.Outcome = models.DialOK
		return run
	}
	run.ErrorClass, run.ErrorDetail = res.Class, res.ErrorDetail
	return run
}

// EvaluateRules applies the freeze rule to every on-sale product with dial
// runs, and the delist rule to every product not yet flagged. Each change
// is one transaction with its audit line and the merchant's notification.
func (s *Service) EvaluateRules(ctx context.Context, now time.Time) (frozen, flagged []string, err error) {
	now = now.UTC()
	var onSale []models.ProductDialState
	if err := s.db.WithContext(ctx).Where("status = ? AND id IN (SELECT product_ref FROM dial_runs WHERE at >= ?)",
		models.ProductOnSale, now.Add(-StreakLookback)).Order("id").Find(&onSale).Error; err != nil {
		return nil, nil, err
	}
	points, err := s.dialPoints(ctx, ids(onSale), now)
	if err != nil {
		return nil, nil, err
	}
	for _, p := range onSale {
		if !FreezeDue(points[p.ID], now, p.DialStreakFrom) {
			continue
		}
		ok, err := s.freeze(ctx, p, now)
		if err != nil {
			return frozen, flagged, err
		}
		if ok {
			frozen = append(frozen, p.ProductID)
		}
	}

	var open []models.ProductDialState
	if err := s.db.WithContext(ctx).Where("NOT delist_flagged AND status <> ?", models.ProductDelisted).
		Order("id").Find(&open).Error; err != nil {
		return frozen, flagged, err
	}
	failed, err := s.failedCreates(ctx, ids(open), now)
	if err != nil {
		return frozen, flagged, err
	}
	for _, p := range open {
		if !DelistDue(failed[p.ID], now, p.DelistCountFrom) {
			continue
		}
		ok, err := s.flag(ctx, p, FailedOrdersThisMonth(failed[p.ID], now, p.DelistCountFrom), now)
		if err != nil {
			return frozen, flagged, err
		}
		if ok {
			flagged = append(flagged, p.ProductID)
		}
	}
	return frozen, flagged, nil
}

func ids(ps []models.ProductDialState) []int64 {
	out := make([]int64, len(ps))
	for i, p := range ps {
		out[i] = p.ID
	}
	return out
}

// dialPoints loads the runs the freeze rule looks at, per product.
func (s *Service) dialPoints(ctx context.Context, productIDs []int64, now time.Time) (map[int64][]DialPoint, error) {
	out := map[int64][]DialPoint{}
	if len(productIDs) == 0 {
		return out, nil
	}
	var rows []struct {
		ProductRef int64
		At         time.Time
		Outcome    string
	}
	if err := s.db.WithContext(ctx).Model(&models.DialRun{}).Select("product_ref, at, outcome").
		Where("product_ref IN ? AND at >= ?", productIDs, now.Add(-StreakLookback)).Scan(&rows).Error; err != nil {
		return nil, err
	}
	for _, r := range rows {
		out[r.ProductRef] = append(out[r.ProductRef], DialPoint{At: r.At, OK: r.Outcome == models.DialOK})
	}
	return out, nil
}

// failedCreates loads, per product, the buyer orders of this month whose
// create call ended failed (test calls excluded; a call recovered by 重新启动
// is no longer failed).
func (s *Service) failedCreates(ctx context.Context, productIDs []int64, now time.Time) (map[int64][]FailedCreate, error) {
	out := map[int64][]FailedCreate{}
	if len(productIDs) == 0 {
		return out, nil
	}
	var rows []struct {
		ProductRef int64
		OrderRef   int64
		At         time.Time
	}
	if err := s.db.WithContext(ctx).Table("calls").
		Select("order_lines.product_ref AS product_ref, order_lines.order_ref AS order_ref, calls.first_at AS at").
		Joins("JOIN order_lines ON order_lines.id = calls.order_line_ref").
		Where("calls.activity = ? AND calls.state = ? AND NOT calls.test_flag AND calls.first_at >= ? AND order_lines.product_ref IN ?",
			models.ActNewInstance, models.CallFailed, MonthStart(now).UTC(), productIDs).Scan(&rows).Error; err != nil {
		return nil, err
	}
	for _, r := range rows {
		out[r.ProductRef] = append(out[r.ProductRef], FailedCreate{OrderRef: r.OrderRef, At: r.At})
	}
	return out, nil
}

func (s *Service) freeze(ctx context.Context, p models.ProductDialState, now time.Time) (bool, error) {
	changed := false
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		res := tx.Model(&models.ProductDialState{}).Where("id = ? AND status = ?", p.ID, models.ProductOnSale).
			Updates(map[string]any{"status": models.ProductFrozen, "status_reason": models.ReasonDialFailed, "updated_at": now})
		if res.Error != nil || res.RowsAffected == 0 {
			return res.Error
		}
		changed = true
		if err := audit.Write(tx, now, dialSystem, audit.Event{Action: models.AuditProductFrozen, MerchantID: p.MerchantID,
			TargetType: "product", TargetID: p.ID, Detail: map[string]any{"product_id": p.ProductID, "days": FreezeAfterDays}}); err != nil {
			return err
		}
		return notify.Write(tx, now, p.MerchantID, models.NotifyOps,
			models.M("notify.dial_frozen", "Product", p.ProductID, "Name", p.Name, "Days", FreezeAfterDays), "/debugger")
	})
	return changed, err
}

func (s *Service) flag(ctx context.Context, p models.ProductDialState, count int, now time.Time) (bool, error) {
	changed := false
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		res := tx.Model(&models.ProductDialState{}).Where("id = ? AND NOT delist_flagged", p.ID).
			Updates(map[string]any{"delist_flagged": true, "updated_at": now})
		if res.Error != nil || res.RowsAffected == 0 {
			return res.Error
		}
		changed = true
		if err := audit.Write(tx, now, dialSystem, audit.Event{Action: models.AuditDelistFlagged, MerchantID: p.MerchantID,
			TargetType: "product", TargetID: p.ID, Detail: map[string]any{"product_id": p.ProductID, "failed_orders": count}}); err != nil {
			return err
		}
		return notify.Write(tx, now, p.MerchantID, models.NotifyOps,
			models.M("notify.delist_flagged", "Product", p.ProductID, "Name", p.Name, "Count", count), "/interface-messages?state=failed")
	})
	return changed, err
}

// Unfreeze puts a product frozen by the dial rule back on sale; the rule
// counts failing days again only from now on. Operations managers only.
func (s *Service) Unfreeze(ctx context.Context, actor models.Actor, productID int64) error {
	return s.reverse(ctx, actor, productID, func(p models.ProductDialState, now time.Time) (map[string]any, string, models.Msg, *models.Msg) {
		if p.Status != models.ProductFrozen {
			m := models.M("err.product_not_frozen")
			return nil, "", models.Msg{}, &m
		}
		return map[string]any{"status": models.ProductOnSale, "status_reason": "", "dial_streak_from": now},
			models.AuditProductUnfrozen, models.M("notify.product_unfrozen", "Product", p.ProductID, "Name", p.Name), nil
	})
}

// ClearDelistFlag clears a product's delist flag; failed orders count again
// only from now on. Operations managers only.
func (s *Service) ClearDelistFlag(ctx context.Context, actor models.Actor, productID int64) error {
	return s.reverse(ctx, actor, productID, func(p models.ProductDialState, now time.Time) (map[string]any, string, models.Msg, *models.Msg) {
		if !p.DelistFlagged {
			m := models.M("err.product_not_flagged")
			return nil, "", models.Msg{}, &m
		}
		return map[string]any{"delist_flagged": false, "delist_count_from": now},
			models.AuditDelistCleared, models.M("notify.delist_cleared", "Product", p.ProductID, "Name", p.Name), nil
	})
}

type reversal func(p models.ProductDialState, now time.Time) (upd map[string]any, action string, note models.Msg, refuse *models.Msg)

func (s *Service) reverse(ctx context.Context, actor models.Actor, productID int64, decide reversal) error {
	if !actor.Can(models.PermAdminProducts) {
		return models.ErrForbidden
	}
	now := s.now()
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var p models.ProductDialState
		if err := tx.First(&p, productID).Error; err != nil {
			if errors.Is(err, gorm.ErrRecordNotFound) {
				return models.ErrNotFound
			}
			return err
		}
		upd, action, note, refuse := decide(p, now)
		if refuse != nil {
			return models.FormError(*refuse)
		}
		upd["updated_at"] = now
		if err := tx.Model(&models.ProductDialState{}).Where("id = ?", p.ID).Updates(upd).Error; err != nil {
			return err
		}
		if err := audit.Write(tx, now, actor, audit.Event{Action: action, MerchantID: p.MerchantID, TargetType: "product",
			TargetID: p.ID, Detail: map[string]any{"product_id": p.ProductID, "status_reason": p.StatusReason}}); err != nil {
			return err
		}
		return notify.Write(tx, now, p.MerchantID, models.NotifyOps, note, "/settings/products")
	})
}

// ProductDial is a product with its dial-test state.
type ProductDial struct {
	models.ProductDialState
	MerchantName string
	FailingDays  int // current streak of failing days
	FailedOrders int // orders whose create failed this month
	Runs         []models.DialRun
}

// RunsShown is how many recent runs a product row shows.
const RunsShown = 6

// summaries adds streaks, failed orders and recent runs to products.
func (s *Service) summaries(ctx context.Context, ps []models.ProductDialState, now time.Time) ([]ProductDial, error) {
	pids := ids(ps)
	points, err := s.dialPoints(ctx, pids, now)
	if err != nil {
		return nil, err
	}
	failed, err := s.failedCreates(ctx, pids, now)
	if err != nil {
		return nil, err
	}
	runs := map[int64][]models.DialRun{}
	if len(pids) > 0 {
		var rs []models.DialRun
		if err := s.db.WithContext(ctx).Raw(`SELECT id, merchant_id, product_ref, case_ref, case_name, activity, at, outcome,
			error_class, error_detail, result_code, latency_ms FROM (
			SELECT *, ROW_NUMBER() OVER (PARTITION BY product_ref ORDER BY at DESC, id DESC) AS n
			FROM dial_runs WHERE product_ref IN ?) WHERE n <= ? ORDER BY product_ref, at DESC, id DESC`, pids, RunsShown).
			Scan(&rs).Error; err != nil {
			return nil, err
		}
		for _, r := range rs {
			runs[r.ProductRef] = append(runs[r.ProductRef], r)
		}
	}
	out := make([]ProductDial, len(ps))
	for i, p := range ps {
		out[i] = ProductDial{ProductDialState: p, FailingDays: FailingDays(points[p.ID], now, p.DialStreakFrom),
			FailedOrders: FailedOrdersThisMonth(failed[p.ID], now, p.DelistCountFrom), Runs: runs[p.ID]}
	}
	return out, nil
}

// DialSummary lists the actor's merchant's products with their dial state.
func (s *Service) DialSummary(ctx context.Context, actor models.Actor) ([]ProductDial, error) {
	mid, err := merchantOf(actor)
	if err != nil {
		return nil, err
	}
	var ps []models.ProductDialState
	if err := s.db.WithContext(ctx).Where("merchant_id = ?", mid).Order("product_id").Find(&ps).Error; err != nil {
		return nil, err
	}
	return s.summaries(ctx, ps, s.now())
}

// AdminProducts lists every merchant's products with their status, reason,
// delist flag and dial state, for operations managers.
func (s *Service) AdminProducts(ctx context.Context, actor models.Actor) ([]ProductDial, error) {
	if !actor.Can(models.PermAdminProducts) {
		return nil, models.ErrForbidden
	}
	var ps []models.ProductDialState
	if err := s.db.WithContext(ctx).Order("merchant_id, product_id").Find(&ps).Error; err != nil {
		return nil, err
	}
	out, err := s.summaries(ctx, ps, s.now())
	if err != nil {
		return nil, err
	}
	var ms []models.Merchant
	if err := s.db.WithContext(ctx).Select("id, name").Find(&ms).Error; err != nil {
		return nil, err
	}
	names := map[int64]string{}
	for _, m := range ms {
		names[m.ID] = m.Name
	}
	for i := range out {
		out[i].MerchantName = names[out[i].MerchantID]
	}
	return out, nil
}

// slotKey is the app_settings key holding the last claimed dial slot.
const slotKey = "debugger.dial_slot"

// claimSlot records that the dial tests of slot are being run, once across
// every instance sharing the database: only the first claimer gets true.
func (s *Service) claimSlot(ctx context.Context, slot time.Time) (bool, error) {
	res := s.db.WithContext(ctx).Exec(`INSERT INTO app_settings (key, value) VALUES (?, ?)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value WHERE app_settings.value < excluded.value`, slotKey, SlotKey(slot))
	return res.RowsAffected == 1, res.Error
}

// RunSchedule runs the dial tests at every slot of DialSlots (10:00 and
// 16:00 Asia/Shanghai) until ctx ends. A slot missed while the process was
// down is not caught up; the next one runs as usual. Several instances may
// run the schedule: each slot is claimed once in the database.
func (s *Service) RunSchedule(ctx context.Context, logger *slog.Logger) {
	next := NextSlot(s.clock.Now())
	for {
		wait := next.Sub(s.clock.Now())
		if wait <= 0 {
			if claimed, err := s.claimSlot(ctx, next); err != nil {
				logger.Error("dial tests: claim slot", "slot", SlotKey(next), "err", err)
			} else if claimed {
				rep, err := s.DialAll(ctx, s.clock.Now())
				if err != nil && ctx.Err() == nil {
					logger.Error("dial tests", "slot", SlotKey(next), "err", err)
				}
				if rep != nil {
					logger.Info("dial tests", "slot", SlotKey(next), "runs", rep.Runs, "failed", rep.Failed,
						"frozen", rep.Frozen, "flagged", rep.Flagged)
				}
			}
			next = NextSlot(s.clock.Now())
			continue
		}
		// Sleep in bounded steps, so a clock change or a suspended machine
		// is noticed within minutes.
		t := time.NewTimer(min(wait, 5*time.Minute))
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-t.C:
		}
	}
}
