package provisioning

import (
	"database/sql"
	"errors"

	"gorm.io/gorm"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/web/koogallery"
)

// SupervisionStart is told, inside the transaction that moves a line to
// supervising, which line it is (models/supervision starts the flow), so a
// supervised line never exists without its flow.
type SupervisionStart func(tx *gorm.DB, lineID int64) error

// OnSupervising installs the hook (the composition root wires
// supervision.Service.StartTx).
func (s *Service) OnSupervising(f SupervisionStart) { s.onSupervising = f }

func (s *Service) supervisionStarted(tx *gorm.DB, lineID int64) error {
	if s.onSupervising == nil {
		return nil
	}
	return s.onSupervising(tx, lineID)
}

// MoveLineTx moves a line through the line table inside the caller's
// transaction, keeping its order's summary status in step: a supervision
// flow ends its line (completed, unsubscribed) by the core's one rule.
func (s *Service) MoveLineTx(tx *gorm.DB, lineID int64, to models.LineStatus, reason string) error {
	r := s.run(tx)
	l := models.OrderLine{ID: lineID}
	if err := r.row(`SELECT order_ref, product_ref, status FROM order_lines WHERE id = ?`, []any{lineID},
		&l.OrderRef, &l.ProductRef, &l.Status); err != nil {
		return err
	}
	return s.moveLine(r, &callCtx{}, &l, to, reason, s.now(), nil)
}

// RefreshExpiryTx queues refreshInstance for the instance the line created,
// carrying the line's expiry as it is now (after a supervision acceptance
// moved the validity). It is an ordinary call: retried, logged in 生产接口消息.
// A line without an instance needs no call.
func (s *Service) RefreshExpiryTx(tx *gorm.DB, lineID int64) error {
	inst, merchant, err := s.lineInstance(tx, lineID)
	if err != nil || inst == 0 {
		return err
	}
	c := s.newCall(merchant, models.ActRefreshInstance, CallParams{Scene: koogallery.SceneRenewal, Event: "supervision"}, s.now())
	c.OrderLineRef, c.InstanceRef = &lineID, &inst
	return s.insertCall(tx, c)
}

// ReleaseLineTx queues releaseInstance for the instance the line created
// (a supervision ruling unsubscribed it). The call names the instance only,
// as an instance event does: its success releases the instance and leaves
// the already unsubscribed line as it is.
func (s *Service) ReleaseLineTx(tx *gorm.DB, lineID int64) error {
	inst, merchant, err := s.lineInstance(tx, lineID)
	if err != nil || inst == 0 {
		return err
	}
	c := s.newCall(merchant, models.ActReleaseInstance, CallParams{Event: "supervision"}, s.now())
	c.InstanceRef = &inst
	return s.insertCall(tx, c)
}

func (s *Service) lineInstance(tx *gorm.DB, lineID int64) (inst, merchant int64, err error) {
	err = s.run(tx).row(`SELECT id, merchant_id FROM instances WHERE creating_line_ref = ? AND status <> ?`,
		[]any{lineID, models.InstanceReleased}, &inst, &merchant)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, 0, nil
	}
	return inst, merchant, err
}
