package exports

import (
	"strings"

	"github.com/sellercenter/sellercenter/models"
	me "github.com/sellercenter/sellercenter/models/exports"
)

// ListData is the 导出记录 page.
type ListData struct {
	Page me.Page
	Err  *models.ValidationError // a refused export request (422)
}

func statusID(it me.Item) string {
	if it.Expired {
		return "exports.status.expired"
	}
	return "exports.status." + string(it.Status)
}

func statusClass(s models.ExportStatus) string {
	switch s {
	case models.ExportDone:
		return "ok"
	case models.ExportFailed:
		return "bad"
	case models.ExportRunning:
		return "warn"
	}
	return ""
}

func who(it me.Item) string {
	if it.UserName != "" {
		return it.UserName
	}
	return it.UserEmail
}

func upper(s string) string { return strings.ToUpper(s) }
