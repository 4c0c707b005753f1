// Package interfacelog reads the production-interface message log (生产接口消息):
// every attempt of every call, scoped to the reader's merchant.
//
// The list (/interface-messages) shows the attempts newest first, each with
// its call's current state (pending, retrying, polling, succeeded, failed,
// recovered); a call's page lists its attempts with their outcome (ok, error,
// interrupted) and, while one is in flight, the claim (进行中). Filters
// (ParseFilter: from, to, activity, order = an exact order id or a prefix
// ending in *, state, class = error class; operations managers add the
// merchant) refuse unknown values rather than ignore them, so a shared link or
// an export never silently shows something else; exports go through
// models/exports.
//
// Every query answers its page from an index: ids first (filter, order and
// limit from a covering index), then the page's 50 rows by id. The state
// filter first asks how many calls are in the state (counting stops at
// 2,001): few, and it starts from those calls; many, and it walks the log
// newest first.
//
// # Benchmarks
//
//	go test -run '^$' -bench InterfaceLogList -benchtime 30x ./models/interfacelog/
//
// 1,000,000 attempts of 195,672 calls, 5 merchants (the largest has 40 %),
// 60 days, 1.2 GB of database; Service.List per filter, 30 samples each,
// server time in ms (median / p95). Merchant views are the largest
// merchant's.
//
//	merchant first page                        0.71 / 2.58
//	activity                                   0.52 / 2.08
//	error class (common, rare)          0.48, 0.43 / 2.12, 2.16
//	order id exact                             0.06 / 0.11
//	order id prefix (a day, a month)    1.28, 27.5 / 4.50, 30.8
//	state 失败, 已恢复                     0.76, 1.14 / 1.81, 2.65
//	last 7 days, a week 45 days ago     0.83, 0.66 / 2.36, 1.98
//	combined (activity + class + 30 days)      0.65 / 1.69
//	page 11, page 201                   0.74, 1.97 / 1.49, 3.11
//	platform first page                        0.85 / 2.11
//	platform page 11                           0.76 / 2.84
//	platform error class (common, rare) 0.67, 2.20 / 3.03, 7.85
//	platform order id exact                    0.06 / 0.12
//	platform state 失败                         1.02 / 2.02
//	platform last 7 days                       0.64 / 1.84
//	platform, one merchant                     0.47 / 3.22
package interfacelog
