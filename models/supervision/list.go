package supervision

import (
	"context"
	"errors"
	"os"
	"slices"
	"time"

	"gorm.io/gorm"

	"github.com/sellercenter/sellercenter/models"
)

// Filter narrows a flow list. Zero values do not filter.
type Filter struct {
	Node    models.SupNode
	Appeal  models.SupAppeal
	Overdue bool
	// MerchantTurn: flows waiting on the merchant (confirm, delivery), not
	// frozen by an appeal (the board's counter).
	MerchantTurn bool
	ProductRef   int64
	ProductCode  string // the product's productId (the list's filter)
	// MerchantID narrows an operations manager's export to one merchant;
	// everyone else's scope decides their merchant.
	MerchantID int64
	Customer   string // the buyer's customerId
	From, To   time.Time
	// Keyset paging: rows after the last of the previous page, its id (and
	// with a time filter its started_at, Page.NextAt).
	BeforeID int64
	BeforeAt time.Time
	Limit    int
}

// timed reports whether the time filter is on: its pages run newest first
// by started_at, the order of the index that holds the range, so a wide
// range is never read whole and sorted.
func (f Filter) timed() bool { return !f.From.IsZero() || !f.To.IsZero() }

// Row is a list row (订单号, 商品, 客户, 当前节点, 节点进入时间, 剩余时间,
// 驳回次数, 申诉状态, 验收方式).
type Row struct {
	models.SupFlow
	OrderCode    string `gorm:"column:order_code"`
	LineCode     string `gorm:"column:line_code"`
	ProductID    string `gorm:"column:product_code"`
	ProductName  string `gorm:"column:product_name"`
	CustomerID   string `gorm:"column:customer_code"`
	CustomerName string `gorm:"column:customer_name"`
}

// Left is the time left on the node's running clock (SLA in delivery,
// automatic acceptance), or while paused what it had; ok false when none.
func (r *Row) Left(now time.Time) (time.Duration, bool) {
	for _, p := range [][2]any{{r.SLADueAt, r.SLALeftS}, {r.AcceptDueAt, r.AcceptLeftS}} {
		due, left := p[0].(*time.Time), p[1].(*int64)
		if due != nil {
			return due.Sub(now), true
		}
		if left != nil && r.Appeal == models.SupAppealOpen {
			return time.Duration(*left) * time.Second, true
		}
	}
	return 0, false
}

// Page is one page of flows, newest first.
type Page struct {
	Rows   []Row
	NextID int64     // 0: no more
	NextAt time.Time // with a time filter: the next page's BeforeAt
	Now    time.Time
}

const rowSelect = `f.*, l.order_code, l.order_line_id AS line_code, p.product_id AS product_code, p.name AS product_name,
	b.customer_id AS customer_code, b.name_masked AS customer_name`

// rows reads flows with their labels. CROSS JOIN keeps the flows the
// outer loop: with a small products table the planner would otherwise
// start there and walk every flow of the product.
func (s *Service) rows(tx *gorm.DB) *gorm.DB {
	return tx.Table("supervision_flows AS f").Select(rowSelect).
		Joins("CROSS JOIN order_lines l ON l.id = f.line_ref").
		Joins("CROSS JOIN products p ON p.id = f.product_ref").
		Joins("CROSS JOIN buyers b ON b.id = f.buyer_ref")
}

// rowsByID reads the rows of a page, in the order of ids.
func (s *Service) rowsByID(tx *gorm.DB, ids []int64) ([]Row, error) {
	var rows []Row
	if err := s.rows(tx).Where("f.id IN ?", ids).Scan(&rows).Error; err != nil {
		return nil, err
	}
	at := make(map[int64]int, len(ids))
	for i, id := range ids {
		at[id] = i
	}
	slices.SortFunc(rows, func(a, b Row) int { return at[a.ID] - at[b.ID] })
	return rows, nil
}

// List is the actor's flows (a merchant's own, a buyer's own, operations
// all), newest first, one keyset page.
func (s *Service) List(ctx context.Context, actor models.Actor, f Filter) (Page, error) {
	tx := s.db.WithContext(ctx)
	sc, err := s.scopeOf(tx, actor)
	if err != nil {
		return Page{}, err
	}
	limit := f.Limit
	if limit <= 0 || limit > 200 {
		limit = 50
	}
	return s.page(tx, sc, f, limit)
}

// filtered is the flows of a scope the filter keeps, aliased f.
func filtered(tx *gorm.DB, sc scope, f Filter) *gorm.DB {
	q := sc.where("f")(tx.Table("supervision_flows AS f"))
	if f.MerchantID != 0 {
		q = q.Where("f.merchant_id = ?", f.MerchantID)
	}
	if f.Node != "" {
		q = q.Where("f.node = ?", f.Node)
	}
	if f.Appeal != "" {
		q = q.Where("f.appeal = ?", f.Appeal)
	}
	if f.Overdue {
		q = q.Where("f.sla_overdue_at IS NOT NULL")
	}
	if f.MerchantTurn {
		q = q.Where("f.node IN ('confirm', 'delivery') AND f.appeal <> 'open'")
	}
	if f.ProductRef != 0 {
		q = q.Where("f.product_ref = ?", f.ProductRef)
	}
	if f.ProductCode != "" {
		q = q.Where("f.product_ref IN (SELECT id FROM products WHERE product_id = ?)", f.ProductCode)
	}
	if f.Customer != "" {
		q = q.Where("f.buyer_ref = (SELECT id FROM buyers WHERE customer_id = ?)", f.Customer)
	}
	if !f.From.IsZero() {
		q = q.Where("f.started_at >= ?", f.From.UTC())
	}
	if !f.To.IsZero() {
		q = q.Where("f.started_at < ?", f.To.UTC())
	}
	return q
}

// page reads one keyset page of limit rows in the scope.
func (s *Service) page(tx *gorm.DB, sc scope, f Filter, limit int) (Page, error) {
	q := filtered(tx, sc, f)
	order := "f.id DESC"
	switch {
	case f.timed():
		order = "f.started_at DESC, f.id DESC"
		if f.BeforeID > 0 {
			q = q.Where("(f.started_at, f.id) < (?, ?)", f.BeforeAt.UTC(), f.BeforeID)
		}
	case f.BeforeID > 0:
		q = q.Where("f.id < ?", f.BeforeID)
	}
	// The page's keys first, from the filter's index alone; the rows then
	// are read by id.
	var keys []struct {
		ID        int64
		StartedAt time.Time
	}
	if err := q.Select("f.id, f.started_at").Order(order).Limit(limit + 1).Scan(&keys).Error; err != nil {
		return Page{}, err
	}
	p := Page{Now: s.now()}
	if len(keys) > limit {
		keys = keys[:limit]
		p.NextID = keys[limit-1].ID
		if f.timed() {
			p.NextAt = keys[limit-1].StartedAt
		}
	}
	if len(keys) == 0 {
		return p, nil
	}
	ids := make([]int64, len(keys))
	for i, k := range keys {
		ids[i] = k.ID
	}
	rows, err := s.rowsByID(tx, ids)
	if err != nil {
		return Page{}, err
	}
	p.Rows = rows
	return p, nil
}

// Detail is one flow with what its pages show and the actions the actor
// may take now (from the transition table, so views only render).
type Detail struct {
	Row
	Events    []models.SupEvent
	Documents []models.SupDocument
	Template  *models.SupDocument // the product's requirement template, nil when none
	Appeals   []models.SupAppealRow
	Appeal    *models.SupAppealRow // the latest
	Actions   []models.SupAction
	CanAppeal bool
	CanRule   bool
	Party     models.SupParty
	Now       time.Time
}

// Detail loads a flow in the actor's scope; another tenant's is not found.
func (s *Service) Detail(ctx context.Context, actor models.Actor, id int64) (*Detail, error) {
	tx := s.db.WithContext(ctx)
	sc, err := s.scopeOf(tx, actor)
	if err != nil {
		return nil, err
	}
	d := &Detail{Party: sc.party, Now: s.now()}
	if err := sc.where("f")(s.rows(tx)).Where("f.id = ?", id).Take(&d.Row).Error; err != nil {
		return nil, notFound(err)
	}
	if err := tx.Where("flow_ref = ?", id).Order("id").Find(&d.Events).Error; err != nil {
		return nil, err
	}
	if err := tx.Where("flow_ref = ?", id).Order("id").Find(&d.Documents).Error; err != nil {
		return nil, err
	}
	if err := tx.Where("flow_ref = ?", id).Order("id").Find(&d.Appeals).Error; err != nil {
		return nil, err
	}
	set, err := settingsOf(tx, d.ProductRef)
	if err != nil {
		return nil, err
	}
	if d.Template, err = templateOf(tx, set); err != nil {
		return nil, err
	}
	if n := len(d.Appeals); n > 0 {
		d.Appeal = &d.Appeals[n-1]
	}
	if sc.act && sc.party != models.SupPartyOps {
		d.Actions = models.SupActionsFor(d.Node, d.SupFlow.Appeal, d.Variant, sc.party)
	}
	d.CanAppeal = sc.appeal && models.SupCanAppeal(d.Node, d.SupFlow.Appeal, sc.party)
	d.CanRule = sc.party == models.SupPartyOps && d.SupFlow.Appeal == models.SupAppealOpen
	return d, nil
}

// OpenDocument authorizes a download of a flow's document in the actor's
// scope; the caller streams and closes the file.
func (s *Service) OpenDocument(ctx context.Context, actor models.Actor, docID int64) (*models.SupDocument, *os.File, error) {
	tx := s.db.WithContext(ctx)
	sc, err := s.scopeOf(tx, actor)
	if err != nil {
		return nil, nil, err
	}
	var doc models.SupDocument
	if err := tx.Where("id = ? AND flow_ref IN (?)", docID,
		sc.where("")(tx.Model(&models.SupFlow{}).Select("id"))).Take(&doc).Error; err != nil {
		return nil, nil, notFound(err)
	}
	if sc.party == models.SupPartyBuyer && !models.SupBuyerSeesDoc(doc) {
		return nil, nil, models.ErrNotFound
	}
	fh, err := s.dir().Open(doc.StorageName)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil, models.ErrNotFound
	}
	if err != nil {
		return nil, nil, err
	}
	return &doc, fh, nil
}

// QueueItem is one open appeal on the operations queue.
type QueueItem struct {
	models.SupAppealRow
	OrderCode    string         `gorm:"column:order_code"`
	MerchantSlug string         `gorm:"column:merchant_slug"`
	FlowNode     models.SupNode `gorm:"column:flow_node"`
	Left         time.Duration  `gorm:"-"` // working time to the deadline, negative when overdue
	Warned       bool           `gorm:"-"` // past the 80 % warning
}

// queueMax bounds the queue page.
const queueMax = 500

// AppealQueue is every open appeal across merchants (operations), sorted
// by the working time left: the deadlines are working-day instants, so
// their order is the order of what is left.
func (s *Service) AppealQueue(ctx context.Context, actor models.Actor) ([]QueueItem, error) {
	if !actor.IsPlatform() || !actor.Can(models.PermAdminAppeals) {
		return nil, models.ErrForbidden
	}
	hs, err := s.holidaySet(ctx)
	if err != nil {
		return nil, err
	}
	var out []QueueItem
	if err := s.db.WithContext(ctx).Table("supervision_appeals AS a").
		Select("a.*, l.order_code, m.slug AS merchant_slug, f.node AS flow_node").
		Joins("JOIN supervision_flows f ON f.id = a.flow_ref").
		Joins("JOIN order_lines l ON l.id = f.line_ref").
		Joins("JOIN merchants m ON m.id = a.merchant_id").
		Where("a.state = 'open'").Order("a.due_at, a.id").Limit(queueMax).Scan(&out).Error; err != nil {
		return nil, err
	}
	now := s.now()
	for i := range out {
		out[i].Left = BusinessLeft(now, out[i].DueAt, hs)
		out[i].Warned = !now.Before(out[i].WarnAt)
	}
	return out, nil
}
