package interfacelog

import (
	"context"
	"strings"

	"gorm.io/gorm"

	"github.com/sellercenter/sellercenter/models"
)

// Row is an exported attempt with its call's current state.
type Row struct {
	models.InterfaceMessage
	CallState   models.CallState
	MaxAttempts int
}

// scope applies the actor's tenancy and the filter to a query over
// interface_messages aliased m, for the attempts' export: the filter means
// what it means on the list, so the state is the attempt's call's.
func (s Service) scope(ctx context.Context, actor models.Actor, f Filter) (*gorm.DB, error) {
	mid, err := merchantScope(actor, f)
	if err != nil {
		return nil, err
	}
	q := s.db.WithContext(ctx).Table("interface_messages AS m")
	if mid != 0 {
		q = q.Where("m.merchant_id = ?", mid)
	}
	if !f.From.IsZero() {
		q = q.Where("m.at >= ?", f.From.UTC())
	}
	if !f.To.IsZero() {
		q = q.Where("m.at < ?", f.To.UTC())
	}
	if f.Activity != "" {
		q = q.Where("m.activity = ?", f.Activity)
	}
	if f.ErrorClass != "" {
		q = q.Where("m.error_class = ?", f.ErrorClass)
	}
	if f.OrderID != "" {
		if p, ok := strings.CutSuffix(f.OrderID, "*"); ok {
			q = q.Where("m.order_id >= ? AND m.order_id < ?", p, p+"\U0010FFFF")
		} else {
			q = q.Where("m.order_id = ?", f.OrderID)
		}
	}
	if f.State != "" {
		w, args := viewWhere(f.State)
		q = q.Where("m.call_ref IN (?)", s.db.Table("calls AS c").Select("c.id").Where(w, args...))
	}
	return q, nil
}

// listColumns are what exported rows carry: everything but the bodies.
const listColumns = "m.id, m.merchant_id, m.call_ref, m.attempt_no, m.at, m.activity, m.order_id, m.order_line_id, m.instance_id, " +
	"m.protocol, m.url, m.response_status, m.body_sign, m.result_code, m.outcome, m.error_class, m.error_detail, m.latency_ms, " +
	"m.next_retry_at, m.manual, m.actor_email"

// Count is the number of attempts in the filtered set.
func (s Service) Count(ctx context.Context, actor models.Actor, f Filter) (int64, error) {
	q, err := s.scope(ctx, actor, f)
	if err != nil {
		return 0, err
	}
	var n int64
	err = q.Count(&n).Error
	return n, err
}

// EachPage is how many rows Each reads per query.
const EachPage = 1000

// eachRow is a list row with its call's state, read in one query.
type eachRow struct {
	models.InterfaceMessage
	CallState models.CallState `gorm:"column:call_state"`
	IntervalS int              `gorm:"column:interval_s"`
	WindowS   int              `gorm:"column:window_s"`
}

// Each walks the whole filtered set newest first (the cursor and limit are
// ignored) in keyset pages of EachPage rows, each joined to its call, so
// memory stays flat whatever the set's size. It stops at the first error of
// fn and returns how many rows fn accepted. Rows carry no bodies or headers.
func (s Service) Each(ctx context.Context, actor models.Actor, f Filter, fn func(Row) error) (int64, error) {
	base, err := s.scope(ctx, actor, f)
	if err != nil {
		return 0, err
	}
	var n int64
	var last *models.InterfaceMessage
	page := make([]eachRow, 0, EachPage)
	for {
		q := base.Session(&gorm.Session{})
		if last != nil {
			// The first bound lets SQLite range over the index (no rescans).
			q = q.Where("m.at <= ? AND (m.at < ? OR (m.at = ? AND m.id < ?))", last.At, last.At, last.At, last.ID)
		}
		page = page[:0]
		if err := q.Select(listColumns + ", c.state AS call_state, c.interval_s, c.window_s").
			Joins("JOIN calls c ON c.id = m.call_ref").
			Order("m.at DESC, m.id DESC").Limit(EachPage).Scan(&page).Error; err != nil {
			return n, err
		}
		for _, r := range page {
			r.ErrorDetail = models.MaskSecrets(r.ErrorDetail)
			c := models.Call{IntervalS: r.IntervalS, WindowS: r.WindowS}
			if err := fn(Row{InterfaceMessage: r.InterfaceMessage, CallState: r.CallState, MaxAttempts: c.MaxAttempts()}); err != nil {
				return n, err
			}
			n++
		}
		if len(page) < EachPage {
			return n, nil
		}
		m := page[len(page)-1].InterfaceMessage
		last = &m
	}
}
