/**
 * Markdown plugin (Sätteri hast visitor): tables in page content get tabindex="0".
 * Starlight lets a wide table scroll sideways inside itself; a scrolling box must be reachable
 * from the keyboard (WCAG 2.1.1), which a table of plain text is not unless it takes focus.
 */
export const focusableTables = {
  name: 'focusable-tables',
  element: {
    filter: ['table'],
    visit(node, ctx) {
      ctx.setProperty(node, 'tabIndex', 0);
    },
  },
};
