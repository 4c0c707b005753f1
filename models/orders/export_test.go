package orders

import (
	"context"

	"github.com/sellercenter/sellercenter/models"
)

// PlainTotals are the filtered set's totals read the plain way (one GROUP BY
// over the filter's rows): the benchmark checks List's totals against them.
func (s Service) PlainTotals(ctx context.Context, actor models.Actor, f Filter) ([]Total, error) {
	q, err := s.scope(ctx, actor, f)
	if err != nil {
		return nil, err
	}
	var ts []Total
	err = q.Select("l.currency AS currency, count(*) AS n, coalesce(sum(l.amount), 0) AS total").
		Group("l.currency").Order("l.currency").Scan(&ts).Error
	return ts, err
}
