import { chromium } from 'playwright-core';
import lighthouse from 'lighthouse';
import { serveDir } from '../tests/helpers/static-server';
import { CHROMIUM } from '../tests/helpers/system-deps';
const paths = process.argv.slice(2);
const server = await serveDir('dist', { gzip: true });
const port = 9333;
const browser = await chromium.launch({ executablePath: CHROMIUM, args: [`--remote-debugging-port=${port}`, '--no-sandbox', '--disable-gpu'] });
for (const p of paths) {
  const r = await lighthouse(server.url + p, { port, output: 'json', logLevel: 'error', onlyCategories: ['performance'] });
  const a = r!.lhr.audits;
  console.log('==', p, 'perf', r!.lhr.categories.performance.score, 'FCP', a['first-contentful-paint'].numericValue|0, 'LCP', a['largest-contentful-paint'].numericValue|0, 'TBT', a['total-blocking-time'].numericValue|0, 'SI', a['speed-index'].numericValue|0);
  console.log(' mainthread', JSON.stringify((a['mainthread-work-breakdown'].details as any).items.map((i: any) => [i.group, Math.round(i.duration)])));
  console.log(' bootup', JSON.stringify((a['bootup-time'].details as any).items.map((i: any) => [i.url.replace(server.url, ''), Math.round(i.total), Math.round(i.scripting)])));
  console.log(' renderblock', JSON.stringify(((a['render-blocking-resources'].details as any)?.items ?? []).map((i: any) => [i.url.replace(server.url, ''), i.wastedMs])));
  console.log(' longtasks', JSON.stringify(((a['long-tasks'].details as any)?.items ?? []).map((i: any) => [i.url?.replace(server.url, ''), Math.round(i.duration), Math.round(i.startTime)])));
  console.log(' lcp-el', JSON.stringify((a['largest-contentful-paint-element'].details as any)?.items?.[0]?.items?.[0]?.node?.snippet ?? ''));
}
await browser.close(); await server.close?.();
process.exit(0);
