package app

import (
	"context"

	"github.com/sellercenter/sellercenter/models/demo"
)

// SeedDemo seeds the demo data unless it is there already (a restart with
// -demo must neither fail nor duplicate); it reports whether it seeded.
// start serves the demo endpoints that the replayed history calls.
func (a *App) SeedDemo(ctx context.Context, start demo.StartEndpoints) (bool, error) {
	if a.Demo {
		return false, nil
	}
	if _, err := a.Accounts.UserByEmail(ctx, demo.Logins[0].Email); err != nil {
		if err := demo.Seed(ctx, a.Accounts); err != nil {
			return false, err
		}
	}
	g := a.DB.Gorm
	steps := []func() error{
		func() error { return demo.SeedCatalog(ctx, g, a.Catalog) },
		func() error { return demo.SeedHistory(ctx, g, a.Vault, a.Catalog, start, a.Invoices.Dir()) },
		func() error { return demo.SeedInvoices(ctx, g, a.Clock, a.Invoices.Dir()) },
		func() error { return demo.SeedStatements(ctx, g, a.Clock, a.Invoices.Dir()) },
		func() error { return demo.SeedDemands(ctx, g) },
		func() error { return demo.SeedReception(ctx, g, a.Calendars) },
		func() error { return demo.SeedTickets(ctx, g, a.Vault, a.Calendars, a.Tickets.Dir()) },
		func() error { return demo.SeedSupervision(ctx, g, a.Core, a.Supervision.Dir()) },
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return false, err
		}
	}
	a.Demo = true
	return true, nil
}

// ResumeDemo schedules what the replayed history left open (calls still
// retrying, demands still pending) on the running job runner.
func (a *App) ResumeDemo(ctx context.Context) error {
	if _, err := a.Core.RescheduleOpen(ctx); err != nil {
		return err
	}
	if _, err := a.Demands.RescheduleOpen(ctx); err != nil {
		return err
	}
	_, err := a.Supervision.RescheduleOpen(ctx)
	return err
}

// PointDemoEndpoints makes the demo merchants' endpoints the running
// sandboxes.
func (a *App) PointDemoEndpoints(ctx context.Context, urls map[string]string) error {
	return demo.PointEndpoints(ctx, a.DB.Gorm, urls)
}
