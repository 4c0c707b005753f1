// Command sellercenter serves Seller Center and carries the operator CLI.
//
//	sellercenter [-addr :8080] [-db ./sellercenter.db] [-demo]   serve
//	sellercenter migrate | user add | merchant add | koo ...     operate
//	sellercenter bench seed | bench load                        measure
//
// Serving reads flags and the environment, opens the application through
// app.Open (models/app), seeds the demo when asked, starts the jobs
// ((*app.App).StartJobs) and serves web.New. Every subcommand opens the
// database through app.Open too, so it migrates first and refuses a database
// whose schema is newer than the binary.
//
// Every command has -h. Exit codes: 0 done, 1 failed while running, 2 bad
// usage or input (the message names the field, in Chinese under a zh_*
// locale, English otherwise).
//
// The master key (SELLERCENTER_MASTER_KEY, base64 32 bytes) seals merchant
// keys, credentials and buyer PII; without it the key is read from the file
// <db>.key, created on first start. Keep it with the backups.
//
// Go's GOGC is left at its default. GOGC=400 (with GOMEMLIMIT as a ceiling)
// raises dispatch against an instant endpoint from ~850 to ~1,050–1,100
// calls/s on the 2-core benchmark machine, at the price of a larger heap;
// bare protocol calls gain as much (see models/provisioning).
package main
