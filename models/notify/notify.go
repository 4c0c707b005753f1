// Package notify writes and reads in-app notifications (站内信).
package notify

import (
	"context"
	"encoding/json"
	"net/url"
	"strconv"
	"time"

	"gorm.io/gorm"

	"github.com/sellercenter/sellercenter/models"
)

// Write adds a notification inside the caller's transaction, so it exists
// exactly when the event it reports does.
func Write(tx *gorm.DB, at time.Time, merchantID int64, typeCode int, m models.Msg, link string) error {
	_, err := create(tx, at, merchantID, typeCode, m, link)
	return err
}

// create inserts the notification; its MsgArgs are m's arguments encoded
// once, for the rows that repeat the message on another channel.
func create(tx *gorm.DB, at time.Time, merchantID int64, typeCode int, m models.Msg, link string) (*models.Notification, error) {
	args := "{}"
	if len(m.Args) > 0 {
		b, err := json.Marshal(m.Args)
		if err != nil {
			return nil, err
		}
		args = string(b)
	}
	n := &models.Notification{MerchantID: merchantID, TypeCode: typeCode, MsgID: m.ID, MsgArgs: args, Link: link,
		CreatedAt: at.UTC()}
	if err := tx.Create(n).Error; err != nil {
		return nil, err
	}
	return n, nil
}

// Service reads notifications for merchant users.
type Service struct {
	db    *gorm.DB
	clock interface{ Now() time.Time }
}

// New builds the notifications service.
func New(db *gorm.DB, clock interface{ Now() time.Time }) Service {
	return Service{db: db, clock: clock}
}

// Filter narrows the notification list.
type Filter struct {
	TypeCode int // 0 = every type
	BeforeID int64
	Limit    int
}

// ParseFilter reads the list's query; a bad value is a field error.
func ParseFilter(q url.Values, _ *time.Location) (Filter, *models.ValidationError) {
	v := &models.ValidationError{}
	f := Filter{BeforeID: models.ParseBefore(q, v)}
	if t := q.Get("type"); t != "" {
		n, err := strconv.Atoi(t)
		if err != nil || n <= 0 {
			v.Add("type", models.M("err.filter_value"))
		}
		f.TypeCode = n
	}
	return f, v
}

// Item is a notification with its message ready to translate.
type Item struct {
	models.Notification
	Msg models.Msg
}

// Page is one page of notifications, newest first, with the unread count.
type Page struct {
	models.Page[Item]
	Unread int64
}

// List returns the actor's merchant's notifications, newest first.
func (s Service) List(ctx context.Context, actor models.Actor, f Filter) (Page, error) {
	if actor.MerchantID == 0 || !actor.Can(models.PermNotifications) {
		return Page{}, models.ErrForbidden
	}
	q := s.db.WithContext(ctx).Where("merchant_id = ?", actor.MerchantID)
	if f.TypeCode != 0 {
		q = q.Where("type_code = ?", f.TypeCode)
	}
	if f.BeforeID > 0 {
		q = q.Where("id < ?", f.BeforeID)
	}
	limit := models.PageLimit(f.Limit)
	var ns []models.Notification
	if err := q.Order("id DESC").Limit(limit + 1).Find(&ns).Error; err != nil {
		return Page{}, err
	}
	items := make([]Item, len(ns))
	for i, n := range ns {
		items[i] = Item{Notification: n, Msg: models.Msg{ID: n.MsgID, Args: Args(n)}}
	}
	p := Page{Page: models.PageBefore(items, limit, func(it Item) int64 { return it.ID })}
	n, err := s.Unread(ctx, actor)
	p.Unread = n
	return p, err
}

// Unread counts the merchant's unread notifications.
func (s Service) Unread(ctx context.Context, actor models.Actor) (int64, error) {
	if actor.MerchantID == 0 {
		return 0, nil
	}
	var n int64
	err := s.db.WithContext(ctx).Model(&models.Notification{}).
		Where("merchant_id = ? AND read_at IS NULL", actor.MerchantID).Count(&n).Error
	return n, err
}

// MarkAllRead marks every notification of the merchant read.
func (s Service) MarkAllRead(ctx context.Context, actor models.Actor) error {
	if actor.MerchantID == 0 || !actor.Can(models.PermNotifications) {
		return models.ErrForbidden
	}
	return s.db.WithContext(ctx).Model(&models.Notification{}).
		Where("merchant_id = ? AND read_at IS NULL", actor.MerchantID).Update("read_at", s.clock.Now().UTC()).Error
}

// Args decodes a notification's template data.
func Args(n models.Notification) map[string]any {
	var m map[string]any
	_ = json.Unmarshal([]byte(n.MsgArgs), &m)
	return m
}
