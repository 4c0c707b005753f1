package exports

import "context"

// pipeBatchRows and pipeBatches bound what the reader may run ahead of the
// writer: memory stays flat while both cores work.
const (
	pipeBatchRows = 256
	pipeBatches   = 4
)

// batch is a reusable block of rows; row slices keep their capacity.
type batch struct {
	rows [][]any
	n    int
}

// pipe runs each (the database walk) in its own goroutine and hands its rows
// to fn (the file encoder) on the caller's goroutine, so reading and encoding
// overlap instead of taking turns. fn sees rows in order; an error from
// either side stops both, and pipe returns only after the reader has stopped.
func pipe(ctx context.Context, each func(func([]any) error) (int64, error), fn func([]any) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	free := make(chan *batch, pipeBatches)
	full := make(chan *batch, pipeBatches)
	for range pipeBatches {
		free <- &batch{rows: make([][]any, pipeBatchRows)}
	}
	readErr := make(chan error, 1)
	go func() {
		defer close(full)
		var cur *batch
		send := func() error {
			select {
			case full <- cur:
				cur = nil
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		}
		_, err := each(func(vals []any) error {
			if cur == nil {
				select {
				case cur = <-free:
					cur.n = 0
				case <-ctx.Done():
					return ctx.Err()
				}
			}
			cur.rows[cur.n] = append(cur.rows[cur.n][:0], vals...)
			cur.n++
			if cur.n == len(cur.rows) {
				return send()
			}
			return nil
		})
		if err == nil && cur != nil && cur.n > 0 {
			err = send()
		}
		readErr <- err
	}()

	var werr error
	for b := range full {
		if werr != nil {
			continue // drain so the reader can finish
		}
		for _, r := range b.rows[:b.n] {
			if werr = fn(r); werr != nil {
				cancel()
				break
			}
		}
		free <- b
	}
	rerr := <-readErr
	if werr != nil {
		return werr
	}
	return rerr
}
