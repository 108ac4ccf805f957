// Sideways overflow in a page, shared by the overflow test (every page) and the lab test (the lab's answered states).

/** In the page: if the document is wider than the viewport, the element whose right edge is furthest out. */
export function widestOffender(): { docWidth: number; viewport: number; element: string; right: number } | null {
  const viewport = document.documentElement.clientWidth;
  const docWidth = document.documentElement.scrollWidth;
  if (docWidth <= viewport) return null;
  const describe = (el: Element) => {
    const parts: string[] = [];
    for (let e: Element | null = el; e && e !== document.body && parts.length < 4; e = e.parentElement) {
      const cls = [...e.classList].slice(0, 2).map((c) => `.${c}`).join('');
      parts.unshift(`${e.tagName.toLowerCase()}${e.id ? `#${e.id}` : ''}${cls}`);
    }
    return parts.join(' > ');
  };
  let worst = null as Element | null;
  let right = viewport;
  // Depth-first, parents before children (so on a tie the outermost element is named); the
  // content of an element that scrolls or clips on its own is not the page's overflow.
  const visit = (el: Element) => {
    const r = el.getBoundingClientRect();
    if (r.width > 0 && r.right > right + 0.5) {
      right = r.right;
      worst = el;
    }
    if (getComputedStyle(el).overflowX !== 'visible') return;
    for (const child of el.children) visit(child);
  };
  for (const child of document.body.children) visit(child);
  return { docWidth, viewport, element: worst ? describe(worst) : '(none found: body margin?)', right: Math.round(right) };
}

