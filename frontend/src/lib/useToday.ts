import { useEffect, useState } from 'react';
import { type CalendarDate, cityToday, isoDate } from './time';

/** Today in Khabarovsk; changes at the city's midnight while the page stays open. */
export function useToday(): CalendarDate {
  const [today, setToday] = useState(() => cityToday());
  useEffect(() => {
    const id = window.setInterval(() => {
      const now = cityToday();
      setToday((prev) => (isoDate(prev) === isoDate(now) ? prev : now));
    }, 60_000);
    return () => window.clearInterval(id);
  }, []);
  return today;
}
