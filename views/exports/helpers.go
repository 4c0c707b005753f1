package exports

import (
	"fmt"
	"strings"
	"time"

	"github.com/a-h/templ"

	"github.com/sellercenter/sellercenter/models"
	me "github.com/sellercenter/sellercenter/models/exports"
)

// ListData is the 导出记录 page.
type ListData struct {
	Items    []me.Item
	NextID   int64
	Now      time.Time
	Err      *models.ValidationError // a refused export request (422)
	Platform bool                    // the viewer sees every merchant's exports
}

// expired tells whether a row's file is gone or past its time.
func expired(it me.Item, now time.Time) bool {
	return it.Status == models.ExportExpired ||
		(it.Status == models.ExportDone && it.ExpiresAt != nil && !now.Before(*it.ExpiresAt))
}

// rowStatus is the contract's data-status: queued shows as running.
func rowStatus(it me.Item, now time.Time) string {
	switch {
	case expired(it, now):
		return string(models.ExportExpired)
	case it.Status == models.ExportQueued:
		return string(models.ExportRunning)
	}
	return string(it.Status)
}

func statusID(it me.Item, now time.Time) string {
	if expired(it, now) {
		return "exports.status.expired"
	}
	return "exports.status." + string(it.Status)
}

func statusClass(it me.Item, now time.Time) string {
	switch rowStatus(it, now) {
	case string(models.ExportDone):
		return "ok"
	case string(models.ExportFailed):
		return "bad"
	case string(models.ExportRunning):
		return "warn"
	}
	return ""
}

// refreshing is whether any row is still being built (the page polls).
func refreshing(d ListData) bool {
	for _, it := range d.Items {
		if it.Status == models.ExportQueued || it.Status == models.ExportRunning {
			return true
		}
	}
	return false
}

func downloadURL(id int64) templ.SafeURL {
	return templ.SafeURL(fmt.Sprintf("/exports/%d/download", id))
}

func retryURL(id int64) templ.SafeURL { return templ.SafeURL(fmt.Sprintf("/exports/%d/retry", id)) }

func nextURL(id int64) templ.SafeURL { return templ.SafeURL(fmt.Sprintf("/exports?before=%d", id)) }

func who(it me.Item) string {
	if it.UserName != "" {
		return it.UserName
	}
	return it.UserEmail
}

func upper(s string) string { return strings.ToUpper(s) }
