/** Client-side filters and sorting for the model list (the table works without this). */

export type SortDir = 'ascending' | 'descending';

/** Rows with an empty value sort last in both directions (a missing fact is not a zero). */
export function compareCells(a: string, b: string, type: 'number' | 'text', dir: SortDir): number {
  if (a === '' && b === '') return 0;
  if (a === '') return 1;
  if (b === '') return -1;
  const sign = dir === 'ascending' ? 1 : -1;
  return sign * (type === 'number' ? Number(a) - Number(b) : a.localeCompare(b));
}

export function rowMatches(row: HTMLElement, group: string, year: string): boolean {
  const groups = (row.dataset.groups ?? '').split(' ');
  return (!group || groups.includes(group)) && (!year || row.dataset.year === year);
}

export function enhanceModelTable(root: HTMLElement) {
  const form = root.querySelector<HTMLFormElement>('form')!;
  const tbody = root.querySelector('tbody')!;
  const count = root.querySelector<HTMLOutputElement>('output')!;
  const rows = [...tbody.querySelectorAll<HTMLTableRowElement>('tr')];
  const total = rows.length;
  const params = new URLSearchParams(location.search);
  const group = form.elements.namedItem('group') as HTMLSelectElement;
  const year = form.elements.namedItem('year') as HTMLSelectElement;
  group.value = params.get('group') ?? '';
  year.value = params.get('year') ?? '';

  function applyFilters() {
    let shown = 0;
    for (const row of rows) {
      const ok = rowMatches(row, group.value, year.value);
      row.hidden = !ok;
      if (ok) shown++;
    }
    count.value = (count.dataset.template ?? '{{shown}}/{{total}}').replace('{{shown}}', String(shown)).replace('{{total}}', String(total));
    const url = new URL(location.href);
    for (const [k, el] of [['group', group], ['year', year]] as const) {
      if (el.value) url.searchParams.set(k, el.value);
      else url.searchParams.delete(k);
    }
    history.replaceState(null, '', url);
  }

  for (const th of root.querySelectorAll<HTMLTableCellElement>('th[data-key]')) {
    const button = th.querySelector('button');
    if (!button) continue;
    button.disabled = false;
    button.addEventListener('click', () => {
      const dir: SortDir = th.getAttribute('aria-sort') === 'ascending' ? 'descending' : 'ascending';
      for (const other of root.querySelectorAll('th[aria-sort]')) other.removeAttribute('aria-sort');
      th.setAttribute('aria-sort', dir);
      const key = th.dataset.key!;
      const type = th.dataset.type === 'number' ? 'number' : 'text';
      rows.sort((a, b) => compareCells(a.dataset[key] ?? '', b.dataset[key] ?? '', type, dir));
      tbody.append(...rows);
    });
  }

  form.addEventListener('change', applyFilters);
  form.addEventListener('submit', (e) => e.preventDefault());
  for (const el of root.querySelectorAll<HTMLElement>('[data-enhance]')) el.hidden = false;
  applyFilters();
}
