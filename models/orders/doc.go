// Package orders reads the order list (订单管理) and order details, scoped
// to the reader's merchant.
//
// # The list
//
// /orders lists order lines (订单号/订单行) with the columns of the seller
// center: type, product/spec, charging mode, period, masked customer, order
// time, effective/expiry (生效/到期), amount, status, supervision status,
// instance id and the last provisioning result (linking to the message log).
// Filters combine and live in the URL (from, to as dates in the viewer's
// zone; order = order-id prefix; type, status, product, charging,
// supervision, customer; sort = time_desc, time_asc, amount_desc or
// amount_asc; operations managers add merchant), so a view can be
// bookmarked, shared and exported as it is. Pages are keyset pages both
// ways (models.Cursor: the sort key and id of the row a page starts after,
// or — for 上一页 — ends before, read in the reverse order and put back),
// 20, 50 or 100 rows (size=), numbered "第 x–y 条" from the position the
// cursor carries; paging back to the start reads the first page afresh. An inverted or over-long (over 3 years)
// range, a date outside 2000–2100, an unknown enum value, an id with
// wildcards or a tampered cursor is a 422 naming the field in a localized
// message. Above the table: the exact count and sum of the whole filtered
// set, per currency.
//
//   - Totals without counting: migration 00007 adds two aggregate tables
//     (per merchant, currency, UTC month or day, the order id's first 6/8
//     characters and every enum filter) kept by triggers on order_lines
//     inside the writing transaction. A filter's totals are whole months +
//     whole days + the rows of the two partial days at the range's ends, so
//     they stay exact in any time zone; only a customer filter (few rows)
//     counts its rows. A test checks the tables against a plain GROUP BY
//     after every kind of change; the bench seeder bulk-loads without them
//     and rebuilds them once.
//   - Pages ids-first: the page's ids come from the index that matches the
//     filter and sort (chosen from the filtered set's size: a small set is
//     read whole and sorted, a large one walks the sort's index), then the
//     50 rows are read by id.
//   - Order detail (/orders/:id): the lines, the instance, and one timeline
//     of events, interface calls, status changes, supervision nodes and
//     notifications. Instance credentials (owner and tech only) and the
//     buyer's details (owner only) are revealed on a click (a POST), and each
//     reveal is audited (Revealer). Another merchant's order id is a 404.
//
// # Decisions
//
// Order lines are the unit of provisioning and of the order list, as in the
// seller center; an order's status summarizes its lines (anything processing
// → 处理中; else a failure shows; else supervision; all unsubscribed → 已退订;
// else 已完成).
//
// Order-list totals are kept, not counted: the trigger-maintained aggregate
// tables make the exact count and sum of any filter cost a few hundred index
// entries instead of a scan of the merchant's lines; the price is a few extra
// writes per order line, which intake can afford (and about a fifth of
// dispatch throughput, see models/provisioning).
//
// 生效时间 (effective) ⚠ no source defines it for SaaS lines: the list shows
// the instance's creation for the line that created it, the order time for a
// completed line on an existing instance (renewal, change), and nothing while
// a line has not taken effect.
//
// # Benchmarks
//
// The bench kit: "sellercenter bench seed -db big.db -orders 1000000" seeds a
// realistic history (package orderseed: 6 merchants, one holding 68 %,
// 100,000 buyers, two years of orders; users owner@<merchant>.test and
// ops@bench.test, password bench-password-1); "sellercenter bench load -url
// … -email … -password … -c 8 -d 10s -path '/orders?…'" logs in and loads
// /healthz, then the order-list URLs, from its own process and prints req/s,
// percentiles and the ratio.
//
//	go test -run '^$' -bench OrderList -benchtime 50x ./models/orders/
//
// 1,000,000 order lines (869,692 orders, 6 merchants, the largest with
// 680,022 lines, 100,000 buyers, two years; a 2.6 GB database seeded in
// 1 m 46 s); Service.List — one page of 50 and the filtered set's exact
// totals — per filter, 50 samples each, server time in ms. 68 cases: every
// filter alone, the sorts, time ranges from a day to a year, order-id
// prefixes, combinations of up to all filters, deep pages, a small merchant,
// and the operations manager's all-merchant view. All 68 have p95 under
// 12 ms (target 50). A selection (median / p95):
//
//	merchant first page                      1.65 / 5.77
//	sorted by amount (desc)                  3.57 / 4.30
//	last 30 days / last 365 days      2.60 / 3.59  8.96 / 5.45
//	order id exact / prefix of a month  0.32 / 1.50  0.86 / 4.06
//	old month prefix, by amount (worst)     5.32 / 11.56
//	all filters combined                     2.05 / 4.04
//	page 201                                 2.08 / 5.73
//	platform first page (1M lines)           2.72 / 6.08
//	platform by amount                       3.72 / 5.54
//	platform status 开通失败                  3.20 / 6.00
//	platform type 续费, a year                3.90 / 7.40
//	platform heavy customer by amount        4.54 / 7.12
//	platform, one merchant                   1.81 / 4.27
//	platform page 11                         3.14 / 5.52
//
// /orders under load: "sellercenter bench seed", then "sellercenter bench load
// -c 8 -d 10s" from a second process against the server on the same 2 cores;
// 8 order-list URLs in turn (plain, status, by amount, charging + type, a
// month, product + status, customer, order prefix); three runs, the median
// run:
//
//	endpoint                                          req/s    p50      p95      p99
//	/healthz                                         10,684  0.53 ms  2.16 ms  4.05 ms
//	/orders (session, filter, totals, 50 rows, HTML)    331  22.0 ms  47.6 ms  71.1 ms
//
// Ratio /orders ÷ /healthz = 0.031 (runs: 0.035, 0.031, 0.026).
package orders
