// Package views renders pages with templ. Views only render: every value they
// show arrives ready in their arguments or in the page Meta.
//
// The layout is layout.templ; each area has a folder. Links are built from
// the named routes of views/paths. Views never call a service: a test in
// models/app checks by type information that no view mentions a type holding
// the database.
//
// Time is stored in UTC and shown in the user's zone (a profile setting,
// default Asia/Shanghai). Navigation lists only areas that exist.
package views
