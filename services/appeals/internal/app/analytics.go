package app

// AnalyticsStore reads the figures of the appeals analytics (GetAppealStatistics).
type AnalyticsStore interface{}
