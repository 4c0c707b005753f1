package overview

import (
	"context"
	"sort"
	"time"

	"github.com/sellercenter/sellercenter/models"
)

// Counter is one to-do counter an area contributes to the board.
type Counter struct {
	Key  string            // catalog suffix: todo.<Key>
	Link models.Link       // the list that shows what was counted
	Perm models.Permission // who sees it
	// Count returns the number of open items for the actor, scoped by merchant.
	Count func(ctx context.Context, actor models.Actor) (int64, error)
}

// Item is a counted to-do.
type Item struct {
	Key   string
	Link  models.Link
	Count int64
}

// Service evaluates the registered counters.
type Service struct {
	counters []Counter
	clocks   []ClockSource
	figures  *FigureSource
}

// New builds the board from the areas' counters, in display order.
func New(counters ...Counter) *Service { return &Service{counters: counters} }

// Board returns the counters the actor may see, in order.
func (s *Service) Board(ctx context.Context, actor models.Actor) ([]Item, error) {
	var out []Item
	for _, c := range s.counters {
		if !actor.Can(c.Perm) {
			continue
		}
		n, err := c.Count(ctx, actor)
		if err != nil {
			return nil, err
		}
		out = append(out, Item{Key: c.Key, Link: c.Link, Count: n})
	}
	return out, nil
}

// Clock is one live deadline on the board (待办事项): what is about to be
// late, with the business time left.
type Clock struct {
	Area   string // catalog suffix of its kind: clock.<Area>
	Ref    string // what people call it (a ticket number)
	Title  string
	Link   models.Link
	Status models.ClockStatus // running, warning (80 % passed), breached
	DueAt  time.Time          // UTC
	// Left is the business time left (negative: overdue by); Ticking says
	// the calendar is open now, so a page may count it down.
	Left     time.Duration
	Ticking  bool
	WarnLeft time.Duration // Left at which the warning starts
}

// ClockSource is an area's list of live clocks for the actor, most urgent
// first, scoped by merchant.
type ClockSource struct {
	Perm models.Permission
	List func(ctx context.Context, actor models.Actor) ([]Clock, error)
}

// AddClocks registers areas' live clocks, in display order.
func (s *Service) AddClocks(src ...ClockSource) *Service {
	s.clocks = append(s.clocks, src...)
	return s
}

// Clocks returns the live clocks the actor may see, earliest deadline first.
func (s *Service) Clocks(ctx context.Context, actor models.Actor) ([]Clock, error) {
	var out []Clock
	for _, c := range s.clocks {
		if !actor.Can(c.Perm) {
			continue
		}
		cs, err := c.List(ctx, actor)
		if err != nil {
			return nil, err
		}
		out = append(out, cs...)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].DueAt.Before(out[j].DueAt) })
	return out, nil
}
