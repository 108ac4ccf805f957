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
  const tbody = root.querySelector('tbody')!;
  const rows = [...tbody.querySelectorAll<HTMLTableRowElement>('tr')];

  // Sort buttons exist only here: without JS a heading is plain text, not a control that does nothing.
  for (const th of root.querySelectorAll<HTMLTableCellElement>('th[data-key][data-sort-label]')) {
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'atlas-sort';
    button.setAttribute('aria-label', th.dataset.sortLabel!);
    button.append(...th.childNodes);
    th.replaceChildren(button);
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

  // The full list has filters; a static subset page (one group or year) has none.
  const form = root.querySelector<HTMLFormElement>('form.atlas-models__filters');
  if (form) enhanceFilters(root, form, rows);
  for (const el of root.querySelectorAll<HTMLElement>('[data-enhance]')) el.hidden = false;
}

function enhanceFilters(root: HTMLElement, form: HTMLFormElement, rows: HTMLTableRowElement[]) {
  const count = root.querySelector<HTMLOutputElement>('output')!;
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

  form.addEventListener('change', applyFilters);
  form.addEventListener('submit', (e) => e.preventDefault());
  applyFilters();
}
