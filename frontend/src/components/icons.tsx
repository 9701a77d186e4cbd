/** A few inline icons (no icon library: it would cost more than it gives). */
export function Emblem() {
  return (
    <svg width="30" height="30" viewBox="0 0 32 32" aria-hidden="true" focusable="false">
      <path d="M16 2 4 7v9c0 7 5 12 12 14 7-2 12-7 12-14V7L16 2Z" fill="#fff" opacity=".95" />
      <path d="M16 5.3 7 9.1v6.9c0 5.3 3.7 9.2 9 10.9 5.3-1.7 9-5.6 9-10.9V9.1l-9-3.8Z" fill="#1c5fa8" />
      <path d="M11 21h10v1.6H11zM12 14h1.6v6H12zm3.2 0h1.6v6h-1.6zm3.2 0H20v6h-1.6zM10.5 12.4 16 9l5.5 3.4v.8h-11z" fill="#fff" />
    </svg>
  );
}

export function ChevronLeft() {
  return (
    <svg width="16" height="16" viewBox="0 0 24 24" aria-hidden="true" focusable="false" fill="none" stroke="currentColor" strokeWidth="2">
      <path d="m15 6-6 6 6 6" />
    </svg>
  );
}

export function ChevronRight() {
  return (
    <svg width="16" height="16" viewBox="0 0 24 24" aria-hidden="true" focusable="false" fill="none" stroke="currentColor" strokeWidth="2">
      <path d="m9 6 6 6-6 6" />
    </svg>
  );
}

export function SortIcon({ dir }: { dir: 'asc' | 'desc' | null }) {
  return (
    <svg width="14" height="14" viewBox="0 0 24 24" aria-hidden="true" focusable="false" fill="none" stroke="currentColor" strokeWidth="2.2">
      <path d="m7 10 5-5 5 5" opacity={dir === 'desc' ? 0.25 : 1} />
      <path d="m7 14 5 5 5-5" opacity={dir === 'asc' ? 0.25 : 1} />
    </svg>
  );
}

export function CloseIcon() {
  return (
    <svg width="14" height="14" viewBox="0 0 24 24" aria-hidden="true" focusable="false" fill="none" stroke="currentColor" strokeWidth="2.2">
      <path d="M6 6l12 12M18 6 6 18" />
    </svg>
  );
}
