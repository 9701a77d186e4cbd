/// <reference types="vite/client" />

/** Issuer for `npm run dev` (vite.config.ts); empty in production builds. */
declare const __DEV_ISSUER__: string;
