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
