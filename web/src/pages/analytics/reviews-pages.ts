/** The review packs' list and the page of one pack share one chunk (one dynamic import in pages.ts). */

export { default as ReviewPage } from './review-page.tsx'
export { default } from './reviews-page.tsx'
