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
	n := &models.Notification{MerchantID: merchantID, TypeCode: typeCode, MsgID: m.ID, MsgArgs: "{}", Link: link,
		CreatedAt: at.UTC()}
	if err := encodeArgs(n, m); err != nil {
		return nil, err
	}
	if err := tx.Create(n).Error; err != nil {
		return nil, err
	}
	return n, nil
}

// encodeArgs stores m's arguments as the row's template data.
func encodeArgs(n *models.Notification, m models.Msg) error {
	if len(m.Args) == 0 {
		return nil
	}
	b, err := json.Marshal(m.Args)
	if err != nil {
		return err
	}
	n.MsgArgs = string(b)
	return nil
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

// Item is a notification with its message ready to translate; Merchant
// names the merchant a platform notification concerns.
type Item struct {
	models.Notification
	Msg      models.Msg
	Merchant string
}

// Page is one page of notifications, newest first, with the unread count.
type Page struct {
	models.Page[Item]
	Unread int64
}

// List returns the actor's notifications, newest first: its merchant's, or
// for an operations manager the platform's.
func (s Service) List(ctx context.Context, actor models.Actor, f Filter) (Page, error) {
	q, err := s.scope(ctx, actor)
	if err != nil {
		return Page{}, err
	}
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
	names, err := s.merchantNames(ctx, actor, ns)
	if err != nil {
		return Page{}, err
	}
	for i, n := range ns {
		items[i] = Item{Notification: n, Msg: models.Msg{ID: n.MsgID, Args: Args(n)}, Merchant: names[n.MerchantID]}
	}
	p := Page{Page: models.PageBefore(items, limit, func(it Item) int64 { return it.ID })}
	n, err := s.Unread(ctx, actor)
	p.Unread = n
	return p, err
}

// Unread counts the actor's unread notifications.
func (s Service) Unread(ctx context.Context, actor models.Actor) (int64, error) {
	q, err := s.scope(ctx, actor)
	if err != nil {
		return 0, nil // nobody's notifications: nothing unread
	}
	var n int64
	err = q.Where("read_at IS NULL").Count(&n).Error
	return n, err
}

// MarkAllRead marks every notification of the actor's list read.
func (s Service) MarkAllRead(ctx context.Context, actor models.Actor) error {
	q, err := s.scope(ctx, actor)
	if err != nil {
		return err
	}
	return q.Where("read_at IS NULL").Update("read_at", s.clock.Now().UTC()).Error
}

// Args decodes a notification's template data. An argument that was a
// message itself (a party, a state) comes back as one, so it is translated
// in the reader's language rather than shown as its catalog id.
func Args(n models.Notification) map[string]any {
	var m map[string]any
	_ = json.Unmarshal([]byte(n.MsgArgs), &m)
	for k, v := range m {
		if msg, ok := asMsg(v); ok {
			m[k] = msg
		}
	}
	return m
}

func asMsg(v any) (models.Msg, bool) {
	o, ok := v.(map[string]any)
	if !ok {
		return models.Msg{}, false
	}
	id, ok := o["ID"].(string)
	if !ok || len(o) > 2 {
		return models.Msg{}, false
	}
	args, _ := o["Args"].(map[string]any)
	return models.Msg{ID: id, Args: args}, true
}
