import type { TopLevelSpec } from 'vega-lite';
import type { Lang, Translate } from '~/lib/i18n/t';

export type Row = Record<string, string | number | boolean | null>;

/**
 * A chart is a pure function of (data, locale): `load` reads generated/ (or the facts
 * collection), `rows` flattens it into tidy rows (also the CSV download), `spec` builds the
 * localized Vega-Lite spec with the rows inline, `describe` states the chart's facts in prose.
 */
export interface ChartDef<D = unknown> {
  id: string;
  titleKey: string;
  captionKey: string;
  /** The script that computed the data, shown under the figure. */
  source: string;
  load(): Promise<D>;
  rows(data: D): Row[];
  spec(rows: Row[], t: Translate, lang: Lang): TopLevelSpec;
  describe(data: D, t: Translate, lang: Lang): string;
  /** A sentence shown under the figure, e.g. which items the data has but the chart cannot draw. */
  note?(data: D, t: Translate, lang: Lang): string;
  /**
   * false when the text description only restates a table on the same page (one entry per row):
   * it stays on the page for screen readers and readers without images, but search leaves it out,
   * so a result's excerpt is the page's prose instead of a run of table cells.
   */
  indexDescription?: boolean;
}
