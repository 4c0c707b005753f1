// Package overview assembles the 总览 page: the to-do counters of each area
// the viewer may act on.
package overview

import (
	"context"

	"github.com/sellercenter/sellercenter/models"
)

// Counter is one to-do counter an area contributes to the board.
type Counter struct {
	Key  string            // catalog suffix: todo.<Key>
	Href string            // where the count leads
	Perm models.Permission // who sees it
	// Count returns the number of open items for the actor, scoped by merchant.
	Count func(ctx context.Context, actor models.Actor) (int64, error)
}

// Item is a counted to-do.
type Item struct {
	Key   string
	Href  string
	Count int64
}

// Service evaluates the registered counters.
type Service struct{ counters []Counter }

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
		out = append(out, Item{Key: c.Key, Href: c.Href, Count: n})
	}
	return out, nil
}
