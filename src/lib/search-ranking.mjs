/**
 * Pagefind's ranking weights for the site's search, every one spelled out. Starlight hands this
 * object to the search dialog; the browser tests pass the same object to Pagefind's API, so they
 * rank pages as readers see them (Pagefind's own defaults differ from Starlight's).
 */
export const SEARCH_RANKING = {
  // Whole-word matches before prefix extensions ("efficiency" should not rank EfficientNet first).
  termSimilarity: 3,
  // Long articles are not pushed below short model pages that mention a term once.
  pageLength: 0.4,
  // Starlight's defaults.
  termFrequency: 0.1,
  termSaturation: 2,
  diacriticSimilarity: 0.8,
};
