package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"time"

	"github.com/sellercenter/sellercenter/models/orders/orderseed"
)

// cmdBench is the operator's benchmark kit: seed a database with a large
// order history, then load a server running on it from this process.
//
//	sellercenter bench seed -db F -orders N
//	sellercenter bench load -url URL -email E -password P -c C -d DURATION
func cmdBench(args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 {
		switch args[0] {
		case "seed":
			return cmdBenchSeed(args[1:], stdout, stderr)
		case "load":
			return cmdBenchLoad(args[1:], stdout, stderr)
		}
	}
	fmt.Fprintln(stderr, "usage: sellercenter bench seed -db F -orders N | bench load -url URL -email E -password P [-c C] [-d DURATION]")
	return exitUsage
}

func cmdBenchSeed(args []string, stdout, stderr io.Writer) int {
	fs, dbPath := newFlags("sellercenter bench seed", stderr)
	lines := fs.Int("orders", 1_000_000, "order lines to seed")
	seed := fs.Uint64("seed", 1, "random seed (the same seed gives the same data)")
	password := fs.String("password", orderseed.DefaultPassword, "password of the seeded users")
	if code, done := parseFlags(fs, args, stderr); done {
		return code
	}
	if *lines < 1 || *lines > 50_000_000 {
		fmt.Fprintln(stderr, "sellercenter bench seed: -orders must be between 1 and 50000000")
		return exitUsage
	}
	if len(*password) < 8 {
		fmt.Fprintln(stderr, "sellercenter bench seed: -password must have at least 8 characters")
		return exitUsage
	}
	ctx := context.Background()
	a, err := openApp(ctx, *dbPath, stderr, appOptions{})
	if err != nil {
		return report(stderr, err)
	}
	defer a.Close()
	fmt.Fprintf(stdout, "seeding %d order lines into %s ...\n", *lines, *dbPath)
	res, err := orderseed.Seed(ctx, a.DB, a.Accounts, orderseed.Config{Lines: *lines, Seed: *seed, Password: *password})
	if errors.Is(err, orderseed.ErrNotEmpty) {
		fmt.Fprintln(stderr, "sellercenter bench seed:", err)
		return exitUsage
	}
	if err != nil {
		return report(stderr, err)
	}
	var size int64
	if st, err := os.Stat(*dbPath); err == nil {
		size = st.Size()
	}
	fmt.Fprintf(stdout, "seeded %d order lines (%d orders, %d products, %d buyers) in %s; database %.0f MB\n",
		res.Lines, res.Orders, res.Products, res.Buyers, res.Took.Round(time.Millisecond), float64(size)/1e6)
	fmt.Fprintf(stdout, "logins (password %s):\n", res.Password)
	for _, m := range res.Merchants {
		fmt.Fprintf(stdout, "  %-24s owner of %s, %d lines\n", m.OwnerEmail, m.Slug, m.Lines)
	}
	fmt.Fprintf(stdout, "  %-24s operations manager, all merchants\n", res.OpsEmail)
	fmt.Fprintln(stdout, "filters with data (largest merchant):")
	for _, p := range benchPaths(res.Now, res) {
		fmt.Fprintf(stdout, "  %s\n", p)
	}
	return exitOK
}

// benchPaths are the order-list URLs the load test requests by default,
// with the last 30 days up to now (in the viewers' zone). Without a seed
// result they use filters that exist in any database.
func benchPaths(now time.Time, res *orderseed.Result) []string {
	q := func(kv ...string) string {
		v := url.Values{}
		for i := 0; i+1 < len(kv); i += 2 {
			v.Set(kv[i], kv[i+1])
		}
		return "/orders?" + v.Encode()
	}
	to := now.In(time.FixedZone("CST", 8*3600))
	paths := []string{"/orders", q("status", "completed"), q("sort", "amount_desc"), q("type", "RENEW", "charging", "PERIOD"),
		q("from", to.AddDate(0, 0, -29).Format(time.DateOnly), "to", to.Format(time.DateOnly))}
	if res != nil {
		paths = append(paths, q("product", res.TopProduct, "status", "completed"), q("customer", res.HeavyCustomer),
			q("order", res.RecentOrder[:8]))
	}
	return paths
}
