/** The charts' palette (no ECharts here: pages import it without loading the charts). */
export const COLORS = ['#1c7ed6', '#f08c00', '#2f9e44', '#ae3ec9', '#e03131', '#0c8599', '#5c7cfa', '#a61e4d'];
