package provisioning

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/web/koogallery"
)

// errCrashed is what RunCall returns when the crash hook fired (tests).
var errCrashed = errors.New("provisioning: simulated crash after send")

// Error classes the core adds to the protocol's: the call could not be sent.
const (
	ClassConfig      = "config"      // no endpoint or no active key
	ClassInterrupted = "interrupted" // the process died before the answer was recorded
)

// RunCall makes one attempt of a call planned for plannedAt. A job whose
// plan is stale (the call was restarted or already moved on) does nothing,
// so duplicate deliveries never make a second attempt.
func (s *Service) RunCall(ctx context.Context, callID int64, plannedAt time.Time) error {
	cc, msg, err := s.beginAttempt(ctx, callID, plannedAt)
	if err != nil || cc == nil {
		return err
	}
	out, cfgErr := s.send(ctx, cc)
	if s.crashAfterSend != nil && s.crashAfterSend() {
		return errCrashed
	}
	return s.finishAttempt(ctx, cc, msg, out, cfgErr)
}

// beginAttempt claims the call's next attempt before anything is sent, so
// two deliveries of one plan never both send, and a crash leaves a trace: an
// attempt the call still has claimed when it is next claimed died before its
// answer was recorded, and is logged then as interrupted. The claim is one
// update of the call; the attempt's log row is written once, with its answer
// (finishAttempt). The attempt's context (one joined read) is read before
// the transaction, on the read pool; inside it a primary-key read confirms
// the call is still where that read found it, so the write lock is held
// only for the writes.
func (s *Service) beginAttempt(ctx context.Context, callID int64, plannedAt time.Time) (*callCtx, *models.InterfaceMessage, error) {
	now := s.now()
	c, err := s.loadCallCtx(s.read(ctx), callID, now)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, nil
	}
	if err != nil {
		return nil, nil, err
	}
	if !callDue(&c.call, plannedAt) {
		return nil, nil, nil
	}
	if s.afterRead != nil {
		s.afterRead()
	}
	m := &models.InterfaceMessage{MerchantID: c.call.MerchantID, CallRef: callID, AttemptNo: c.call.Attempts + 1, At: now,
		Activity: string(c.wireActivity()), OrderID: c.orderID(), OrderLineID: c.lineID(),
		InstanceID: c.instanceID(), Manual: c.call.ManualBy != "", ActorEmail: c.call.ManualBy}
	if c.endpoint != nil {
		m.Protocol, m.URL = c.endpoint.Protocol, koogallery.MaskURL(c.endpoint.URL)
	}
	claimed := false
	err = s.writes.Transaction(ctx, func(tx *gorm.DB) error {
		r := s.run(tx)
		cur := models.Call{ID: callID}
		var nextAt, inflightAt sql.NullTime
		var merchant models.MerchantStatus
		if err := r.row(`SELECT state, attempts, next_at, manual_by, inflight_at,
			(SELECT status FROM merchants WHERE id = calls.merchant_id) FROM calls WHERE id = ?`, []any{callID},
			&cur.State, &cur.Attempts, &nextAt, &cur.ManualBy, &inflightAt, &merchant); err != nil {
			return err
		}
		if merchant == models.MerchantSuspended {
			return nil // held: resuming the merchant plans the call again (ResumeMerchantTx)
		}
		cur.NextAt = timePtr(nextAt)
		if !callDue(&cur, plannedAt) || cur.Attempts != c.call.Attempts || cur.ManualBy != c.call.ManualBy ||
			!sameInstant(timePtr(inflightAt), c.call.InflightAt) {
			return nil // moved on since the read: the job that moved it carries on
		}
		// The claim is conditional on what was read: on PostgreSQL two
		// transactions may read the same call at once (SQLite has one writer),
		// and the later update then finds the attempt taken and changes nothing.
		n, err := r.exec(`UPDATE calls SET attempts = ?, manual_by = '', inflight_at = ?, updated_at = ? WHERE id = ? AND attempts = ? AND manual_by = ?`,
			c.call.Attempts+1, now, now, callID, cur.Attempts, cur.ManualBy)
		if err != nil || n == 0 {
			return err
		}
		if prev := c.call.InflightAt; prev != nil {
			died := *m
			died.AttemptNo, died.At, died.Manual, died.ActorEmail = c.call.Attempts, *prev, false, ""
			rec := messageRecord(&died)
			rec.set("outcome", models.OutcomeInterrupted)
			rec.set("error_class", ClassInterrupted)
			q, args := rec.insert()
			if _, err := r.insert(q, args...); err != nil {
				return err
			}
		}
		claimed = true
		return nil
	})
	if err != nil || !claimed {
		return nil, nil, err
	}
	c.call.Attempts++
	c.call.InflightAt = &now
	return c, m, nil
}

// sameInstant says whether two optional instants are both unset or equal.
func sameInstant(a, b *time.Time) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.Equal(*b)
}

// callDue says whether a job planned for plannedAt should make an attempt: the
// call is not finished and still plans its next attempt then (else the job
// is stale: the call was restarted or moved on).
func callDue(c *models.Call, plannedAt time.Time) bool {
	switch c.State {
	case models.CallSucceeded, models.CallFailed, models.CallRecovered:
		return false
	}
	return c.NextAt != nil && c.NextAt.Equal(plannedAt.UTC())
}

// send makes the call outside any transaction. A missing endpoint or key is a
// configuration failure: retried like any other, so fixing it is enough.
func (s *Service) send(ctx context.Context, cc *callCtx) (*koogallery.Outcome, error) {
	if cc.endpoint == nil {
		return nil, errors.New("no production interface is configured")
	}
	active, keys, err := s.catalog.OpenSigningKeys(cc.keys)
	if err != nil {
		return nil, err
	}
	customerName := ""
	if cc.buyer != nil {
		if b, err := s.vault.Open(cc.buyer.PIIEnc, piiPurpose); err == nil {
			var pii models.BuyerPII
			_ = json.Unmarshal(b, &pii)
			customerName = pii.CustomerName
		}
	}
	req := cc.request(customerName)
	release, err := s.limits.acquire(ctx, cc.call.MerchantID, cc.endpoint.MaxConcurrency)
	if err != nil {
		return nil, err
	}
	if s.slotHook != nil {
		t0 := time.Now()
		defer func() { s.slotHook(time.Since(t0)) }()
	}
	defer release()
	timeout := time.Duration(cc.endpoint.TimeoutMS) * time.Millisecond
	var out *koogallery.Outcome
	// During a key rotation's overlap the merchant may still run the old key:
	// a signature refusal is retried at once with each retiring key.
	for i, key := range keys {
		if i > 0 && key == active {
			continue
		}
		cctx, cancel := context.WithTimeout(ctx, timeout)
		out, _ = s.client.Call(cctx, koogallery.Endpoint{URL: cc.endpoint.URL, Key: key, Version: cc.version}, req)
		cancel()
		cc.usedKey = key
		if !(out.Class == koogallery.ClassBadBodySign || out.ResultCode == koogallery.ResultAuthFailed) {
			break
		}
	}
	return out, nil
}

// record is the attempt's log row as columns and values, so only what is
// known is written and a later value replaces an earlier one.
type record struct {
	cols []string
	args []any
}

func (r *record) set(col string, v any) {
	for i, c := range r.cols {
		if c == col {
			r.args[i] = v
			return
		}
	}
	r.cols = append(r.cols, col)
	r.args = append(r.args, v)
}

// messageRecord is the log row of an attempt as its claim knows it; the
// answer's columns are set on top.
func messageRecord(m *models.InterfaceMessage) record {
	var rec record
	for _, f := range []struct {
		col string
		v   any
	}{{"merchant_id", m.MerchantID}, {"call_ref", m.CallRef}, {"attempt_no", m.AttemptNo}, {"at", m.At},
		{"activity", m.Activity}, {"order_id", m.OrderID}, {"order_line_id", m.OrderLineID}, {"instance_id", m.InstanceID},
		{"protocol", m.Protocol}, {"method", ""}, {"url", m.URL}, {"manual", m.Manual}, {"actor_email", m.ActorEmail}} {
		rec.set(f.col, f.v)
	}
	return rec
}

// insert is the statement that writes the record as a new log row.
func (r *record) insert() (string, []any) {
	return "INSERT INTO interface_messages (" + strings.Join(r.cols, ", ") + ") VALUES (?" +
		strings.Repeat(", ?", len(r.cols)-1) + ")", r.args
}

// finishAttempt logs the attempt with its answer and moves the state
// machines, all in one transaction together with the follow-up schedule and
// notification. What needs no database (masking, decrypting the
// credentials) is done first. The row is written before the state moves
// because their notifications link to it; what the moves decide about the
// row (the next retry, an answer the core cannot use) is written after.
func (s *Service) finishAttempt(ctx context.Context, cc *callCtx, msg *models.InterfaceMessage, out *koogallery.Outcome, cfgErr error) error {
	now := s.now()
	rec := messageRecord(msg)
	if cfgErr != nil {
		rec.set("outcome", models.OutcomeError)
		rec.set("error_class", ClassConfig)
		rec.set("error_detail", models.MaskSecrets(cfgErr.Error()))
	} else {
		ex := out.Exchange.Masked()
		rec.set("method", ex.Method)
		rec.set("url", ex.URL)
		rec.set("request_headers", headerText(ex.RequestHeaders))
		rec.set("request_body", ex.RequestBody)
		rec.set("response_status", ex.ResponseStatus)
		rec.set("response_headers", headerText(ex.ResponseHeaders))
		rec.set("response_body", ex.ResponseBody)
		rec.set("body_sign", bodySignText(ex.BodySign))
		rec.set("result_code", string(out.ResultCode))
		rec.set("latency_ms", ex.Latency.Milliseconds())
		if out.OK() {
			rec.set("outcome", models.OutcomeOK)
		} else {
			rec.set("outcome", models.OutcomeError)
			rec.set("error_class", string(out.Class))
			if out.Err != nil {
				rec.set("error_detail", truncate(models.MaskSecrets(out.Err.Error()), 1000))
			}
		}
		cc.created = s.prepareInstance(cc, out)
		// A create learns its instance from the answer: the row shows it
		// (the claim only knew the instance of a line that had one).
		if cc.created != nil && cc.created.id != "" {
			rec.set("instance_id", cc.created.id)
		}
	}
	insert, args := rec.insert()
	return s.writes.Transaction(ctx, func(tx *gorm.DB) error {
		r := s.run(tx)
		var err error
		if msg.ID, err = r.insert(insert, args...); err != nil {
			return err
		}
		res, err := s.apply(tx, cc, msg, out, cfgErr, now)
		if err != nil {
			return err
		}
		var later record
		if res.nextRetry != nil {
			later.set("next_retry_at", *res.nextRetry)
		}
		if res.outcome != "" {
			later.set("outcome", res.outcome)
			later.set("error_class", strings.TrimPrefix(res.errClass, "-"))
			if res.errDetail != "" {
				later.set("error_detail", truncate(models.MaskSecrets(res.errDetail), 1000))
			}
		}
		if len(later.cols) == 0 {
			return nil
		}
		_, err = r.exec("UPDATE interface_messages SET "+strings.Join(later.cols, " = ?, ")+" = ? WHERE id = ?",
			append(later.args, msg.ID)...)
		return err
	})
}

func headerText(h http.Header) string {
	if len(h) == 0 {
		return ""
	}
	var b strings.Builder
	_ = h.Write(&b)
	return b.String()
}

func bodySignText(c koogallery.BodySignCheck) string {
	switch c {
	case koogallery.BodySignOK, koogallery.BodySignLenient:
		return "ok"
	case koogallery.BodySignMissing:
		return "missing"
	case koogallery.BodySignMalformed, koogallery.BodySignMismatch:
		return "bad"
	}
	return ""
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}
