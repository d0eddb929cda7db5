/**
 * The Leads list and the lead page share one chunk (one dynamic import in pages.ts): they share most of their code,
 * and src/web-build/build-web.ts takes the first metafile output with an `entryPoint` as the app script, which
 * esbuild stops listing first once there are more than seven dynamic imports.
 */

export { default as LeadPage } from './lead-page.tsx'
export { default } from './leads-page.tsx'
