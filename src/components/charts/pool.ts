/**
 * Training curves of the model pool, from generated/pool/manifest.json (contracts/pool.ts, written by
 * `summarize` in scripts/experiments/pool.ts): validation accuracy against epoch, one line per
 * model and seed, one chart per data regime.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { ChartDef, Row } from './types';
import { loadGenerated, MissingGeneratedError } from '~/lib/generated';
import { chartConfig } from './theme';
import { formatNumber, type Lang, type Translate } from '~/lib/i18n/t';
import { modelColour, modelLabel, MODEL_ORDER } from './minis';
import { poolManifestSchema, type PoolManifest } from '../../../contracts/pool';

const load = (): PoolManifest => poolManifestSchema.parse(loadGenerated('pool', 'manifest.json'));
const pct = (x: number, lang: Lang) => formatNumber(100 * x, lang, 1);

function curves(regime: 'full' | 'small'): ChartDef<PoolManifest> {
  const key = regime === 'full' ? 'Full' : 'Small';
  return {
    id: `pool/curves-${regime}`,
    titleKey: `atlas.chart.pool.curves${key}.title`,
    captionKey: `atlas.chart.pool.curves${key}.caption`,
    source: 'scripts/experiments/pool.ts',
    async load() {
      const d = load();
      // A regime with no committed model yet shows as pending, not as empty axes.
      if (!d.models.some((m) => m.regime === regime)) throw new MissingGeneratedError(`generated/pool/manifest.json has no ${regime}-regime model yet. Fix: \`npm run experiments -- --only pool\``);
      return d;
    },
    rows(d) {
      return d.models.filter((m) => m.regime === regime).flatMap((m) => m.curve.map((p) => ({
        model: m.arch, seed: m.seed, id: m.id, epoch: p.epoch, valAccPct: 100 * p.valAccuracy, trainAccPct: 100 * p.trainAccuracy, trainLoss: p.trainLoss, lr: p.lr,
      })));
    },
    spec(rows, t: Translate) {
      const models = [...new Set(rows.map((r) => String(r.model)))];
      const values = rows.map((r: Row) => ({ ...r, label: modelLabel(t, String(r.model)) }));
      const lo = Math.max(0, Math.floor(Math.min(...rows.map((r) => Number(r.valAccPct))) / 5) * 5);
      return ({
        $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
        title: t(`atlas.chart.pool.curves${key}.title`),
        description: t(`atlas.chart.pool.curves${key}.caption`),
        config: chartConfig,
        width: 480,
        height: 260,
        data: { values },
        mark: { type: 'line', point: { size: 18 }, tooltip: true, strokeWidth: 1.5 },
        encoding: {
          x: { field: 'epoch', type: 'quantitative', title: t('atlas.chart.pool.epoch') },
          y: { field: 'valAccPct', type: 'quantitative', title: t('atlas.chart.pool.valAcc'), scale: { domain: [lo, 100] } },
          color: { field: 'label', type: 'nominal', title: t('atlas.chart.freqBand.model'), scale: modelColour(t, models) },
          detail: { field: 'id', type: 'nominal' },
        },
      }) as unknown as TopLevelSpec;
    },
    describe(d, t, lang) {
      const mine = d.models.filter((m) => m.regime === regime);
      const parts = MODEL_ORDER.filter((a) => mine.some((m) => m.arch === a)).map((a) => {
        const ms = mine.filter((m) => m.arch === a);
        const per = ms.map((m) => t('atlas.chart.pool.describeSeed', { seed: m.seed, val: pct(m.valAccuracy, lang), epoch: formatNumber(m.bestEpoch, lang, 0) }));
        return `${modelLabel(t, a)}: ${per.join(lang === 'ja' ? '、' : ', ')}`;
      });
      return `${t(`atlas.chart.pool.curves${key}.describe`)} ${parts.join(lang === 'ja' ? '。' : '; ')}${lang === 'ja' ? '。' : '.'}`;
    },
  };
}

export const poolCurvesFull = curves('full');
export const poolCurvesSmall = curves('small');
