// Package interfacelog reads the production-interface message log (生产接口消息),
// organised by calls and scoped to the reader's merchant.
//
// The list (/interface-messages) has one row per call, newest first (by its
// first attempt): activity, order and line (or the instance, for instance
// events), the merchant's name for operations, the call's state as the log
// shows it (models.CallView: 成功 ok, 重试中 retrying — pending, between
// retries or polling —, 失败 failed, 已恢复 recovered, and 已关闭 closed for a
// failed create whose line the platform auto-unsubscribed), the attempts made
// as "n / N" where N is the policy's maximum (attempts a person added with
// 重新启动 beyond it are counted apart, so the display never exceeds N), the
// last error class and the next retry. A call's page (/interface-messages/
// {call id}) lists its attempts, each immutable with its own outcome (ok,
// error, interrupted) and, while one is in flight, the claim (进行中); it
// shows one attempt's exchange at a time (?attempt=n, the latest by
// default), its error in the reader's language with the technical text
// behind a toggle, and 无响应 for an attempt that got no HTTP answer. Error
// texts are masked (models.MaskSecrets) when stored and again when read, so
// rows stored before still show no signature, token or credential.
//
// Filters (ParseFilter: from, to = the call's first attempt, activity,
// order = an exact order id or a prefix ending in *, state = the view, class
// = the call's last error class; operations managers add the merchant)
// refuse unknown values rather than ignore them, so a shared link or an
// export never silently shows something else. The to-do board's counters
// count with the same state filter as the list their link opens. Exports go
// through models/exports and list the attempts (Each), filtered the same way.
//
// Every query answers its page from an index (migration 00017: each filter's
// column, then the list's order): ids first, then the page's 50 calls by id.
//
// # Benchmarks
//
//	go test -run '^$' -bench InterfaceLogList -benchtime 30x ./models/interfacelog/
//
// 1,000,000 calls (each with its last attempt logged), 5 merchants (the
// largest has 40 %), 60 days, 2.0 GB of database; Service.List per filter,
// 30 samples each, server time in ms (median / p95). Merchant views are the
// largest merchant's. Beside it, the list of attempts this replaced (1,000,000
// attempts of 195,672 calls), measured in the same session on the same
// machine (shared; p95 is noisy):
//
//	                                         by calls         by attempts (before)
//	merchant first page                      0.97 / 10.8      1.18 / 15.9
//	activity                                 1.01 / 5.80      0.92 / 6.05
//	error class (common, rare)         1.18, 1.12 / 29.6, 13.8   0.85, 0.97 / 1.33, 1.84
//	order id exact                           0.07 / 0.19      0.07 / 0.15
//	order id prefix (a day, a month)   1.03, 0.78 / 13.4, 14.2   2.63, 150 / 5.62, 187
//	state 失败, 已恢复                  1.06, 1.05 / 10.8, 11.4   1.55, 2.27 / 11.0, 16.0
//	state 已关闭, 重试中, 成功     1.09, 0.60, 0.96 / 9.51, 3.94, 1.98   —
//	last 7 days, a week 45 days ago    0.66, 0.61 / 2.26, 1.13   0.74, 1.08 / 1.61, 2.62
//	combined (activity + class + 30 days)    3.13 / 17.1      1.14 / 3.97
//	page 11, page 201                  0.68, 0.62 / 10.8, 1.54   1.14, 5.52 / 2.40, 20.7
//	platform first page                      0.56 / 1.28      3.36 / 10.4
//	platform page 11                         0.73 / 1.61      4.31 / 20.9
//	platform error class (common, rare) 0.66, 0.70 / 1.59, 9.46  3.42, 15.1 / 18.5, 32.6
//	platform order id exact                  0.07 / 0.09      0.14 / 0.21
//	platform state 失败, 重试中         0.70, 0.67 / 1.73, 1.52   8.10 / 18.6
//	platform activity                        0.70 / 2.44      —
//	platform last 7 days                     0.59 / 1.32      1.21 / 2.57
//	platform, one merchant                   0.90 / 5.40      1.19 / 8.74
//
// An order-id prefix lists by order id: newest first across a month of
// orders sorted the whole range (0.8 s at 400,000 calls).
package interfacelog
