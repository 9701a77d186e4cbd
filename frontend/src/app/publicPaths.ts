/** Pages outside the sign-in: the residents' schedule of meetings. */
export const PUBLIC_SCHEDULE_PATH = '/schedule';
